import { sql } from 'drizzle-orm';
import pino, { type Logger } from 'pino';
import { expect } from 'vitest';
import { createVouch, type Vouch } from '../../src/bot/app.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { FakeSlack, SlackDriver, type FakeMessage, type FieldValue } from '../../src/sandbox/slack/index.js';
import { TestClock, DAY, HOUR } from './clock.js';
import { emptyDatabase } from './database.js';
import { freePort } from './ports.js';
import { liveMarkupProblems, workspaceOf } from './liveMarkup.js';
import { buttonsOf } from './blocks.js';

export const people = {
  primary: { id: 'U0PRIMARY', name: 'pat', realName: 'Pat Primary', email: 'pat@acme.example' },
  colleague: { id: 'U0COLLEAGUE', name: 'cole', realName: 'Cole League', email: 'cole@acme.example' },
  other: { id: 'U0OTHER', name: 'olive', realName: 'Olive Other', email: 'olive@acme.example' },
  supportA: { id: 'U0SUPPORTA', name: 'sam', realName: 'Sam Support', email: 'sam@provider.example' },
  supportB: { id: 'U0SUPPORTB', name: 'sky', realName: 'Sky Support', email: 'sky@provider.example' },
  helperBot: { id: 'U0HELPERBOT', name: 'helperbot', realName: 'Helper Bot', email: 'helperbot@acme.example', isBot: true },
} as const;

export const SUPPORT_CHANNEL = 'C0SUPPORT';
export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const PROVISIONING_TOKEN = 'provisioning-token-0123456789';

export interface Harness {
  slack: FakeSlack;
  driver: SlackDriver;
  vouch: Vouch;
  clock: TestClock;
  database: DatabaseHandle;
  baseUrl: string;
  close(): Promise<void>;
}

