// Distribution (Slack OAuth), end to end: real Bolt over HTTP with real signatures against the
// stand-in's three workspaces. Installing through /slack/install → Slack's authorize page →
// /slack/oauth_redirect; the one-time state; reinstalling; uninstalling and revoking; Enterprise
// Grid org-wide installs; the pages in words; and no token in clear in the database.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { isWorkspaceUnavailable } from '../../src/bot/installations/index.js';
import { oauthStates, slackInstallations } from '../../src/db/schema.js';
import {
  installThroughBrowser,
  openInstallPage,
  returnFromSlack,
  startDistributedHarness,
  STATE_COOKIE,
  APP,
  type DistributedHarness,
} from '../support/distribution.js';
import { capturingLogger } from '../support/logs.js';
import { onRealPostgres } from '../support/database.js';
import { people, SUPPORT_CHANNEL } from '../support/harness.js';

let h: DistributedHarness;

/** Nothing of the app's own secrets goes into the database either. */
const APP_SECRET_MARK = APP.clientSecret;

/** pg_dump, found as .ci/run finds the server's binaries: the newest PostgreSQL's bin directory, else the PATH. */
function findPgDump(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_dump'))) : [];
  versions.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const newest = versions.at(-1);
  if (newest) return join(root, newest, 'bin', 'pg_dump');
  return spawnSync('pg_dump', ['--version']).status === 0 ? 'pg_dump' : undefined;
}

afterEach(async () => {
  await h?.close();
});

const rows = () => h.database.db.select().from(slackInstallations).orderBy(asc(slackInstallations.installKey));
const unavailable = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isWorkspaceUnavailable(error), `expected WorkspaceUnavailableError, got ${String(error)}`).toBe(true);
  return error as { reason: string };
};

