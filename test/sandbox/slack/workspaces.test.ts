// Several workspaces in one stand-in (workspace.ts, oauth.ts, http.ts): each with its own users,
// channels and tokens; installs through the authorize page and oauth.v2.access; token rotation;
// uninstalling and revoking, told to the app with signed events; org-wide installs.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { signSlackRequest, type FakeSlack, type FakeWorkspace } from '../../../src/sandbox/slack/index.js';
import { type Loose, silentLogger, slackError, START, startFakeSlack } from './setup.js';

const APP = { clientId: '1111.2222', clientSecret: 'client-secret-0123', signingSecret: 'app-signing-secret' };
const REDIRECT = 'https://vouch.example/slack/oauth_redirect';

let clock: number;
let fake: FakeSlack;
let acme: FakeWorkspace;
let events: { server: Server; url: string; received: Array<{ headers: Loose; body: string }> };

const clientFor = (token: string) =>
  new WebClient(token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: silentLogger });
const noToken = () => new WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: silentLogger });

/** The link an app's install page would put behind "Add to Slack". */
function installLink(state = 'state-1', extra: Record<string, string> = {}): string {
  const url = new URL(fake.authorizeUrl);
  url.search = new URLSearchParams({ scope: 'chat:write,users:read', state, client_id: APP.clientId, ...extra }).toString();
  return url.toString();
}

async function install(choice: { teamId?: string; enterpriseId?: string; userId: string }) {
  const back = new URL(await fake.approveInstall(installLink(), choice));
  return noToken().oauth.v2.access({ client_id: APP.clientId, client_secret: APP.clientSecret, code: back.searchParams.get('code')! });
}

beforeEach(async () => {
  clock = START;
  ({ fake } = await startFakeSlack(() => clock));
  acme = fake.addTeam({ teamId: 'T0ACME', teamName: 'Acme', teamDomain: 'acme' });
  // The same user id as in the first workspace: ids are unique only within a workspace.
  acme.addUser({ id: 'U0ALICE', name: 'alice-at-acme', email: 'alice@acme.example' });
  acme.addChannel({ id: 'C0GENERAL', name: 'acme-general', members: ['U0ALICE'] });
  const received: Array<{ headers: Loose; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  events = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, received };
  fake.configureApp({ ...APP, redirectUrls: [REDIRECT], eventsUrl: events.url });
});

afterEach(async () => {
  await fake.stop();
  await new Promise((resolve) => events.server.close(resolve));
});

