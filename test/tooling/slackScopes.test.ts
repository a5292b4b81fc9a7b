// The manifest asks Slack for exactly what the code uses: every Web API method called in src/
// (the stand-in aside) has its scopes in manifest.json, every scope there is needed by some call,
// event or feature, and the events subscribed are the events listened to.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { botScopes } from '../../src/bot/installations/scopes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Web API method → the bot scopes Slack requires for it (api.slack.com/methods/<method>). A call
 * found in src/ that is not listed here fails the test: add it with its scopes.
 */
const methodScopes: Record<string, string[]> = {
  'auth.test': [],
  // An org-wide install's workspaces (to find the install serving a workspace of its organization): no scope.
  'auth.teams.list': [],
  // The install's code exchange and, with token rotation, the refresh: the app's credentials, no scope.
  'oauth.v2.access': [],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.delete': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.getPermalink': [],
  'views.open': [],
  'views.push': [],
  'views.update': [],
  'views.publish': [],
  'users.info': ['users:read'],
  'users.list': ['users:read'],
  // Slack grants users:read.email only together with users:read.
  'users.lookupByEmail': ['users:read', 'users:read.email'],
  // The support channel may be public (channels:read) or private (groups:read).
  'conversations.info': ['channels:read', 'groups:read'],
  'conversations.members': ['channels:read', 'groups:read'],
  'conversations.open': ['im:write'],
  'files.info': ['files:read'],
  // Downloading a file from its url_private with the bot token.
  'files (url_private download)': ['files:read'],
  'files.uploadV2': ['files:write'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
};

/** Event → the scope Slack requires to deliver it. */
const eventScopes: Record<string, string[]> = {
  app_home_opened: [],
  app_uninstalled: [],
  tokens_revoked: [],
  user_change: ['users:read'],
  member_joined_channel: ['channels:read', 'groups:read'],
  member_left_channel: ['channels:read', 'groups:read'],
};

/** Parts of the manifest that need a scope of their own. */
const featureScopes = (manifest: Manifest): Record<string, string[]> => ({
  ...((manifest.features.slash_commands ?? []).length > 0 ? { 'slash commands': ['commands'] } : {}),
});

interface Manifest {
  features: { slash_commands?: unknown[] };
  oauth_config: { scopes: { bot: string[] }; redirect_urls?: string[] };
  settings: { event_subscriptions?: { bot_events?: string[] }; org_deploy_enabled?: boolean; token_rotation_enabled?: boolean };
}

const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as Manifest;
/** The same app for distribution: workspaces install it through OAuth. */
const distributionManifest = JSON.parse(readFileSync(join(root, 'manifest.distribution.json'), 'utf8')) as Manifest;

/** The bot's source: everything under src/ but the Slack stand-in and the sandbox that runs it. */
function botSources(): Array<{ path: string; text: string }> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) files.push(path);
    }
  };
  walk(join(root, 'src'));
  return files
    .map((path) => relative(root, path).split('\\').join('/'))
    .filter((path) => !path.startsWith('src/sandbox/') && path !== 'src/sandboxMain.ts')
    .map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}