describe('installing Vouch into workspaces', () => {
  it('installs three workspaces through /slack/install, Slack’s authorize page and /slack/oauth_redirect', async () => {
    h = await startDistributedHarness();
    const installs = [
      { workspace: h.provider, userId: people.supportA.id, name: 'Provider Inc' },
      { workspace: h.acme, userId: people.primary.id, name: 'Acme Corp' },
      { workspace: h.beta, userId: people.primary.id, name: 'Beta Ltd' },
    ];
    for (const { workspace, userId, name } of installs) {
      const { status, html, visit } = await installThroughBrowser(h, { teamId: workspace.teamId, userId });
      expect(visit.setCookie).toMatch(new RegExp(`^${STATE_COOKIE}=[^;]+; Secure; HttpOnly; Path=/; Max-Age=600$`));
      // "Add to Slack" leads to the stand-in, found beside SLACK_API_URL, with the scopes of the manifest.
      expect(visit.authorizeLink.startsWith(h.slack.authorizeUrl)).toBe(true);
      expect(new URL(visit.authorizeLink).searchParams.get('scope')).toBe(
        'chat:write,commands,users:read,users:read.email,channels:read,groups:read,files:read,files:write,im:write',
      );
      expect(status).toBe(200);
      expect(html).toContain('Vouch is installed');
      expect(html).toContain(name);
    }

    // The code exchange and its auth.test went to the stand-in (SLACK_API_URL), not slack.com.
    expect(h.slack.calls('oauth.v2.access')).toHaveLength(3);
    expect(h.slack.calls('auth.test').map((c) => c.team)).toEqual(['T0VOUCH', 'T0ACME', 'T0BETA']);
    const stored = await rows();
    expect(stored.map((r) => [r.installKey, r.teamName, r.installerUserId, r.isEnterpriseInstall, r.revokedAt])).toEqual([
      ['team:T0ACME', 'Acme Corp', people.primary.id, false, null],
      ['team:T0BETA', 'Beta Ltd', people.primary.id, false, null],
      ['team:T0VOUCH', 'Provider Inc', people.supportA.id, false, null],
    ]);
    for (const { workspace } of installs) {
      const auth = await h.vouch.context.workspaces!.tokenFor({ teamId: workspace.teamId });
      expect(auth.botToken).toBe(h.slack.installation(workspace.teamId)?.botToken);
      expect(auth.botUserId).toBe(workspace.botUserId);
      // Sealed in the table: the token is not there in clear.
      expect(stored.find((r) => r.teamId === workspace.teamId)?.botToken).not.toContain(auth.botToken);
    }
    // Each state was used up.
    expect(await h.database.db.select().from(oauthStates)).toEqual([]);
  });

  it('authorizes each workspace’s requests with its own install’s token', async () => {
    h = await startDistributedHarness();
    await installThroughBrowser(h, { teamId: h.acme.teamId, userId: people.primary.id });
    await installThroughBrowser(h, { teamId: h.beta.teamId, userId: people.primary.id });

    // Bolt's client in the listener opens the modal with Beta's token, in Beta.
    const beta = h.driver(h.beta);
    await beta.commandShown(people.primary.id, 'recover');
    const offer = h.beta.lastEphemeral(people.primary.id)!;
    await beta.clickEphemeral(people.primary.id, offer, 'Request admin access');
    expect(h.beta.openView(people.primary.id)?.view).toMatchObject({ callback_id: 'recovery_request' });
    expect(h.acme.openView(people.primary.id)).toBeUndefined();
    expect(h.slack.calls('views.open').map((c) => c.team)).toEqual(['T0BETA']);
  });

  it('before the provider has installed Vouch no one is support and /readyz says why; after, the channel is read with its token', async () => {
    const capture = capturingLogger('warn');
    h = await startDistributedHarness({ logger: capture.logger });
    expect(capture.text()).toContain('Vouch is not installed in workspace T0VOUCH. Install Vouch into the provider’s workspace');
    const before = await fetch(`${h.baseUrl}/readyz`);
    expect(before.status).toBe(503);
    expect(((await before.json()) as { supportChannel: { problem: string } }).supportChannel.problem).toContain(
      'Install Vouch into the provider’s workspace (SUPPORT_TEAM_ID)',
    );

    await installThroughBrowser(h, { teamId: h.provider.teamId, userId: people.supportA.id });
    const after = await fetch(`${h.baseUrl}/readyz`);
    expect(((await after.json()) as { supportChannel: unknown }).supportChannel).toEqual({ id: SUPPORT_CHANNEL, private: true, ok: true });
    expect(await h.vouch.context.support.isMember(people.supportA.id, { teamId: 'T0VOUCH', enterpriseId: null })).toBe(true);
    // Only in the provider's workspace: the same user id elsewhere, or no workspace named, is not support.
    expect(await h.vouch.context.support.isMember(people.supportA.id, { teamId: 'T0ACME', enterpriseId: null })).toBe(false);
    expect(await h.vouch.context.support.isMember(people.supportA.id)).toBe(false);
    expect(h.slack.calls('conversations.info').at(-1)?.team).toBe('T0VOUCH');
  });

  it('a reinstall updates the workspace’s row: new token, new installer, one row', async () => {
    h = await startDistributedHarness();
    await installThroughBrowser(h, { teamId: h.acme.teamId, userId: people.primary.id });
    const first = await h.vouch.context.workspaces!.tokenFor({ teamId: 'T0ACME' });
    const [before] = await rows();

    h.clock.advance(60_000);
    const again = await installThroughBrowser(h, { teamId: h.acme.teamId, userId: people.colleague.id });
    expect(again.status).toBe(200);
    const after = await rows();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ installKey: 'team:T0ACME', installerUserId: people.colleague.id, installedAt: before!.installedAt });
    expect(after[0]!.updatedAt.getTime()).toBe(before!.updatedAt.getTime() + 60_000);
    const second = await h.vouch.context.workspaces!.tokenFor({ teamId: 'T0ACME' });
    expect(second.botToken).not.toBe(first.botToken);
    expect(second.botToken).toBe(h.slack.installation('T0ACME')?.botToken);
  });

  it('installs org-wide into an Enterprise Grid organization and serves its workspaces', async () => {
    h = await startDistributedHarness();
    const north = h.slack.addTeam({ teamId: 'T0NORTH', teamName: 'North', enterpriseId: 'E0GRID', enterpriseName: 'Grid Corp' });
    h.slack.addTeam({ teamId: 'T0SOUTH', teamName: 'South', enterpriseId: 'E0GRID', enterpriseName: 'Grid Corp' });
    north.addUser({ id: 'W0ADMIN', name: 'ada', realName: 'Ada Admin' });

    const { status, html } = await installThroughBrowser(h, { enterpriseId: 'E0GRID', userId: 'W0ADMIN' });
    expect(status).toBe(200);
    expect(html).toContain('Grid Corp');
    expect((await rows()).map((r) => [r.installKey, r.isEnterpriseInstall, r.enterpriseId, r.teamId])).toEqual([
      ['enterprise:E0GRID', true, 'E0GRID', null],
    ]);
    const tokens = h.vouch.context.workspaces!;
    const orgToken = h.slack.installation('E0GRID')?.botToken;
    // A request through the org-wide install, and one that names only its workspace and organization.
    expect((await tokens.tokenFor({ teamId: 'T0NORTH', enterpriseId: 'E0GRID', isEnterpriseInstall: true })).botToken).toBe(orgToken);
    expect((await tokens.tokenFor({ teamId: 'T0SOUTH', enterpriseId: 'E0GRID' })).botToken).toBe(orgToken);
    await unavailable(tokens.tokenFor({ teamId: 'T0ACME' }));

    // A person of North uses Vouch: Bolt authorizes through the org-wide install.
    const driver = h.driver(north);
    const recover = await driver.commandShown('W0ADMIN', 'recover');
    expect(recover.status).toBe(200);
    await driver.clickEphemeral('W0ADMIN', north.lastEphemeral('W0ADMIN')!, 'Request admin access');
    expect(h.slack.calls('views.open').map((c) => c.team)).toEqual(['T0NORTH']);
  });
});

