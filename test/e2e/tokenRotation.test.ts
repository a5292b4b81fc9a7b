// Token rotation, end to end: expiring xoxe.xoxb-1- tokens are refreshed before use, once across
// replicas and concurrent requests, for listeners (Bolt's authorize, through the installation
// store) and for the outbox and jobs (`tokenFor`) alike. The clock moves; nothing sleeps.

import { afterEach, describe, expect, it } from 'vitest';
import { isWorkspaceUnavailable } from '../../src/bot/installations/index.js';
import { slackInstallations } from '../../src/db/schema.js';
import { HOUR } from '../support/clock.js';
import { installThroughBrowser, startDistributedHarness, type DistributedHarness } from '../support/distribution.js';
import { people } from '../support/harness.js';
import { capturingLogger } from '../support/logs.js';

let h: DistributedHarness;

afterEach(async () => {
  await h?.close();
});

const refreshes = () => h.slack.calls('oauth.v2.access').filter((c) => c.args.grant_type === 'refresh_token');

async function installAcme() {
  const installed = await installThroughBrowser(h, { teamId: h.acme.teamId, userId: people.primary.id });
  expect(installed.status).toBe(200);
  return h.slack.installation('T0ACME')!;
}

describe('token rotation', () => {
  it('refreshes an expired token once, with concurrent requests on two replicas, for listeners and the outbox alike', async () => {
    h = await startDistributedHarness({ tokenRotation: true, replicas: 2 });
    const installed = await installAcme();
    expect(installed.botToken).toMatch(/^xoxe\.xoxb-1-/);
    const [row] = await h.database.db.select().from(slackInstallations);
    expect(row!.botTokenExpiresAt).toEqual(new Date(h.clock.now().getTime() + 12 * HOUR));

    for (const round of [1, 2]) {
      // Past the token's 12 hours: the stand-in refuses it with token_expired.
      h.clock.advance(12 * HOUR + 60_000);
      const drivers = h.replicas.map((r) => h.driver(h.acme, r.baseUrl));
      const work = await Promise.all([
        ...h.replicas.flatMap((r) => [1, 2, 3].map(() => r.vouch.context.workspaces!.tokenFor({ teamId: 'T0ACME' }))),
        ...drivers.map((d) => d.commandShown(people.primary.id, 'recover')),
        ...drivers.map((d) => d.command(people.colleague.id, 'recover')),
      ]);
      expect(refreshes()).toHaveLength(round);
      const current = h.slack.installation('T0ACME')!;
      expect(current.refreshes).toBe(round);
      const tokens = work.slice(0, 6) as Array<{ botToken: string }>;
      expect(new Set(tokens.map((t) => t.botToken))).toEqual(new Set([current.botToken]));
      for (const answer of work.slice(6) as Array<{ status: number }>) expect(answer.status).toBe(200);

      // The listener's own calls go out with the new token, and work.
      const before = h.slack.calls('views.open').length;
      await drivers[1]!.clickEphemeral(people.primary.id, h.acme.lastEphemeral(people.primary.id)!, 'Request admin access');
      const opened = h.slack.calls('views.open').slice(before);
      expect(opened.map((c) => [c.team, (c.response as { ok: boolean }).ok])).toEqual([['T0ACME', true]]);
      // And so do the outbox's, through the same store.
      const outboxClient = h.replicas[0]!.vouch.context.workspaces!.clientFor({ teamId: 'T0ACME' });
      expect((await outboxClient.chat.postMessage({ channel: people.primary.id, text: `round ${round}` })).ok).toBe(true);
    }
    expect(h.slack.calls().filter((c) => (c.response as { error?: string } | null)?.error === 'token_expired')).toEqual([]);
  });

  it('refreshes before the token expires, within two hours of its end', async () => {
    h = await startDistributedHarness({ tokenRotation: true });
    const first = (await installAcme()).botToken;
    const tokens = h.vouch.context.workspaces!;
    h.clock.advance(10 * HOUR - 60_000);
    expect((await tokens.tokenFor({ teamId: 'T0ACME' })).botToken).toBe(first);
    expect(refreshes()).toHaveLength(0);
    h.clock.advance(60_000);
    expect((await tokens.tokenFor({ teamId: 'T0ACME' })).botToken).not.toBe(first);
    expect(refreshes()).toHaveLength(1);
  });

  it('a refresh Slack does not answer is logged, the token serves until it expires, then the workspace is unavailable until Slack answers', async () => {
    const capture = capturingLogger('info');
    h = await startDistributedHarness({ tokenRotation: true, logger: capture.logger });
    const first = (await installAcme()).botToken;
    const tokens = h.vouch.context.workspaces!;

    h.clock.advance(11 * HOUR);
    h.slack.failNext('oauth.v2.access', { error: 'internal_error' });
    expect((await tokens.tokenFor({ teamId: 'T0ACME' })).botToken).toBe(first);
    expect(capture.text()).toContain('Slack did not refresh the install’s token');

    h.clock.advance(HOUR);
    h.slack.failNext('oauth.v2.access', { error: 'internal_error' });
    const error = await tokens.tokenFor({ teamId: 'T0ACME' }).catch((e: unknown) => e);
    expect(isWorkspaceUnavailable(error) && error.reason).toBe('refresh_failed');
    expect((error as { data: { error: string } }).data.error).toBe('workspace_token_refresh_failed');

    const refreshed = await tokens.tokenFor({ teamId: 'T0ACME' });
    expect(refreshed.botToken).toBe(h.slack.installation('T0ACME')!.botToken);
    expect(refreshed.botToken).not.toBe(first);
  });

  it('a refresh Slack refuses for good ends the install', async () => {
    h = await startDistributedHarness({ tokenRotation: true });
    await installAcme();
    h.clock.advance(12 * HOUR);
    h.slack.failNext('oauth.v2.access', { error: 'invalid_refresh_token' });
    const error = await h.vouch.context.workspaces!.tokenFor({ teamId: 'T0ACME' }).catch((e: unknown) => e);
    expect(isWorkspaceUnavailable(error) && error.reason).toBe('uninstalled');
    const [row] = await h.database.db.select().from(slackInstallations);
    expect(row).toMatchObject({ revokedReason: 'refresh_refused', botToken: null, botRefreshToken: null });
  });
});
