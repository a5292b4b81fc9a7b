import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, delegations, outbox, outboxChannels } from '../../src/db/schema.js';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { claimDue, enqueue, releaseClaims, retryDead } from '../../src/db/outbox.js';
import { OutboxWorker } from '../../src/bot/delivery.js';
import type { FakeMessage } from '../../src/sandbox/slack/index.js';
import { HOUR, DAY } from '../support/clock.js';
import { text } from '../support/blocks.js';
import { invite, people, provision, rawClick, startHarness, withTableAway, type Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const { primary, colleague, other } = people;
/** The setup DM's outbox row (Home refreshes are queued too, and skipped for people without one). */
const outboxRows = async () => (await h.database.db.select().from(outbox)).filter((r) => r.key.startsWith('post:'));

/** Moves the clock and lets the outbox retry whatever fell due. */
async function later(ms: number) {
  h.clock.advance(ms);
  await h.vouch.idle();
}

describe('outbox retries', () => {
  it('Slack answers 500 three times, then OK: the message is delivered once', async () => {
    h.slack.failNext('chat.postMessage', { status: 500 }, 3);
    await provision(h);
    expect(h.slack.dm(primary.id)).toHaveLength(0);
    for (let i = 0; i < 6 && h.slack.dm(primary.id).length === 0; i++) await later(10 * 60_000);
    expect(h.slack.dm(primary.id)).toHaveLength(1);
    expect(h.slack.calls('chat.postMessage').map((c) => c.status)).toEqual([500, 500, 500, 200]);
    expect((await outboxRows()).map((r) => [r.status, r.attempts])).toEqual([['sent', 4]]);
  });

  it('a 429 with Retry-After: 2 holds every write for 2 seconds, then delivers each once', async () => {
    h.slack.failNext('chat.postMessage', { status: 429, retryAfter: 2 });
    await provision(h);
    await provision(h, { name: 'Globex', contractNumber: 'G-1', primaryContactUserId: colleague.id });
    expect(h.slack.calls('chat.postMessage').map((c) => c.status)).toEqual([429]);
    await later(1_900);
    expect(h.slack.calls('chat.postMessage')).toHaveLength(1);
    await later(100);
    expect(h.slack.calls('chat.postMessage').map((c) => c.status)).toEqual([429, 200, 200]);
    expect(h.slack.dm(primary.id)).toHaveLength(1);
    expect(h.slack.dm(colleague.id)).toHaveLength(1);
  });

  it('a permanent error stops at once; the row is dead, counted in /healthz, and an operator can retry it', async () => {
    h.slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await provision(h);
    expect((await outboxRows()).map((r) => [r.status, r.attempts, r.lastError])).toEqual([['dead', 1, 'channel_not_found']]);
    const health = (await (await fetch(`${h.baseUrl}/healthz`)).json()) as { outbox: { dead: number } };
    expect(health.outbox.dead).toBe(1);
    expect(await retryDead(h.database.db, h.clock.now())).toBe(1);
    await h.vouch.idle();
    expect(h.slack.dm(primary.id)).toHaveLength(1);
  });

  it('after OUTBOX_MAX_ATTEMPTS transient failures the row is dead and nothing more is tried', async () => {
    h.slack.failNext('chat.postMessage', { status: 500 }, 20);
    await provision(h);
    for (let i = 0; i < 12; i++) await later(10 * 60_000);
    expect((await outboxRows()).map((r) => [r.status, r.attempts])).toEqual([['dead', 5]]);
    expect(h.slack.calls('chat.postMessage')).toHaveLength(5);
  });

  it('a drain that fails (the outbox table is unreachable) never rejects, so no caller crashes the process', async () => {
    await provision(h);
    await withTableAway(h, 'outbox', () => expect(h.vouch.outbox.kick()).resolves.toBeUndefined());
    await provision(h, { name: 'Second Corp', contractNumber: 'C-1002', primaryContactEmail: primary.email });
    expect(h.slack.dm(primary.id)).toHaveLength(2);
  });

  it('a worker whose claim runs short hands the untried rows back instead of delivering them late', async () => {
    // Three setup DMs wait for a retry, to three people.
    const contacts = [people.primary, people.colleague, people.other];
    h.slack.failNext('chat.postMessage', { status: 500 }, contacts.length);
    for (const [n, person] of contacts.entries()) {
      expect((await provision(h, { name: `Corp ${n}`, contractNumber: `C-${n}`, primaryContactEmail: person.email })).status).toBe(201);
    }
    h.clock.advance(HOUR);
    const posts = async () => (await h.database.db.select().from(outbox)).filter((r) => r.key.startsWith('post:'));
    expect((await posts()).map((r) => r.attempts)).toEqual([1, 1, 1]);

    // The first post is slow: 45 of the claim's 60 seconds are gone when it returns.
    h.slack.once('change', () => h.clock.advance(45_000));
    expect(await h.vouch.outbox.drainOnce()).toBe(1);
    const left = (await posts()).filter((r) => r.status === 'pending');
    expect(left.map((r) => [r.lockedUntil, r.attempts])).toEqual([
      [null, 1],
      [null, 1],
    ]);
    // A release names the claim it gives back: rows another worker has claimed since are not touched.
    const claimed = await claimDue(h.database.db, h.clock.now(), 10, 60_000);
    await releaseClaims(
      h.database.db,
      claimed.map((r) => r.id),
      new Date(h.clock.now().getTime() + 1),
    );
    expect((await posts()).filter((r) => r.status === 'pending').every((r) => r.lockedUntil !== null)).toBe(true);

    h.clock.advance(60_000);
    await h.vouch.idle();
    expect(contacts.map((p) => h.slack.dm(p.id).length)).toEqual([1, 1, 1]);
  });
});

describe('one queue per channel', () => {
  /** The accounts whose setup DMs `userId` got, in the order they arrived. */
  const setupDms = (userId: string) => h.slack.dm(userId).map((m) => /set up “([^”]+)”/.exec(m.text)?.[1] ?? m.text);
  const postsInto = (userId: string) =>
    h.slack.calls('chat.postMessage').filter((c) => c.args.channel === userId || c.args.channel === h.slack.dmChannelId(userId));
  const provisionFor = (person: { email: string }, name: string) =>
    provision(h, { name, contractNumber: `C-${name}`, primaryContactEmail: person.email });

  it('a post retried in the middle of a channel’s queue holds back the later posts into that channel, and no other', async () => {
    await provisionFor(primary, 'Corp 1');
    h.slack.failNext('chat.postMessage', { status: 500 }, 2, { channel: primary.id });
    await provisionFor(primary, 'Corp 2');
    await provisionFor(primary, 'Corp 3');
    await provisionFor(colleague, 'Globex');
    // Corp 2's DM waits for its retry, and Corp 3's waits behind it without being tried.
    expect(setupDms(primary.id)).toEqual(['Corp 1']);
    expect(postsInto(primary.id).map((c) => c.status)).toEqual([200, 500]);
    expect(setupDms(colleague.id)).toEqual(['Globex']);

    await later(10 * 60_000);
    expect(setupDms(primary.id)).toEqual(['Corp 1']);
    expect(postsInto(primary.id).map((c) => c.status)).toEqual([200, 500, 500]);
    // Meanwhile another channel is served as soon as its messages are queued.
    await provisionFor(other, 'Initech');
    expect(setupDms(other.id)).toEqual(['Initech']);

    await later(10 * 60_000);
    expect(setupDms(primary.id)).toEqual(['Corp 1', 'Corp 2', 'Corp 3']);
    expect(postsInto(primary.id).map((c) => c.status)).toEqual([200, 500, 500, 200, 200]);
  });

  it('a worker killed while holding a channel: the channel’s messages go out in order once its claim lapses', async () => {
    h.slack.failNext('chat.postMessage', { status: 500 }, 1, { channel: primary.id });
    await provisionFor(primary, 'Corp 1');
    await provisionFor(primary, 'Corp 2');
    await provisionFor(primary, 'Corp 3');
    expect(setupDms(primary.id)).toEqual([]);

    // Corp 1's retry falls due, and a worker claims it (the head of the DM's queue) and dies.
    h.clock.advance(HOUR);
    const held = await claimDue(h.database.db, h.clock.now(), 10, 60_000);
    expect(held.map((r) => r.key)).toEqual([expect.stringMatching(/^post:setup:/)]);
    await h.vouch.idle();
    await provisionFor(colleague, 'Globex');
    expect(setupDms(primary.id)).toEqual([]);
    expect(setupDms(colleague.id)).toEqual(['Globex']);

    h.clock.advance(59_999);
    await h.vouch.idle();
    expect(setupDms(primary.id)).toEqual([]);
    await later(1);
    expect(setupDms(primary.id)).toEqual(['Corp 1', 'Corp 2', 'Corp 3']);
    expect(postsInto(primary.id).map((c) => c.status)).toEqual([500, 200, 200, 200]);
  });

  it('the pace of a channel is kept in the database, so every worker keeps it; other channels do not wait', async () => {
    await h.vouch.outbox.stop(); // only the two workers below deliver
    const worker = () => new OutboxWorker({ ...h.vouch.outbox.deliveryDeps, logger: pino({ level: 'silent' }), channelGapMs: 10 * 60_000 });
    const [a, b] = [worker(), worker()];
    const notice = (channel: string, n: number) =>
      enqueue(
        h.database.db,
        `notice:test:${channel}:${n}`,
        { type: 'notice', channel, notice: { kind: 'admin_added', accountName: `Corp ${n}`, byUserId: other.id } },
        h.clock.now(),
      );
    await notice(primary.id, 1);
    await notice(primary.id, 2);
    await notice(colleague.id, 1);
    const shown = (userId: string) => h.slack.dm(userId).map((m) => /Corp \d/.exec(m.text)?.[0]);

    expect(await a.drainOnce()).toBe(2);
    expect([shown(primary.id), shown(colleague.id)]).toEqual([['Corp 1'], ['Corp 1']]);
    // The other worker finds the primary contact's DM paced by the first one's post.
    expect(await b.drainOnce()).toBe(0);
    await notice(colleague.id, 2);
    expect(await b.drainOnce()).toBe(0);
    expect(shown(colleague.id)).toEqual(['Corp 1']);

    // Once the gap has passed (here: moved back by hand), either worker posts the next message.
    await h.database.db.update(outboxChannels).set({ nextPostAt: sql`now() - interval '1 second'` });
    expect(await b.drainOnce()).toBe(2);
    expect([shown(primary.id), shown(colleague.id)]).toEqual([
      ['Corp 1', 'Corp 2'],
      ['Corp 1', 'Corp 2'],
    ]);
  });
});

describe('reconciliation', () => {
  it('a message whose edit failed for good is redrawn by the reconciliation job', async () => {
    await provision(h);
    const setupDm = h.slack.lastDm(primary.id)!;
    h.slack.failNext('chat.update', { error: 'cant_update_message' });
    h.clock.advance(30 * DAY);
    await h.vouch.jobs.runSweep();
    await h.vouch.idle();
    expect(text(h.slack.message(setupDm.channel, setupDm.ts))).toContain('Set up the account');
    expect(await h.vouch.jobs.runReconcile()).toBe(1);
    await h.vouch.idle();
    expect(text(h.slack.message(setupDm.channel, setupDm.ts))).toContain('expired');
    expect(await h.vouch.jobs.runReconcile()).toBe(0);
  });
});

describe('idempotent inputs', () => {
  async function confirmation(): Promise<FakeMessage> {
    await provision(h);
    return structuredClone((await invite(h, h.slack.lastDm(primary.id)!)).confirmation);
  }

  it('50 concurrent Approve clicks, and the same request replayed with Slack retry headers: one effect', async () => {
    const message = await confirmation();
    const clicks = Array.from({ length: 50 }, () => h.driver.click(primary.id, message, 'Approve', { staleBlocks: message.blocks }));
    await Promise.all(clicks);
    const [delegation] = await h.database.db.select().from(delegations);
    for (const retry of ['1', '2']) {
      const res = await rawClick(h, primary.id, message, 'delegation.approve', delegation!.id, {
        'x-slack-retry-num': retry,
        'x-slack-retry-reason': 'http_timeout',
      });
      expect(res.status).toBe(200);
    }
    await h.vouch.idle();
    expect(h.slack.dm(colleague.id)).toHaveLength(1);
    const approvals = (await h.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'delegation.approved'))).length;
    expect(approvals).toBe(1);
    expect(h.slack.ephemerals(primary.id).filter((e) => text(e).includes('already approved'))).toHaveLength(51);
  });
});