describe('the state of an install works once', () => {
  it('refuses a forged state, stores nothing and says so in words', async () => {
    h = await startDistributedHarness();
    const visit = await openInstallPage(h.baseUrl);
    const location = new URL(await h.slack.approveInstall(visit.authorizeLink, { teamId: h.acme.teamId, userId: people.primary.id }));
    const forged = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';
    location.searchParams.set('state', forged);

    const refused = await returnFromSlack(location.toString(), `${STATE_COOKIE}=${forged}`);
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('This installation link no longer works');
    expect(refused.html).not.toMatch(/slack_oauth|Error|at .*\.js/);
    // Without the state's cookie (another browser), the genuine state is refused too.
    location.searchParams.set('state', visit.state);
    expect((await returnFromSlack(location.toString(), undefined)).status).toBe(400);
    expect((await returnFromSlack(location.toString(), `${STATE_COOKIE}=another-browser`)).status).toBe(400);

    expect(await rows()).toEqual([]);
    expect(h.slack.calls('oauth.v2.access')).toEqual([]);
    // The genuine state was not spent by the refusals: its own browser can still finish.
    expect((await returnFromSlack(location.toString(), visit.cookie)).status).toBe(200);
  });

  it('refuses a replayed state, even with a fresh code for another workspace, and stores nothing', async () => {
    h = await startDistributedHarness();
    const visit = await openInstallPage(h.baseUrl);
    const first = await h.slack.approveInstall(visit.authorizeLink, { teamId: h.acme.teamId, userId: people.primary.id });
    expect((await returnFromSlack(first, visit.cookie)).status).toBe(200);

    // The same link, state and cookie again, with a new code for Beta.
    const replay = await h.slack.approveInstall(visit.authorizeLink, { teamId: h.beta.teamId, userId: people.primary.id });
    const refused = await returnFromSlack(replay, visit.cookie);
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('was used already');
    expect((await rows()).map((r) => r.installKey)).toEqual(['team:T0ACME']);
    expect(h.slack.calls('oauth.v2.access')).toHaveLength(1);
  });

  it('refuses a state older than ten minutes, and a cancelled install installs nothing', async () => {
    h = await startDistributedHarness();
    const visit = await openInstallPage(h.baseUrl);
    const back = await h.slack.approveInstall(visit.authorizeLink, { teamId: h.acme.teamId, userId: people.primary.id });
    h.clock.advance(10 * 60_000 + 1);
    expect((await returnFromSlack(back, visit.cookie)).status).toBe(400);

    const cancelled = await installThroughBrowser(h, { teamId: h.acme.teamId, userId: people.primary.id, cancel: true });
    expect(cancelled.status).toBe(400);
    expect(cancelled.html).toContain('The installation was cancelled in Slack');
    expect(await rows()).toEqual([]);
  });

  it('says in words when Slack does not complete the install', async () => {
    h = await startDistributedHarness();
    h.slack.failNext('oauth.v2.access', { error: 'invalid_code' });
    const failed = await installThroughBrowser(h, { teamId: h.acme.teamId, userId: people.primary.id });
    expect(failed.status).toBe(502);
    expect(failed.html).toContain('Vouch could not be installed');
    expect(failed.html).not.toMatch(/invalid_code|slack_|stack/i);
    expect(await rows()).toEqual([]);
  });
});

