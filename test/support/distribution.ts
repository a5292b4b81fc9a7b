import type { Logger } from 'pino';
import pino from 'pino';
import { expect } from 'vitest';
import { createVouch, type Vouch } from '../../src/bot/app.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { FakeSlack, SlackDriver, type FakeWorkspace, type InstallChoice } from '../../src/sandbox/slack/index.js';
import { TestClock } from './clock.js';
import { emptyDatabase } from './database.js';
import { PROVISIONING_TOKEN, SIGNING_SECRET, SUPPORT_CHANNEL, people } from './harness.js';

/** The distributed app as its settings page at api.slack.com would have it. */
export const APP = {
  clientId: '1111111111.2222222222',
  clientSecret: 'client-secret-0123456789abcdef',
  stateSecret: 'state-secret-0123456789abcdef',
  encryptionKey: Buffer.alloc(32, 7).toString('base64'),
};

/** The state cookie Bolt sets on the install page and wants back at the redirect. */
export const STATE_COOKIE = 'slack-app-oauth-state';

export interface DistributedHarness {
  slack: FakeSlack;
  /** The provider's workspace (the stand-in's first), with the support channel. */
  provider: FakeWorkspace;
  /** Two customer workspaces; a person of Beta has the same user id as Acme's primary contact. */
  acme: FakeWorkspace;
  beta: FakeWorkspace;
  clock: TestClock;
  database: DatabaseHandle & { url?: string };
  /** Replicas of Vouch on one database; the stand-in's app settings point at the first. */
  replicas: Array<{ vouch: Vouch; baseUrl: string }>;
  vouch: Vouch;
  baseUrl: string;
  /** Plays the people of a workspace against the first replica (or `baseUrl`). */
  driver(workspace: FakeWorkspace, baseUrl?: string): SlackDriver;
  close(): Promise<void>;
}

/**
 * Vouch distributed (Slack OAuth) on real HTTP with real signatures, against a stand-in that keeps
 * three workspaces: the provider's and two customers'. Nothing is installed yet.
 */
export async function startDistributedHarness(
  options: { tokenRotation?: boolean; replicas?: number; logger?: Logger } = {},
): Promise<DistributedHarness> {
  const clock = new TestClock();
  const slack = new FakeSlack({ now: () => clock.now().getTime(), teamName: 'Provider Inc' });
  await slack.start();
  for (const person of [people.supportA, people.supportB]) slack.addUser(person);
  slack.addChannel({ id: SUPPORT_CHANNEL, name: 'enterprise-support', isPrivate: true, members: [people.supportA.id, people.supportB.id] });
  const acme = slack.addTeam({ teamId: 'T0ACME', teamName: 'Acme Corp', teamDomain: 'acme' });
  for (const person of [people.primary, people.colleague, people.other]) acme.addUser(person);
  const beta = slack.addTeam({ teamId: 'T0BETA', teamName: 'Beta Ltd', teamDomain: 'beta' });
  beta.addUser({ id: people.primary.id, name: 'bea', realName: 'Bea Beta', email: 'bea@beta.example' });

  const database = await emptyDatabase();
  const logger = options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const replicas: Array<{ vouch: Vouch; baseUrl: string }> = [];
  try {
    for (let i = 0; i < (options.replicas ?? 1); i++) {
      const vouch = createVouch({
        config: {
          SLACK_CLIENT_ID: APP.clientId,
          SLACK_CLIENT_SECRET: APP.clientSecret,
          SLACK_STATE_SECRET: APP.stateSecret,
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_APP_TOKEN: undefined,
          // "Add to Slack" leads to the stand-in's authorize page, found beside SLACK_API_URL.
          SLACK_API_URL: slack.apiUrl,
          SUPPORT_TEAM_ID: slack.teamId,
          SUPPORT_CHANNEL_ID: SUPPORT_CHANNEL,
          INSTALLATION_ENCRYPTION_KEY: APP.encryptionKey,
          PROVISIONING_TOKEN,
          OUTBOX_MAX_ATTEMPTS: 5,
        },
        db: database.db,
        logger,
        clock: clock.now,
        timers: false,
        channelGapMs: 0,
      });
      const { port } = await vouch.start(0);
      replicas.push({ vouch, baseUrl: `http://127.0.0.1:${port}` });
    }
  } catch (error) {
    for (const { vouch } of replicas) await vouch.stop();
    await slack.stop();
    throw error;
  }
  const [first] = replicas;
  slack.configureApp({
    clientId: APP.clientId,
    clientSecret: APP.clientSecret,
    signingSecret: SIGNING_SECRET,
    redirectUrls: [`${first!.baseUrl}/slack/oauth_redirect`],
    eventsUrl: `${first!.baseUrl}/slack/events`,
    tokenRotation: options.tokenRotation ?? false,
  });
  return {
    slack,
    provider: slack,
    acme,
    beta,
    clock,
    database,
    replicas,
    vouch: first!.vouch,
    baseUrl: first!.baseUrl,
    driver(workspace, baseUrl = first!.baseUrl) {
      return new SlackDriver({
        slack: workspace,
        eventsUrl: `${baseUrl}/slack/events`,
        signingSecret: SIGNING_SECRET,
        settle: async () => {
          for (const r of replicas) await r.vouch.idle();
        },
      });
    },
    async close() {
      for (const { vouch } of replicas) await vouch.stop();
      await slack.stop();
    },
  };
}

export interface InstallVisit {
  /** The install page's state cookie (`name=value`) and its attributes. */
  cookie: string;
  setCookie: string;
  state: string;
  /** Where "Add to Slack" leads: the stand-in's authorize page. */
  authorizeLink: string;
}

/** A browser opens the install page: the state cookie, and the "Add to Slack" link. */
export async function openInstallPage(baseUrl: string): Promise<InstallVisit> {
  const res = await fetch(`${baseUrl}/slack/install`);
  expect(res.status).toBe(200);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const html = await res.text();
  const href = /<a class="button" href="([^"]+)"/.exec(html)?.[1];
  expect(href, 'the install page links to Slack').toBeDefined();
  const authorizeLink = href!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
  const cookie = setCookie.split(';')[0]!;
  return { cookie, setCookie, state: new URL(authorizeLink).searchParams.get('state') ?? '', authorizeLink };
}

/** The browser comes back from Slack to the redirect URL, with the cookie it holds (if any). */
export async function returnFromSlack(location: string, cookie: string | undefined): Promise<{ status: number; html: string }> {
  const res = await fetch(location, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  return { status: res.status, html: await res.text() };
}

/**
 * A whole install, as a person does it in a browser: the install page, "Add to Slack", Slack's
 * authorize page (Allow, as `choice`), and back to Vouch's redirect URL with the state cookie.
 */
export async function installThroughBrowser(
  h: DistributedHarness,
  choice: InstallChoice,
): Promise<{ status: number; html: string; visit: InstallVisit; location: string }> {
  const visit = await openInstallPage(h.baseUrl);
  const authorizePage = await fetch(visit.authorizeLink);
  expect(authorizePage.status).toBe(200);
  const location = await h.slack.approveInstall(visit.authorizeLink, choice);
  const done = await returnFromSlack(location, visit.cookie);
  return { ...done, visit, location };
}