describe('several workspaces', () => {
  it('keeps each workspace apart: a token acts only in its own, and every call names its team', async () => {
    const acmeStatic = fake.addTeam({ teamId: 'T0BETA', botToken: 'xoxb-beta-static' });
    acmeStatic.addUser({ id: 'U0ALICE', name: 'alice-at-beta' });
    const beta = clientFor('xoxb-beta-static');
    const first = clientFor(fake.botToken);

    expect((await beta.users.info({ user: 'U0ALICE' })).user?.name).toBe('alice-at-beta');
    expect((await first.users.info({ user: 'U0ALICE' })).user?.name).toBe('alice');
    await beta.chat.postMessage({ channel: 'U0ALICE', text: 'to Beta’s Alice' });
    expect(acmeStatic.lastDm('U0ALICE')?.text).toBe('to Beta’s Alice');
    expect(fake.lastDm('U0ALICE')).toBeUndefined();
    expect(fake.calls('chat.postMessage').map((c) => c.team)).toEqual(['T0BETA']);
    expect(fake.calls('users.info').map((c) => c.team)).toEqual(['T0BETA', 'T0VOUCH']);
    expect((await beta.auth.test()).team_id).toBe('T0BETA');
    // A workspace that has not installed the app has no working token.
    expect((await slackError(clientFor('xoxb-unusable-0ACME').auth.test())).data.error).toBe('invalid_auth');
  });

  it('announces changes in another workspace with its team, the first one’s as before', async () => {
    const changes: Loose[] = [];
    fake.on('change', (c) => changes.push(c));
    const token = (await install({ teamId: 'T0ACME', userId: 'U0ALICE' })).access_token as string;
    await clientFor(token).chat.postMessage({ channel: 'C0GENERAL', text: 'hi Acme' });
    await clientFor(fake.botToken).chat.postMessage({ channel: 'C0GENERAL', text: 'hi' });
    expect(changes).toEqual([
      expect.objectContaining({ kind: 'message', channel: 'C0GENERAL', team: 'T0ACME' }),
      expect.not.objectContaining({ team: expect.anything() }),
    ]);
  });

  it('fails and rate-limits per workspace', async () => {
    const token = (await install({ teamId: 'T0ACME', userId: 'U0ALICE' })).access_token as string;
    fake.failNext('chat.postMessage', { error: 'channel_not_found' }, 1, { team: 'T0ACME' });
    await clientFor(fake.botToken).chat.postMessage({ channel: 'C0GENERAL', text: 'the first workspace is not concerned' });
    expect((await slackError(clientFor(token).chat.postMessage({ channel: 'C0GENERAL', text: 'x' }))).data.error).toBe('channel_not_found');

    fake.setRateLimit({ perMinutePerMethod: { 'users.info': 1 } });
    await clientFor(token).users.info({ user: 'U0ALICE' });
    await clientFor(fake.botToken).users.info({ user: 'U0ALICE' }); // another workspace: its own window
    const limited = await slackError(clientFor(token).users.info({ user: 'U0ALICE' }));
    expect(limited.code).toBe('slack_webapi_rate_limited_error');
  });
});

describe('installing through OAuth', () => {
  it('shows an authorize page, sends the installer back with a one-time code and the state, and exchanges it for a token', async () => {
    const page = await fetch(installLink());
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Acme: alice-at-acme');
    expect(html).toContain('Vouch Sandbox: Alice Liddell');

    const back = new URL(await fake.approveInstall(installLink('the-state'), { teamId: 'T0ACME', userId: 'U0ALICE' }));
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('the-state');
    const code = back.searchParams.get('code')!;

    const access = await noToken().oauth.v2.access({ client_id: APP.clientId, client_secret: APP.clientSecret, code });
    expect(access).toMatchObject({
      ok: true,
      token_type: 'bot',
      scope: 'chat:write,users:read',
      bot_user_id: acme.botUserId,
      app_id: fake.appId,
      team: { id: 'T0ACME', name: 'Acme' },
      enterprise: null,
      is_enterprise_install: false,
      authed_user: { id: 'U0ALICE' },
    });
    expect(access.access_token).toMatch(/^xoxb-[0-9a-f]{32}$/);
    expect(access.refresh_token).toBeUndefined();
    expect(await clientFor(access.access_token!).auth.test()).toMatchObject({ team_id: 'T0ACME', user_id: acme.botUserId });
    expect(fake.installation('T0ACME')).toMatchObject({ installs: 1, installerUserId: 'U0ALICE', revoked: false });

    // A code works once, only with the app's secret, and not for long.
    const again = await slackError(noToken().oauth.v2.access({ client_id: APP.clientId, client_secret: APP.clientSecret, code }));
    expect(again.data.error).toBe('invalid_code');
    const other = new URL(await fake.approveInstall(installLink(), { teamId: 'T0ACME', userId: 'U0ALICE' })).searchParams.get('code')!;
    const wrongSecret = await slackError(noToken().oauth.v2.access({ client_id: APP.clientId, client_secret: 'nope', code: other }));
    expect(wrongSecret.data.error).toBe('bad_client_secret');
    clock += 11 * 60_000;
    const late = await slackError(noToken().oauth.v2.access({ client_id: APP.clientId, client_secret: APP.clientSecret, code: other }));
    expect(late.data.error).toBe('invalid_code');
  });

  it('refuses a link with another client id or a redirect URL the app does not have, and says Cancel with access_denied', async () => {
    expect((await fetch(installLink('s', { client_id: '9999' }))).status).toBe(400);
    const foreign = await fetch(installLink('s', { redirect_uri: 'https://evil.example/cb' }));
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('redirect_uri did not match');

    const cancelled = new URL(await fake.approveInstall(installLink('s2'), { teamId: 'T0ACME', userId: 'U0ALICE', cancel: true }));
    expect(cancelled.searchParams.get('error')).toBe('access_denied');
    expect(cancelled.searchParams.get('state')).toBe('s2');
    expect(cancelled.searchParams.get('code')).toBeNull();
  });

  it('with a redirect_uri in the link, the exchange must name the same one', async () => {
    const back = new URL(await fake.approveInstall(installLink('s', { redirect_uri: REDIRECT }), { teamId: 'T0ACME', userId: 'U0ALICE' }));
    const code = back.searchParams.get('code')!;
    const args = { client_id: APP.clientId, client_secret: APP.clientSecret, code };
    expect((await slackError(noToken().oauth.v2.access(args))).data.error).toBe('bad_redirect_uri');
    expect((await noToken().oauth.v2.access({ ...args, redirect_uri: REDIRECT })).ok).toBe(true);
  });

  it('a reinstall replaces the tokens: the old one stops working', async () => {
    const first = (await install({ teamId: 'T0ACME', userId: 'U0ALICE' })).access_token!;
    const second = (await install({ teamId: 'T0ACME', userId: 'U0ALICE' })).access_token!;
    expect(second).not.toBe(first);
    expect((await slackError(clientFor(first).auth.test())).data.error).toBe('invalid_auth');
    expect((await clientFor(second).auth.test()).team_id).toBe('T0ACME');
    expect(fake.installation('T0ACME')?.installs).toBe(2);
  });
});