describe('the end of an install', () => {
  it('app_uninstalled marks the install revoked and erases its tokens; no call is made with them; a reinstall resumes', async () => {
    h = await startDistributedHarness();
    await installThroughBrowser(h, { teamId: h.acme.teamId, userId: people.primary.id });
    const tokens = h.vouch.context.workspaces!;
    const acmeClient = tokens.clientFor({ teamId: 'T0ACME' });
    await acmeClient.auth.test();

    expect((await h.slack.uninstall('T0ACME')).status).toBe(200);
    await h.vouch.idle(); // Slack has its answer at once; the listener finishes after it
    const [ended] = await rows();
    expect(ended).toMatchObject({ revokedReason: 'app_uninstalled', botToken: null, botRefreshToken: null });
    expect(ended!.revokedAt).toEqual(h.clock.now());
    expect((await unavailable(tokens.tokenFor({ teamId: 'T0ACME' }))).reason).toBe('uninstalled');
    expect(await tokens.installed({ teamId: 'T0ACME' })).toBeUndefined();

    // Nothing reaches Slack with Acme's token, from the outbox's client or from a listener.
    const callsBefore = h.slack.calls().length;
    await unavailable(acmeClient.chat.postMessage({ channel: people.primary.id, text: 'x' }));
    const refused = await h.driver(h.acme).command(people.primary.id, 'recover');
    expect(refused.status).toBe(200);
    expect(h.slack.calls().length).toBe(callsBefore);

    const again = await installThroughBrowser(h, { teamId: h.acme.teamId, userId: people.primary.id });
    expect(again.status).toBe(200);
    expect(await rows()).toEqual([expect.objectContaining({ revokedAt: null, revokedReason: null })]);
    expect((await acmeClient.auth.test()).team_id).toBe('T0ACME');
  });

  it('tokens_revoked marks the install revoked; Slack refusing a token with token_revoked does too', async () => {
    h = await startDistributedHarness();
    await installThroughBrowser(h, { teamId: h.acme.teamId, userId: people.primary.id });
    await installThroughBrowser(h, { teamId: h.beta.teamId, userId: people.primary.id });
    expect((await h.slack.revokeTokens('T0ACME')).status).toBe(200);
    await h.vouch.idle();
    expect((await rows()).map((r) => [r.installKey, r.revokedReason])).toEqual([
      ['team:T0ACME', 'tokens_revoked'],
      ['team:T0BETA', null],
    ]);

    // Slack ends Beta's install without the event reaching Vouch: the first refused call ends it here too.
    h.slack.failNext('chat.postMessage', { error: 'token_revoked' }, 1, { team: 'T0BETA' });
    const beta = h.vouch.context.workspaces!.clientFor({ teamId: 'T0BETA' });
    await expect(beta.chat.postMessage({ channel: people.primary.id, text: 'x' })).rejects.toMatchObject({
      data: { error: 'token_revoked' },
    });
    expect((await rows()).map((r) => r.revokedReason)).toEqual(['tokens_revoked', 'tokens_revoked']);
  });

  it('one workspace (SLACK_BOT_TOKEN): app_uninstalled is logged, and answered', async () => {
    const { startHarness, SIGNING_SECRET } = await import('../support/harness.js');
    const capture = capturingLogger('info');
    const single = await startHarness({ logger: capture.logger });
    try {
      single.slack.configureApp({
        clientId: '1.2',
        clientSecret: 'unused',
        signingSecret: SIGNING_SECRET,
        redirectUrls: ['https://unused.example/'],
        eventsUrl: `${single.baseUrl}/slack/events`,
      });
      expect((await single.slack.uninstall(single.slack.teamId)).status).toBe(200);
      await single.vouch.idle();
      expect(capture.text()).toContain('SLACK_BOT_TOKEN no longer works');
    } finally {
      await single.close();
    }
  });
});