/** Vouch on real HTTP with real signatures, against the fake Slack and a fresh database. */
export async function startHarness(
  options: {
    setupInviteTtlMs?: number;
    confirmTtlMs?: number;
    recoveryApprovals?: number;
    socketMode?: boolean;
    /** In Socket Mode, another app-level token than the stand-in's. */
    appToken?: string;
    metricsToken?: string;
    /** The support channel is private unless this says otherwise. */
    supportChannelPublic?: boolean;
    allowPublicSupport?: boolean;
    /** Another SUPPORT_CHANNEL_ID than the stand-in's support channel. */
    supportChannelId?: string;
    logger?: Logger;
    letterMaxBytes?: number;
    /** The letter download's deadline, ended by the test instead of by time. */
    letterDeadline?: (ms: number) => AbortSignal;
    /** Runs once the stand-in is up, before Vouch starts. */
    beforeStart?: (slack: FakeSlack) => void;
  } = {},
): Promise<Harness> {
  const clock = new TestClock();
  const slack = new FakeSlack({ botToken: 'xoxb-test-token' });
  await slack.start();
  for (const person of Object.values(people)) slack.addUser(person);
  slack.addChannel({
    id: SUPPORT_CHANNEL,
    name: 'enterprise-support',
    isPrivate: !options.supportChannelPublic,
    members: [people.supportA.id, people.supportB.id],
  });

  const database = await emptyDatabase();
  const socketModeHttpPort = options.socketMode ? await freePort() : undefined;
  const vouch = createVouch({
    config: {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_APP_TOKEN: options.socketMode ? (options.appToken ?? slack.appToken) : undefined,
      SLACK_API_URL: slack.apiUrl,
      SUPPORT_CHANNEL_ID: options.supportChannelId ?? SUPPORT_CHANNEL,
      PROVISIONING_TOKEN,
      SETUP_INVITE_TTL: options.setupInviteTtlMs ?? 30 * DAY,
      CONFIRM_TTL: options.confirmTtlMs ?? 24 * HOUR,
      SWEEP_SCHEDULE: '* * * * *',
      RECOVERY_APPROVALS: options.recoveryApprovals ?? 1,
      RECOVERY_REMIND_AFTER: 24 * HOUR,
      SETUP_REMIND_BEFORE: 3 * DAY,
      CONFIRM_REMIND_BEFORE: 2 * HOUR,
      OUTBOX_MAX_ATTEMPTS: 5,
      ...(options.metricsToken ? { METRICS_TOKEN: options.metricsToken } : {}),
      ...(options.allowPublicSupport ? { SUPPORT_CHANNEL_ALLOW_PUBLIC: true } : {}),
      ...(options.letterMaxBytes ? { LETTER_MAX_BYTES: options.letterMaxBytes } : {}),
    },
    db: database.db,
    logger: options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    clock: clock.now,
    botId: slack.botId,
    botUserId: slack.botUserId,
    timers: false,
    // Pacing is real time; the tests of it set a gap of their own.
    channelGapMs: 0,
    ...(options.letterDeadline ? { letterDeadline: options.letterDeadline } : {}),
    // In Socket Mode the provisioning API and health keep an HTTP port of their own.
    ...(socketModeHttpPort ? { socketModeHttpPort } : {}),
  });
  options.beforeStart?.(slack);
  let port: number;
  try {
    ({ port } = await vouch.start(socketModeHttpPort ?? 0));
  } catch (error) {
    await vouch.stop().catch(() => undefined);
    await slack.stop();
    throw error;
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  const eventsUrl = options.socketMode ? 'socket' : `${baseUrl}/slack/events`;
  const driver = new SlackDriver({ slack, eventsUrl, signingSecret: SIGNING_SECRET, settle: () => vouch.idle() });
  return {
    slack,
    driver,
    vouch,
    clock,
    database,
    baseUrl,
    async close() {
      // Every message and view the test made Vouch send, checked once it is over.
      const problems = liveMarkupProblems(
        slack.calls(),
        workspaceOf(slack, [SUPPORT_CHANNEL, options.supportChannelId ?? SUPPORT_CHANNEL]),
      );
      await vouch.stop();
      await slack.stop();
      expect(problems, `Vouch sent live markup it did not write:\n${problems.join('\n')}`).toEqual([]);
    },
  };
}

/** Provisions an account through the HTTP API, as the provider's systems would. */
export async function provision(
  h: Harness,
  body: Record<string, unknown> = { name: 'Acme Corp', contractNumber: 'C-1001', primaryContactEmail: people.primary.email },
  token = PROVISIONING_TOKEN,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${h.baseUrl}/api/accounts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  await h.vouch.idle();
  return { status: res.status, json };
}

/**
 * "Invite someone else" on the primary contact's setup DM: the button, the invite modal, its
 * submission. The confirmation DM is the primary contact's newest.
 */
export async function invite(
  h: Harness,
  setupDm: FakeMessage,
  values: Record<string, FieldValue> = { invitee_user: { user: people.colleague.id } },
) {
  await h.driver.click(people.primary.id, setupDm, 'Invite someone else');
  const modal = h.slack.openView(people.primary.id);
  expect(modal?.view).toMatchObject({ callback_id: 'invite_someone' });
  const response = await h.driver.submitView(people.primary.id, modal!.id, values);
  return { response, confirmation: h.slack.lastDm(people.primary.id)! };
}

/** Runs `fn` while `table` is renamed away, so every statement that touches it fails. */
export async function withTableAway<T>(h: Harness, table: 'delegations' | 'outbox', fn: () => Promise<T>): Promise<T> {
  await h.database.db.execute(sql.raw(`alter table ${table} rename to ${table}_away`));
  try {
    return await fn();
  } finally {
    await h.database.db.execute(sql.raw(`alter table ${table}_away rename to ${table}`));
  }
}

/** A slash command and the ephemeral answer the person then sees. */
export async function commandShown(h: Harness, userId: string, text: string, channelId?: string) {
  const response = await h.driver.commandShown(userId, text, channelId ? { channelId } : {});
  return { response, ephemeral: h.slack.lastEphemeral(userId)! };
}

/**
 * `/enterprise remove-admin …` as a person does it: the command, its answer with the Remove
 * button, the click, and "confirm" in Slack's dialog. Returns what they saw at each step; a
 * refusal (no button) stops after the answer.
 */
export async function removeAdmin(h: Harness, userId: string, args: string) {
  const { ephemeral: shown } = await commandShown(h, userId, `remove-admin ${args}`);
  // The answer replaces the question in place: keep the question as it was shown.
  const asked = structuredClone(shown);
  const label = buttonsOf(asked).find((b) => b === 'Remove as admin' || b === 'Remove me');
  if (!label) return { asked, dialog: undefined, answer: asked };
  await h.driver.clickEphemeral(userId, asked, label, { dialog: 'confirm' });
  const answer = h.slack.ephemerals(userId).find((e) => e.ts === asked.ts)!;
  return { asked, dialog: h.driver.lastDialog(userId), answer };
}

/** The form body of a button click as Slack sends it, built by hand rather than from a stored message. */
export function blockActionsBody(
  h: Harness,
  userId: string,
  where: { channel: string; ts: string },
  actionId: string,
  value: string,
): string {
  const payload = {
    type: 'block_actions',
    user: { id: userId, username: userId, name: userId, team_id: h.slack.teamId },
    team: { id: h.slack.teamId, domain: h.slack.teamDomain },
    api_app_id: h.slack.appId,
    container: { type: 'message', message_ts: where.ts, channel_id: where.channel, is_ephemeral: false },
    channel: { id: where.channel, name: 'channel' },
    trigger_id: h.slack.newTriggerId(userId),
    actions: [
      { type: 'button', action_id: actionId, block_id: 'raw', value, text: { type: 'plain_text', text: actionId }, action_ts: '1' },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/**
 * A block_actions request signed like Slack's, for clicks the stand-in would not let a person
 * make (someone who left the channel, a replay with Slack's retry headers).
 */
export async function rawClick(
  h: Harness,
  userId: string,
  where: { channel: string; ts: string },
  actionId: string,
  value: string,
  headers: Record<string, string> = {},
) {
  const body = blockActionsBody(h, userId, where, actionId, value);
  const response = await h.driver.post(body, {
    'content-type': 'application/x-www-form-urlencoded',
    ...headers,
    ...h.driver.signedHeaders(body),
  });
  await h.vouch.idle();
  return response;
}
