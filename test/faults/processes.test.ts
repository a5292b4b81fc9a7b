// Faults only separate OS processes can show: the bot killed between a commit and the Slack
// write it queued, and two replicas running the timers every second on one database. Each test
// runs the real entry point (src/main.ts) as child processes against a FakeSlack in this process
// and a PostgreSQL database of its own, so it needs DATABASE_URL.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { accounts, auditEvents, jobLeases, outbox, recoveryRequests, setupInvitations, slackMessages } from '../../src/db/schema.js';
import { blocksText, FakeSlack, SlackDriver, type RecordedCall } from '../../src/sandbox/slack/index.js';
import { freshDatabase } from '../support/database.js';
import { killAllBots, provisionVia, startBot, waitFor, type BotProcess, type BotSettings } from '../support/processes.js';

const BOT_TOKEN = 'xoxb-process-test-token';
const SIGNING_SECRET = 'process-test-signing-secret-0123';
const PROVISIONING_TOKEN = 'process-test-provisioning-token-0123';
const SUPPORT_CHANNEL = 'C0SUPPORT';

type Db = Awaited<ReturnType<typeof freshDatabase>>;
let slack: FakeSlack | undefined;
let database: Db | undefined;

async function startWorld(users: Array<{ id: string; name: string }>): Promise<{ slack: FakeSlack; database: Db; settings: BotSettings }> {
  slack = new FakeSlack({ botToken: BOT_TOKEN });
  await slack.start();
  for (const user of users) slack.addUser({ ...user, email: `${user.name}@acme.example` });
  slack.addUser({ id: 'U0SUPPORTA', name: 'sam' });
  slack.addChannel({ id: SUPPORT_CHANNEL, name: 'enterprise-support', isPrivate: true, members: ['U0SUPPORTA'] });
  database = await freshDatabase();
  if (!database.url) throw new Error('freshDatabase() gave no URL: these tests need DATABASE_URL');
  const settings: BotSettings = {
    slackApiUrl: slack.apiUrl,
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    supportChannelId: SUPPORT_CHANNEL,
    provisioningToken: PROVISIONING_TOKEN,
    databaseUrl: database.url,
  };
  return { slack, database, settings };
}

afterEach(async () => {
  // Children first (they hold connections to the database that is dropped next).
  await killAllBots();
  await slack?.stop();
  slack = undefined;
  await database?.close();
  database = undefined;
});

/** chat.postMessage calls Slack accepted, to a user's DM (the bot posts to the user id). */
const acceptedPosts = (s: FakeSlack, userId: string): RecordedCall[] =>
  s.calls('chat.postMessage').filter((c) => c.args.channel === userId && c.status === 200 && c.response?.ok === true);

const messageText = (m: { text: string; blocks?: unknown[] }) => `${m.text}\n${m.blocks ? blocksText(m.blocks as never) : ''}`;

const letter = Buffer.from('%PDF-1.4 letter signed in ink by the CEO');

/** `/enterprise recover` → Request admin access → the form with a letter, through one bot process. */
async function fileRecoveryRequest(slack: FakeSlack, bot: BotProcess, requester: string): Promise<void> {
  const driver = new SlackDriver({ slack, eventsUrl: `${bot.baseUrl}/slack/events`, signingSecret: SIGNING_SECRET });
  const before = slack.ephemerals(requester).length;
  await driver.commandShown(requester, 'recover');
  const advice = await waitFor('the advice to recover the e-mail first', () => slack.ephemerals(requester)[before]);
  await driver.clickEphemeral(requester, advice, 'Request admin access');
  const form = await waitFor('the request form', () => slack.openView(requester));
  const file = slack.addFile({ name: 'letter.pdf', mimetype: 'application/pdf', content: letter, user: requester });
  await driver.submitView(requester, form.id, {
    account_name: 'Vanished Corp',
    email_to_add: `${requester.toLowerCase()}@acme.example`,
    reason: 'Our only admin left the company and their mailbox was deleted.',
    contract_number: 'C-9999',
    officer_name: 'Casey Chief',
    officer_title: 'Chief Executive Officer',
    officer_email: 'casey@acme.example',
    letter: { files: [{ id: file.id, name: file.name }] },
  });
}