describe('no token in clear', () => {
  it('no row of any table holds a token of the stand-in, and tokens sealed for one row do not open in another', async () => {
    h = await startDistributedHarness({ tokenRotation: true });
    for (const workspace of [h.provider, h.acme, h.beta]) {
      await installThroughBrowser(h, { teamId: workspace.teamId, userId: workspace.users().find((u) => !u.isBot)!.id });
    }
    const secrets = ['T0VOUCH', 'T0ACME', 'T0BETA'].flatMap((team) => {
      const install = h.slack.installation(team)!;
      return [install.botToken, install.refreshToken!];
    });
    expect(secrets.every((s) => /^xoxe/.test(s))).toBe(true);
    const { sql } = await import('drizzle-orm');
    const { rowsOf } = await import('../../src/db/client.js');
    const tables = rowsOf<{ name: string }>(
      await h.database.db.execute(sql`select tablename as name from pg_tables where schemaname = current_schema()`),
    ).map((t) => t.name);
    let everything = '';
    for (const table of tables) {
      everything += JSON.stringify(rowsOf(await h.database.db.execute(sql.raw(`select * from "${table}"`))));
    }
    expect(everything).toContain('T0ACME'); // the rows are there
    for (const secret of secrets) expect(everything).not.toContain(secret);

    // A sealed token copied into another install's row does not open there.
    const [acme] = await h.database.db.select().from(slackInstallations).where(eq(slackInstallations.teamId, 'T0ACME'));
    await h.database.db.update(slackInstallations).set({ botToken: acme!.botToken }).where(eq(slackInstallations.teamId, 'T0BETA'));
    await expect(h.vouch.context.workspaces!.tokenFor({ teamId: 'T0BETA' })).rejects.toThrow(/does not open/);
  });

  it.skipIf(!onRealPostgres)('a pg_dump of the database holds none of the tokens', async () => {
    const pgDump = findPgDump();
    expect(pgDump, 'pg_dump is needed with DATABASE_URL: install the PostgreSQL client').toBeDefined();
    h = await startDistributedHarness({ tokenRotation: true });
    await installThroughBrowser(h, { teamId: h.provider.teamId, userId: people.supportA.id });
    await installThroughBrowser(h, { teamId: h.acme.teamId, userId: people.primary.id });
    await installThroughBrowser(h, { teamId: h.beta.teamId, userId: people.primary.id });
    // A refresh writes new tokens too.
    h.clock.advance(12 * 3_600_000);
    await h.vouch.context.workspaces!.tokenFor({ teamId: 'T0ACME' });
    const secrets = ['T0VOUCH', 'T0ACME', 'T0BETA'].flatMap((team) => {
      const install = h.slack.installation(team)!;
      return [install.botToken, install.refreshToken!];
    });

    const dump = spawnSync(pgDump!, ['--no-owner', h.database.url!], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(dump.status, dump.stderr).toBe(0);
    expect(dump.stdout).toContain('COPY public.slack_installations');
    expect(dump.stdout).toContain('team:T0ACME');
    expect(dump.stdout).toMatch(/\bv1\.[0-9a-f]{8}\./); // the sealed tokens are in it
    for (const secret of secrets) expect(dump.stdout).not.toContain(secret);
    expect(dump.stdout).not.toContain(APP_SECRET_MARK);
  });
});