describe('bad input', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const send = (body: string, headers: Record<string, string> = {}) =>
    h.driver.post(body, { ...form, ...h.driver.signedHeaders(body), ...headers });

  it('bodies that are not Slack payloads get an error status and change nothing; the bot keeps working', async () => {
    expect((await send('payload=this-is-not-json')).status).toBeGreaterThanOrEqual(400);
    expect((await send(new URLSearchParams({ payload: JSON.stringify({ hello: 'world' }) }).toString())).status).toBeGreaterThanOrEqual(
      400,
    );
    expect(
      (await h.driver.post('{"not":"form"}', { 'content-type': 'application/json', ...h.driver.signedHeaders('{"not":"form"}') })).status,
    ).toBeGreaterThanOrEqual(400);
    const unknownAction = {
      type: 'block_actions',
      user: { id: primary.id },
      team: { id: h.slack.teamId },
      api_app_id: h.slack.appId,
      actions: [{ type: 'button', action_id: 'no.such.action', block_id: 'b', value: 'x', action_ts: '1' }],
    };
    expect((await send(new URLSearchParams({ payload: JSON.stringify(unknownAction) }).toString())).status).toBeLessThan(500);
    // And the bot still serves real requests.
    expect((await provision(h)).status).toBe(201);
    expect(h.slack.dm(primary.id)).toHaveLength(1);
  });

  it('oversized fields are refused with a clear message', async () => {
    await provision(h);
    await h.driver.click(primary.id, h.slack.lastDm(primary.id)!, 'Set up the account');
    const res = await h.driver.submitView(primary.id, h.slack.openView(primary.id)!.id, { account_name: 'x'.repeat(5000) });
    expect(res.json).toMatchObject({ response_action: 'errors', errors: { account_name: 'Enter a name of 1 to 80 characters.' } });
    const api = await provision(h, { name: 'y'.repeat(5000), contractNumber: 'C', primaryContactEmail: primary.email });
    expect(api.status).toBe(400);
    const huge = await fetch(`${h.baseUrl}/api/accounts`, {
      method: 'POST',
      headers: { authorization: 'Bearer provisioning-token-0123456789' },
      body: 'z'.repeat(100_000),
    });
    expect(huge.status).toBe(413);
  });

  it('a valid signature on a timestamp 6 minutes old is refused', async () => {
    const body = new URLSearchParams({ command: '/enterprise', text: 'help', user_id: primary.id }).toString();
    const stale = h.driver.signedHeaders(body, Math.floor(Date.now() / 1000) - 360);
    const res = await h.driver.post(body, { ...form, ...stale });
    expect(res.status).toBe(401);
  });
});