describe.skipIf(!process.env.DATABASE_URL)('bot processes on a shared PostgreSQL', () => {
  it('a process killed between the commit and the Slack write: the next process delivers the setup DM exactly once', {
    timeout: 45_000,
  }, async () => {
    const primary = { id: 'U0PRIMARY', name: 'pat' };
    const { slack, database, settings } = await startWorld([primary]);
    const db = database.db;
    const first = await startBot(settings, { name: 'first' });

    // FakeSlack's serve() sleeps the delay *before* it touches any state, so a held
    // chat.postMessage has changed nothing yet. Left alone, the held request would still be
    // applied when its delay ends (the fake does not notice that the caller died), so the one
    // injected 500 is queued for it: when the held request wakes after the kill it takes that
    // failure and Slack never accepts it. Only once it has (see below) may another process
    // deliver, so no other request can take the failure instead.
    const HOLD_MS = 4_000;
    slack.setDelay('chat.postMessage', HOLD_MS);
    slack.failNext('chat.postMessage', { status: 500 }, 1);

    const res = await provisionVia(first, PROVISIONING_TOKEN, {
      name: 'Acme Corp',
      contractNumber: 'C-1001',
      primaryContactUserId: primary.id,
    });
    expect(res.status).toBe(201);

    // The commit put the setup DM in the outbox; the first process claims it and calls Slack.
    const setupKey = sql`${outbox.key} like 'post:setup:%'`;
    const claimed = await waitFor('the setup DM to be claimed by the first process', async () => {
      const [row] = await db
        .select({ status: outbox.status, attempts: outbox.attempts, lockedUntil: outbox.lockedUntil })
        .from(outbox)
        .where(setupKey);
      return row && row.attempts >= 1 && row.lockedUntil ? row : undefined;
    });
    expect(claimed.status).toBe('pending');
    await sleep(500); // the claim is ms away from the request; give it time to reach the fake
    expect(slack.dm(primary.id)).toEqual([]);

    const killedAt = Date.now();
    await first.kill('SIGKILL');
    expect((await first.exit).signal).toBe('SIGKILL');
    slack.setDelay('chat.postMessage', 0);

    // A new process on the same database; meanwhile the dead process's request wakes and fails.
    const second = await startBot(settings, { name: 'second' });
    const [held] = await waitFor(
      'the held request to be answered',
      () => {
        const calls = slack.calls('chat.postMessage');
        return calls.length > 0 ? calls : undefined;
      },
      { timeoutMs: HOLD_MS + 5_000 },
    );
    // The kill landed while Slack held the request: it arrived before and was answered after.
    expect(held!.at).toBeLessThan(killedAt);
    expect(held!.at + HOLD_MS).toBeGreaterThan(killedAt);
    expect(held!.status).toBe(500);
    expect(slack.dm(primary.id)).toEqual([]);

    // The dead process's claim still holds the row (60 s lease); the new process must not take
    // it early. The lapse of that lease is what a real takeover waits for: fast-forward it.
    const [stillClaimed] = await db.select().from(outbox).where(setupKey);
    expect(stillClaimed).toMatchObject({ status: 'pending', attempts: 1 });
    expect(stillClaimed!.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(slack.calls('chat.postMessage')).toHaveLength(1);
    await db
      .update(outbox)
      .set({ lockedUntil: sql`now()` })
      .where(and(eq(outbox.status, 'pending'), sql`${outbox.lockedUntil} > now()`));

    await waitFor('the setup DM to be delivered by the second process', () => slack.dm(primary.id).length > 0, { timeoutMs: 10_000 });
    await waitFor('the outbox to be drained', async () => {
      const rows = await db.select({ status: outbox.status }).from(outbox);
      return rows.length > 0 && rows.every((r) => r.status !== 'pending');
    });
    await sleep(1_500); // more than one outbox poll: nothing else may arrive

    const dms = slack.dm(primary.id);
    expect(dms).toHaveLength(1);
    expect(messageText(dms[0]!)).toContain('Action required: set up “Acme Corp” Enterprise Account');
    expect(acceptedPosts(slack, primary.id)).toHaveLength(1);
    const rows = await db.select({ key: outbox.key, status: outbox.status, attempts: outbox.attempts }).from(outbox);
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    expect(rows.find((r) => r.key.startsWith('post:setup:'))?.attempts).toBe(2);
    // The second process remembered the message it posted, so later changes can edit it.
    const recorded = await db.select().from(slackMessages);
    expect(recorded).toMatchObject([{ surface: 'setup', channelId: dms[0]!.channel, ts: dms[0]!.ts }]);
    expect(second.exited).toBe(false);
  });

  it('two replicas with the timers every second: each invitation is reminded once and expired once, each DM posted once', {
    timeout: 50_000,
  }, async () => {
    const users = Array.from({ length: 10 }, (_, i) => ({ id: `U0PROC${String(i + 1).padStart(2, '0')}`, name: `person${i + 1}` }));
    const { slack, database, settings } = await startWorld(users);
    const db = database.db;
    const replicaSettings: BotSettings = {
      ...settings,
      extra: {
        SWEEP_SCHEDULE: '* * * * * *',
        SETUP_INVITE_TTL: '6s',
        SETUP_REMIND_BEFORE: '4s', // the reminder falls due 2 s after provisioning
        CONFIRM_TTL: '1h',
        CONFIRM_REMIND_BEFORE: '10m',
        LOG_LEVEL: 'info', // the job logs tell which replica ran which tick
      },
    };
    const replicas = await Promise.all([
      startBot(replicaSettings, { name: 'replica-a' }),
      startBot(replicaSettings, { name: 'replica-b' }),
    ]);

    // Alternately through both replicas, spread over ~3 s so that the reminders and expiries
    // fall due on different ticks, which either replica may win.
    const statuses: number[] = [];
    for (const [i, user] of users.entries()) {
      const res = await provisionVia(replicas[i % 2]!, PROVISIONING_TOKEN, {
        name: `Account ${i + 1}`,
        contractNumber: `C-${1000 + i}`,
        primaryContactUserId: user.id,
      });
      statuses.push(res.status);
      await sleep(300);
    }
    expect(statuses).toEqual(users.map(() => 201));
    const invitations = await db.select().from(setupInvitations);
    expect(invitations).toHaveLength(users.length);
    const ids = invitations.map((i) => i.id);

    await waitFor(
      'every invitation to expire',
      async () => (await db.select({ status: setupInvitations.status }).from(setupInvitations)).every((r) => r.status === 'expired'),
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    await waitFor(
      'the outbox to be drained',
      async () => (await db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(eq(outbox.status, 'pending')))[0]?.n === 0,
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    await sleep(2_000); // a couple more ticks on both replicas: nothing may run twice

    // Each invitation expired exactly once.
    const expiries = await db
      .select({ subjectId: auditEvents.subjectId })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'setup_invitation.expired'), inArray(auditEvents.subjectId, ids)));
    expect(expiries.map((e) => e.subjectId).sort()).toEqual([...ids].sort());

    for (const user of users) {
      const posts = acceptedPosts(slack, user.id);
      const reminders = posts.filter((c) => String(c.args.text ?? '').includes('Reminder'));
      const expiredDms = posts.filter((c) => String(c.args.text ?? '').includes('Your invitation to set up'));
      const others = posts.filter((c) => !reminders.includes(c) && !expiredDms.includes(c));
      // One setup DM, one reminder and one DM saying it expired, nothing posted twice.
      expect({ user: user.id, setup: others.length, reminders: reminders.length, expired: expiredDms.length }).toEqual({
        user: user.id,
        setup: 1,
        reminders: 1,
        expired: 1,
      });
      const dms = slack.dm(user.id);
      expect(dms).toHaveLength(3);
      const setupDm = dms.find((m) => !m.text.includes('Reminder'))!;
      // The setup DM was edited for the expiry and now says so.
      expect(setupDm.edits, `edits of ${user.id}'s setup DM`).toBeGreaterThanOrEqual(1);
      expect(messageText(setupDm)).toContain('expired');
      const updates = slack.calls('chat.update').filter((c) => c.args.ts === setupDm.ts && c.status === 200);
      expect(updates.length, `chat.update calls on ${user.id}'s setup DM`).toBe(1);
    }

    // Nothing left to deliver, and nothing given up on.
    const byStatus = await db.select({ status: outbox.status, n: sql<number>`count(*)::int` }).from(outbox).groupBy(outbox.status);
    expect(byStatus.filter((r) => r.status !== 'sent')).toEqual([]);

    // Both replicas ran jobs (their job logs say so), and neither logged an error.
    const jobRuns = replicas.map((bot) => bot.logLines().filter((l) => l.job === 'sweep' || l.job === 'reminders'));
    for (const [i, runs] of jobRuns.entries()) expect(runs.length, `job runs logged by ${replicas[i]!.name}`).toBeGreaterThan(0);
    for (const bot of replicas)
      expect(
        bot.logLines().filter((l) => Number(l.level) >= 50),
        `errors logged by ${bot.name}`,
      ).toEqual([]);
    // One replica per tick: two replicas running the same tick would finish within a few ms of
    // each other, while consecutive ticks finish ~1 s apart (250 ms leaves room for a slow run).
    for (const job of ['sweep', 'reminders']) {
      const finished = jobRuns
        .flat()
        .filter((l) => l.job === job)
        .map((l) => Number(l.time))
        .sort((a, b) => a - b);
      const gaps = finished.slice(1).map((t, i) => t - finished[i]!);
      expect(Math.min(...gaps), `closest two ${job} runs (ms apart), gaps ${gaps.join(',')}`).toBeGreaterThan(250);
    }
    const leases = await db.select().from(jobLeases);
    expect(leases.map((l) => l.name)).toEqual(expect.arrayContaining(['sweep', 'reminders']));
    for (const bot of replicas) expect(bot.exited, `${bot.name} still running`).toBe(false);
  });

  it('every line a process prints is JSON, node-cron’s own warnings (a run skipped for overlap) included', {
    timeout: 40_000,
  }, async () => {
    const primary = { id: 'U0PRIMARY', name: 'pat' };
    const { slack, settings } = await startWorld([primary]);
    const bot = await startBot({ ...settings, extra: { SWEEP_SCHEDULE: '* * * * * *', LOG_LEVEL: 'info' } }, { name: 'json-only' });
    // Slack answers slowly: a job run waits for the delivery of the setup DM, which outlasts the
    // 1-second tick, so node-cron skips the next one and says so.
    slack.setDelay('chat.postMessage', 3_000);
    const res = await provisionVia(bot, PROVISIONING_TOKEN, {
      name: 'Acme Corp',
      contractNumber: 'C-1001',
      primaryContactUserId: primary.id,
    });
    expect(res.status).toBe(201);
    const overlap = await waitFor(
      'node-cron to skip a run that would overlap',
      () => bot.logLines().find((l) => l.component === 'node-cron' && String(l.msg).includes('overlap prevention')),
      { timeoutMs: 15_000 },
    );
    expect(overlap).toMatchObject({ level: 40, job: expect.stringMatching(/^(sweep|reminders|prune)$/) }); // the three jobs share the schedule
    await waitFor('the setup DM', () => slack.dm(primary.id).length > 0, { timeoutMs: 10_000 });
    bot.child.kill('SIGTERM'); // the shutdown's lines too
    expect(await bot.exit).toEqual({ code: 0, signal: null });
    expect(bot.logLines().length).toBeGreaterThan(3);
    expect(bot.nonJsonLines()).toEqual([]);
    expect(bot.output()).not.toContain('\x1b[');
  });

  it('two replicas, a burst into one DM and one into the support channel: each channel in order, at most one post a second', {
    timeout: 120_000,
  }, async () => {
    const primary = { id: 'U0PRIMARY', name: 'pat' };
    const requesters = Array.from({ length: 5 }, (_, i) => ({ id: `U0REQUESTER${i + 1}`, name: `requester${i + 1}` }));
    const { slack, database, settings } = await startWorld([primary, ...requesters]);
    // Slack's pace: a post into a channel less than a second after the last one gets a 429.
    slack.setRateLimit({ perChannelPerSecond: 1 });
    const db = database.db;
    const replicaSettings: BotSettings = {
      ...settings,
      extra: {
        SWEEP_SCHEDULE: '* * * * * *',
        SETUP_INVITE_TTL: '2m',
        SETUP_REMIND_BEFORE: '115s', // each setup DM's reminder falls due 5 s after it was queued
        RECOVERY_REMIND_AFTER: '6s', // and each open request's reminder, in its thread, every 6 s
      },
    };
    const replicas = await Promise.all([
      startBot(replicaSettings, { name: 'replica-a' }),
      startBot(replicaSettings, { name: 'replica-b' }),
    ]);

    // Ten accounts for one primary contact, alternately through both replicas, one after the
    // other: each change commits before the next one starts, so their order is the order to keep.
    const ACCOUNTS = 10;
    for (let i = 0; i < ACCOUNTS; i++) {
      const res = await provisionVia(replicas[i % 2]!, PROVISIONING_TOKEN, {
        name: `Account ${i + 1}`,
        contractNumber: `C-${1000 + i}`,
        primaryContactUserId: primary.id,
      });
      expect(res.status).toBe(201);
    }
    // Five recovery requests, alternately through both replicas, one after the other.
    for (const [i, requester] of requesters.entries()) {
      await fileRecoveryRequest(slack, replicas[i % 2]!, requester.id);
      await waitFor(`request ${i + 1} to be filed`, async () => (await db.select().from(recoveryRequests)).length === i + 1);
    }

    const supportPosts = () => slack.messages(SUPPORT_CHANNEL);
    const threadOf = (parent: { ts: string }) => supportPosts().filter((m) => m.threadTs === parent.ts && m.ts !== parent.ts);
    await waitFor(
      'every setup DM and reminder, and a reminder in the thread of every request',
      () => {
        const parents = supportPosts().filter((m) => !m.threadTs);
        return (
          slack.dm(primary.id).length === 2 * ACCOUNTS &&
          parents.length === requesters.length &&
          parents.every((p) => threadOf(p).length > 0)
        );
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    // Stopped gracefully, a replica finishes the post in flight and records it before it exits.
    await Promise.all(replicas.map((bot) => bot.kill('SIGTERM')));

    // Never two posts into one channel less than a second apart, so Slack never said 429.
    const dmChannel = slack.dmChannelId(primary.id);
    const channelOf = (c: RecordedCall) =>
      String(c.args.channel).startsWith('U') ? slack.dmChannelId(String(c.args.channel)) : c.args.channel;
    for (const channel of [dmChannel, SUPPORT_CHANNEL]) {
      const calls = slack.calls('chat.postMessage').filter((c) => channelOf(c) === channel);
      expect(
        calls.filter((c) => c.status !== 200 || c.response?.ok !== true).map((c) => c.status),
        `refused posts into ${channel}`,
      ).toEqual([]);
      const gaps = calls.slice(1).map((c, i) => c.at - calls[i]!.at);
      expect(Math.min(...gaps), `closest two posts into ${channel} (ms), gaps ${gaps.join(',')}`).toBeGreaterThanOrEqual(1_000);
    }

    // Each channel shows its messages in the order they were queued (the outbox's seq).
    const accountOf = new Map(
      (
        await db
          .select({ id: setupInvitations.id, name: accounts.name })
          .from(setupInvitations)
          .innerJoin(accounts, eq(accounts.id, setupInvitations.accountId))
      ).map((r) => [r.id, r.name]),
    );
    const referenceOf = new Map(
      (await db.select({ id: recoveryRequests.id, reference: recoveryRequests.reference }).from(recoveryRequests)).map((r) => [
        r.id,
        r.reference,
      ]),
    );
    const rows = await db
      .select()
      .from(outbox)
      .where(inArray(outbox.channel, [primary.id, SUPPORT_CHANNEL]))
      .orderBy(asc(outbox.seq));
    expect(rows.filter((r) => r.status === 'dead')).toEqual([]);
    const queued = (channel: string) =>
      rows
        .filter((r) => r.channel === channel && r.status === 'sent')
        .map((r) => {
          const [kind, what, id] = r.key.split(':');
          if (kind === 'letter') return `letter ${referenceOf.get(what!)}`;
          if (kind === 'post') return `${what} ${what === 'setup' ? accountOf.get(id!) : referenceOf.get(id!)}`;
          return `${what} ${what === 'setup_reminder' ? accountOf.get(id!) : referenceOf.get(id!)}`;
        });
    const shownInDm = slack
      .dm(primary.id)
      .map((m) =>
        m.text.includes('Reminder') ? `setup_reminder ${/set up (.+)\.$/.exec(m.text)?.[1]}` : `setup ${/“(.+)”/.exec(m.text)?.[1]}`,
      );
    const shownInSupport = supportPosts().map((m) => {
      const kind = m.files?.length ? 'letter' : m.threadTs && m.threadTs !== m.ts ? 'recovery_reminder' : 'recovery';
      return `${kind} ${/REC-[A-Z0-9]{6}/.exec(m.text)?.[0]}`;
    });
    expect(shownInDm).toHaveLength(2 * ACCOUNTS);
    expect(shownInDm).toEqual(queued(primary.id));
    expect(shownInSupport).toEqual(queued(SUPPORT_CHANNEL));
    // Every setup DM came before its reminder, and every thread reply is in its own request's thread.
    for (let i = 1; i <= ACCOUNTS; i++)
      expect(shownInDm.indexOf(`setup Account ${i}`)).toBeLessThan(shownInDm.indexOf(`setup_reminder Account ${i}`));
    for (const parent of supportPosts().filter((m) => !m.threadTs)) {
      const reference = /REC-[A-Z0-9]{6}/.exec(parent.text)?.[0];
      for (const reply of threadOf(parent)) expect(reply.text).toContain(reference);
    }
    for (const bot of replicas)
      expect(
        bot.logLines().filter((l) => Number(l.level) >= 50),
        `errors logged by ${bot.name}`,
      ).toEqual([]);
  });

  it('SIGTERM: the bot stops accepting, finishes, closes the database and exits 0 within the bound', { timeout: 30_000 }, async () => {
    const { settings } = await startWorld([{ id: 'U0PRIMARY', name: 'pat' }]);
    const bot = await startBot(settings, { name: 'graceful' });
    const started = Date.now();
    bot.child.kill('SIGTERM');
    const { code, signal } = await bot.exit;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(fetch(`${bot.baseUrl}/healthz`)).rejects.toThrow();
  });
});