/** The Web API methods one source file calls, and the events it listens to. */
function slackUsage(text: string): { methods: Set<string>; events: Set<string> } {
  const methods = new Set<string>();
  // client.chat.postMessage(…), this.client.users.info(…), outboxClient.files.uploadV2(…)
  for (const m of text.matchAll(/[cC]lient\s*\.\s*([a-z]+)\s*\.\s*([a-zA-Z0-9]+)(?:\s*\.\s*([a-zA-Z0-9]+))?\s*\(/g))
    methods.add([m[1], m[2], m[3]].filter(Boolean).join('.'));
  // client.apiCall('users.list', …), client.paginate('users.list', …)
  for (const m of text.matchAll(/\.(?:apiCall|paginate)\(\s*['"`]([\w.]+)['"`]/g)) methods.add(m[1]!);
  if (/\burl_private(_download)?\b/.test(text)) methods.add('files (url_private download)');
  const events = new Set<string>();
  for (const m of text.matchAll(/\bapp\s*\.\s*event\(\s*['"`](\w+)['"`]/g)) events.add(m[1]!);
  return { methods, events };
}

const usage = botSources().map(({ path, text }) => ({ path, ...slackUsage(text) }));
const calledMethods = new Set(usage.flatMap((u) => [...u.methods]));
const listenedEvents = new Set(usage.flatMap((u) => [...u.events]));
const subscribedEvents = manifest.settings.event_subscriptions?.bot_events ?? [];
const grantedScopes = manifest.oauth_config.scopes.bot;

describe('Slack scopes: the manifest and the code agree', () => {
  it('the scan finds calls in every form the code writes them, and nothing else', () => {
    const found = slackUsage(`
      await client.chat.postMessage({ channel });
      await this.client.conversations
        .members({ channel: this.channelId });
      await args.client.views.open({ trigger_id });
      await outboxClient.files.uploadV2({ file });
      for await (const page of client.paginate('users.list', { limit: 200 })) {}
      const url = file.url_private_download;
      app.event('user_change', async () => {});
      ctx.workflows.setup.approve(input); // not Slack
      this.users.get(id); // not Slack
    `);
    expect([...found.methods].sort()).toEqual([
      'chat.postMessage',
      'conversations.members',
      'files (url_private download)',
      'files.uploadV2',
      'users.list',
      'views.open',
    ]);
    expect([...found.events]).toEqual(['user_change']);
    // And it finds the calls the bot is known to make.
    expect([...calledMethods]).toEqual(expect.arrayContaining(['chat.postMessage', 'chat.update', 'views.publish', 'users.info']));
  });

  it('every Web API method called in src/ has its scopes listed in this test', () => {
    const unknown = usage.flatMap((u) => [...u.methods].filter((m) => !Object.hasOwn(methodScopes, m)).map((m) => `${m} in ${u.path}`));
    expect(unknown).toEqual([]);
  });

  it('every scope a call, an event or a feature needs is requested in manifest.json', () => {
    const missing = [
      ...[...calledMethods].flatMap((m) => (methodScopes[m] ?? []).map((s) => ({ scope: s, for: m }))),
      ...subscribedEvents.flatMap((e) => (eventScopes[e] ?? []).map((s) => ({ scope: s, for: `event ${e}` }))),
      ...Object.entries(featureScopes(manifest)).flatMap(([f, scopes]) => scopes.map((s) => ({ scope: s, for: f }))),
    ].filter((need) => !grantedScopes.includes(need.scope));
    expect(missing).toEqual([]);
  });

  it('every scope manifest.json requests is needed by some call, event or feature', () => {
    const needed = new Set([
      ...[...calledMethods].flatMap((m) => methodScopes[m] ?? []),
      ...subscribedEvents.flatMap((e) => eventScopes[e] ?? []),
      ...Object.values(featureScopes(manifest)).flat(),
    ]);
    expect(grantedScopes.filter((s) => !needed.has(s))).toEqual([]);
    expect(new Set(grantedScopes).size).toBe(grantedScopes.length);
  });

  it('the events manifest.json subscribes to are the events the code listens to, each with its scopes known', () => {
    expect([...subscribedEvents].sort()).toEqual([...listenedEvents].sort());
    expect(subscribedEvents.filter((e) => !Object.hasOwn(eventScopes, e))).toEqual([]);
  });

  it('"Add to Slack" asks for the manifest’s scopes, and the distribution manifest is the same app with a redirect URL', () => {
    expect(botScopes).toEqual(grantedScopes);
    const { oauth_config, settings, ...rest } = distributionManifest;
    const { oauth_config: singleOAuth, settings: singleSettings, ...singleRest } = manifest;
    expect(rest).toEqual(singleRest);
    expect(oauth_config).toEqual({ ...singleOAuth, redirect_urls: ['https://YOUR-HOST/slack/oauth_redirect'] });
    expect(settings).toEqual({ ...singleSettings, org_deploy_enabled: true, token_rotation_enabled: true });
  });
});