describe('reminders before a deadline', () => {
  it('one reminder 3 days before the setup invitation ends, never twice, never after it closed', async () => {
    await provision(h);
    await later(26 * DAY);
    await h.vouch.jobs.runReminders();
    await h.vouch.idle();
    expect(h.slack.dm(primary.id)).toHaveLength(1);
    await later(DAY);
    await h.vouch.jobs.runReminders();
    await h.vouch.jobs.runReminders();
    await h.vouch.idle();
    expect(
      h.slack
        .dm(primary.id)
        .map(text)
        .filter((t) => t.includes('Reminder')),
    ).toHaveLength(1);
    await later(2 * DAY);
    await h.vouch.jobs.runReminders();
    await h.vouch.idle();
    expect(
      h.slack
        .dm(primary.id)
        .map(text)
        .filter((t) => t.includes('Reminder')),
    ).toHaveLength(1);
  });

  it('one reminder 2 hours before a confirmation ends, and none for a confirmation already answered', async () => {
    await provision(h);
    await invite(h, h.slack.lastDm(primary.id)!);
    await later(21 * HOUR);
    await h.vouch.jobs.runReminders();
    await h.vouch.idle();
    const reminders = () =>
      h.slack
        .dm(primary.id)
        .map(text)
        .filter((t) => t.includes('Reminder: confirm'));
    expect(reminders()).toHaveLength(0);
    await later(HOUR);
    await h.vouch.jobs.runReminders();
    await h.vouch.jobs.runReminders();
    await h.vouch.idle();
    expect(reminders()).toHaveLength(1);
  });
  it('a lead not shorter than the validity: the reminder comes at half the validity, not with the message', async () => {
    await h.close();
    // SETUP_REMIND_BEFORE stays 3 days and CONFIRM_REMIND_BEFORE 2 hours.
    h = await startHarness({ setupInviteTtlMs: 2 * DAY, confirmTtlMs: HOUR });
    const reminders = (kind: string) =>
      h.slack
        .dm(primary.id)
        .map(text)
        .filter((t) => t.includes(kind));
    await provision(h);
    await invite(h, h.slack.lastDm(primary.id)!);
    await h.vouch.jobs.runReminders();
    await h.vouch.idle();
    expect(reminders('Reminder')).toEqual([]);

    await later(30 * 60_000 - 1);
    await h.vouch.jobs.runReminders();
    await h.vouch.idle();
    expect(reminders('Reminder')).toEqual([]);
    await later(1);
    await h.vouch.jobs.runReminders();
    await h.vouch.idle();
    expect(reminders('Reminder: confirm')).toHaveLength(1);

    await later(DAY - 30 * 60_000 - 1);
    await h.vouch.jobs.runReminders();
    await h.vouch.idle();
    expect(reminders('Reminder')).toHaveLength(1);
    await later(1);
    await h.vouch.jobs.runReminders();
    await h.vouch.idle();
    expect(reminders('Reminder')).toHaveLength(2);
  });
});
