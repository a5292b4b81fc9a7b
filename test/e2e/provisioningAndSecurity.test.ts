import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accounts, auditEvents, delegations } from '../../src/db/schema.js';
import { blocksText, signSlackRequest } from '../../src/sandbox/slack/index.js';
import {
  blockActionsBody,
  invite,
  people,
  provision,
  PROVISIONING_TOKEN,
  SIGNING_SECRET,
  startHarness,
  type Harness,
} from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const countAccounts = async () => (await h.database.db.select().from(accounts)).length;

describe('provisioning API', () => {
  it('201 with the account, by e-mail or by Slack user id, and the setup DM goes out', async () => {
    const byEmail = await provision(h);
    expect(byEmail.status).toBe(201);
    expect(byEmail.json).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Acme Corp',
      status: 'pending_setup',
      primaryContactUserId: people.primary.id,
      setupInviteExpiresAt: '2026-12-23T09:00:00.000Z',
    });
    const byId = await provision(h, { name: 'Globex', contractNumber: 'G-7', primaryContactUserId: people.other.id });
    expect(byId.status).toBe(201);
    expect(blocksText(h.slack.lastDm(people.other.id)!.blocks!)).toContain('set up “Globex” Enterprise Account');
  });

  it('401 without the right token, compared in constant time, and nothing is created', async () => {
    expect((await provision(h, undefined, 'wrong-token')).status).toBe(401);
    const res = await fetch(`${h.baseUrl}/api/accounts`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
    expect(await countAccounts()).toBe(0);
  });

  it('400 with field errors for bad input', async () => {
    const res = await provision(h, { name: '', contractNumber: 'x'.repeat(41), primaryContactEmail: 'nope' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      error: 'invalid_fields',
      fields: { name: 'is required', contractNumber: 'must be at most 40 characters', primaryContactEmail: 'must be an e-mail address' },
    });
    const neither = await provision(h, { name: 'A', contractNumber: 'B' });
    expect(neither.json).toMatchObject({ fields: { primaryContact: 'give exactly one of primaryContactEmail and primaryContactUserId' } });
    const notJson = await provision(h, 'this is not json' as never);
    expect(notJson.status).toBe(400);
    expect(await countAccounts()).toBe(0);
  });

  it('409 for a name already taken, whatever its case', async () => {
    expect((await provision(h)).status).toBe(201);
    const again = await provision(h, { name: 'ACME corp', contractNumber: 'C-2', primaryContactEmail: people.other.email });
    expect(again.status).toBe(409);
    expect(await countAccounts()).toBe(1);
  });

  it('two racing requests for one name: one 201, one 409', async () => {
    const results = await Promise.all([
      provision(h),
      provision(h, { name: 'acme corp', contractNumber: 'C-9', primaryContactEmail: people.other.email }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await countAccounts()).toBe(1);
  });

  it('422 when the primary contact is not an active person in Slack', async () => {
    const res = await provision(h, { name: 'Acme', contractNumber: 'C', primaryContactEmail: 'ghost@nowhere.example' });
    expect(res.status).toBe(422);
    expect((await provision(h, { name: 'Acme', contractNumber: 'C', primaryContactUserId: 'U0NOBODY' })).status).toBe(422);
    expect((await provision(h, { name: 'Acme', contractNumber: 'C', primaryContactUserId: people.helperBot.id })).status).toBe(422);
    expect(await countAccounts()).toBe(0);
  });

  it('/healthz answers 200 while the database answers', async () => {
    const res = await fetch(`${h.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: true, outbox: { pending: 0, dead: 0, oldestPendingSeconds: null } });
  });
});

describe('operations endpoints', () => {
  it('/readyz reports the database, current migrations and the outbox', async () => {
    const res = await fetch(`${h.baseUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ready: true, database: true, migrations: { current: true }, outbox: { pending: 0, dead: 0 } });
  });

  it('/metrics counts Slack requests by type, times acks and job runs, and reports the outbox', async () => {
    await provision(h);
    await h.driver.command(people.primary.id, 'help');
    await h.vouch.jobs.runSweep();
    const text = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(text).toContain('vouch_slack_requests_total{type="slash_command",outcome="ok"} 1');
    expect(text).toMatch(/vouch_slack_ack_seconds_count \d+/);
    expect(text).toContain('vouch_job_duration_seconds_count{job="sweep",outcome="ok"} 1');
    expect(text).toContain('vouch_outbox_pending 0');
  });
});

describe('METRICS_TOKEN', () => {
  const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

  it('when set, /metrics wants it as a bearer token; health stays open and shows no secret', async () => {
    await h.close();
    h = await startHarness({ metricsToken: METRICS_TOKEN });
    const metrics = (authorization?: string) => fetch(`${h.baseUrl}/metrics`, authorization ? { headers: { authorization } } : {});
    const without = await metrics();
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toContain('Bearer');
    expect(await without.text()).not.toContain('vouch_');
    expect((await metrics(`Bearer ${METRICS_TOKEN}x`)).status).toBe(401);
    expect((await metrics(METRICS_TOKEN)).status).toBe(401);
    const withToken = await metrics(`Bearer ${METRICS_TOKEN}`);
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain('vouch_outbox_pending');

    for (const path of ['/healthz', '/readyz']) {
      const res = await fetch(`${h.baseUrl}${path}`);
      expect(res.status).toBe(200);
      const body = await res.text();
      for (const secret of [METRICS_TOKEN, PROVISIONING_TOKEN, SIGNING_SECRET, 'xoxb-']) expect(body).not.toContain(secret);
    }
  });

  it('unset, /metrics is open as before', async () => {
    expect((await fetch(`${h.baseUrl}/metrics`)).status).toBe(200);
  });
});

describe('request signatures', () => {
  async function approveBody(): Promise<string> {
    await provision(h);
    const { confirmation } = await invite(h, h.slack.lastDm(people.primary.id)!);
    const [delegation] = await h.database.db.select().from(delegations);
    return blockActionsBody(h, people.primary.id, confirmation, 'delegation.approve', delegation!.id);
  }

  const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };

  it('a forged signature gets 401 and changes nothing', async () => {
    const body = await approveBody();
    const headers = signSlackRequest('not-the-secret', body, Math.floor(Date.now() / 1000));
    const res = await h.driver.post(body, { ...formHeaders, ...headers });
    expect(res.status).toBe(401);
    const [delegation] = await h.database.db.select().from(delegations);
    expect(delegation?.status).toBe('awaiting_confirmation');
    expect(h.slack.dm(people.colleague.id)).toHaveLength(0);
  });

  it('a valid signature on a timestamp 6 minutes old gets 401 and changes nothing', async () => {
    const body = await approveBody();
    const headers = signSlackRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000) - 6 * 60);
    const res = await h.driver.post(body, { ...formHeaders, ...headers });
    expect(res.status).toBe(401);
    const [delegation] = await h.database.db.select().from(delegations);
    expect(delegation?.status).toBe('awaiting_confirmation');
  });

  it('the same body correctly signed now is accepted: the two tests above fail for the signature alone', async () => {
    const body = await approveBody();
    const headers = signSlackRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000));
    const res = await h.driver.post(body, { ...formHeaders, ...headers });
    expect(res.status).toBe(200);
    await h.vouch.idle();
    expect(h.slack.dm(people.colleague.id)).toHaveLength(1);
    expect((await h.database.db.select().from(auditEvents)).map((e) => e.action)).toContain('delegation.approved');
  });
});