describe('token rotation', () => {
  beforeEach(() => {
    fake.configureApp({ ...APP, redirectUrls: [REDIRECT], eventsUrl: events.url, tokenRotation: true });
  });

  it('issues expiring xoxe tokens with a refresh token; an expired token is refused, a refresh gives new ones once', async () => {
    const access = await install({ teamId: 'T0ACME', userId: 'U0ALICE' });
    expect(access.access_token).toMatch(/^xoxe\.xoxb-1-[0-9a-f]{32}$/);
    expect(access.refresh_token).toMatch(/^xoxe-1-[0-9a-f]{32}$/);
    expect(access.expires_in).toBe(43_200);

    clock += 43_200_000;
    expect((await slackError(clientFor(access.access_token!).auth.test())).data.error).toBe('token_expired');

    const refreshArgs = { client_id: APP.clientId, client_secret: APP.clientSecret, grant_type: 'refresh_token' as const };
    const refreshed = await noToken().oauth.v2.access({ ...refreshArgs, refresh_token: access.refresh_token! });
    expect(refreshed).toMatchObject({ ok: true, token_type: 'bot', team: { id: 'T0ACME' }, expires_in: 43_200 });
    expect(refreshed.access_token).not.toBe(access.access_token);
    expect(refreshed.refresh_token).not.toBe(access.refresh_token);
    expect((await clientFor(refreshed.access_token!).auth.test()).team_id).toBe('T0ACME');
    // A spent refresh token does not refresh again.
    const twice = await slackError(noToken().oauth.v2.access({ ...refreshArgs, refresh_token: access.refresh_token! }));
    expect(twice.data.error).toBe('invalid_refresh_token');
    expect(fake.installation('T0ACME')?.refreshes).toBe(1);
  });
});

describe('the end of an install', () => {
  it('uninstalling refuses the tokens with token_revoked and sends the app a signed app_uninstalled; a reinstall works again', async () => {
    const token = (await install({ teamId: 'T0ACME', userId: 'U0ALICE' })).access_token!;
    expect((await fake.uninstall('T0ACME')).status).toBe(200);

    expect((await slackError(clientFor(token).chat.postMessage({ channel: 'U0ALICE', text: 'x' }))).data.error).toBe('token_revoked');
    expect(fake.installation('T0ACME')?.revoked).toBe(true);
    const [delivery] = events.received;
    const body = JSON.parse(delivery!.body) as Loose;
    expect(body).toMatchObject({
      type: 'event_callback',
      team_id: 'T0ACME',
      api_app_id: fake.appId,
      event: { type: 'app_uninstalled' },
      authorizations: [{ team_id: 'T0ACME', user_id: acme.botUserId, is_enterprise_install: false }],
    });
    const timestamp = Number(delivery!.headers['x-slack-request-timestamp']);
    expect(delivery!.headers['x-slack-signature']).toBe(
      signSlackRequest(APP.signingSecret, delivery!.body, timestamp)['x-slack-signature'],
    );

    const again = (await install({ teamId: 'T0ACME', userId: 'U0ALICE' })).access_token!;
    expect((await clientFor(again).auth.test()).team_id).toBe('T0ACME');
    expect(fake.installation('T0ACME')).toMatchObject({ revoked: false, installs: 2 });
  });

  it('revoking the bot’s tokens sends tokens_revoked naming the bot user', async () => {
    const token = (await install({ teamId: 'T0ACME', userId: 'U0ALICE' })).access_token!;
    await fake.revokeTokens('T0ACME');
    expect((await slackError(clientFor(token).auth.test())).data.error).toBe('token_revoked');
    expect(JSON.parse(events.received[0]!.body).event).toMatchObject({
      type: 'tokens_revoked',
      tokens: { oauth: [], bot: [acme.botUserId] },
    });
  });

  it('a single-workspace app’s own token is refused once the app is uninstalled', async () => {
    const client = clientFor(fake.botToken);
    expect((await client.auth.test()).ok).toBe(true);
    await fake.uninstall(fake.teamId);
    expect((await slackError(client.auth.test())).data.error).toBe('token_revoked');
  });
});

describe('Enterprise Grid', () => {
  it('installs org-wide: one token for every workspace of the organization, team null, is_enterprise_install', async () => {
    const north = fake.addTeam({ teamId: 'T0NORTH', teamName: 'North', enterpriseId: 'E0GRID', enterpriseName: 'Grid Corp' });
    const south = fake.addTeam({ teamId: 'T0SOUTH', teamName: 'South', enterpriseId: 'E0GRID', enterpriseName: 'Grid Corp' });
    north.addUser({ id: 'W0ADMIN', name: 'admin' });
    south.addUser({ id: 'W0SOUTHY', name: 'southy' });

    const access = await install({ enterpriseId: 'E0GRID', userId: 'W0ADMIN' });
    expect(access).toMatchObject({ team: null, enterprise: { id: 'E0GRID', name: 'Grid Corp' }, is_enterprise_install: true });
    const org = clientFor(access.access_token!);
    expect(await org.auth.test()).toMatchObject({ is_enterprise_install: true, enterprise_id: 'E0GRID' });
    expect((await org.users.info({ user: 'W0SOUTHY', team_id: 'T0SOUTH' } as never)).user?.name).toBe('southy');
    expect(fake.installation('E0GRID')).toMatchObject({ isEnterpriseInstall: true, enterpriseId: 'E0GRID' });

    await fake.uninstall('E0GRID');
    expect(JSON.parse(events.received[0]!.body)).toMatchObject({
      enterprise_id: 'E0GRID',
      is_enterprise_install: true,
      authorizations: [{ enterprise_id: 'E0GRID', team_id: null, is_enterprise_install: true }],
    });
    expect((await slackError(org.auth.test())).data.error).toBe('token_revoked');
  });
});
