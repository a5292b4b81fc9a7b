import { sql } from 'drizzle-orm';
import { rowsOf } from '../../src/db/client.js';
import type { DriverResponse } from '../../src/sandbox/slack/index.js';
import type { Harness } from './harness.js';

// Payloads built by hand, as a forged client or a damaged message would send them, signed with
// the real secret so that they pass the signature check and reach the listeners.

type Json = Record<string, unknown>;

/** Sends a form body (`payload=…`, or a slash command's fields) signed like Slack's, then settles. */
export async function sendSignedForm(h: Harness, fields: Record<string, string>): Promise<DriverResponse> {
  const body = new URLSearchParams(fields).toString();
  const response = await h.driver.post(body, {
    'content-type': 'application/x-www-form-urlencoded',
    ...h.driver.signedHeaders(body),
  });
  await h.vouch.idle();
  return response;
}

/** Sends an interaction payload (block_actions, view_submission) signed like Slack's. */
export const sendPayload = (h: Harness, payload: unknown) => sendSignedForm(h, { payload: JSON.stringify(payload) });

/** Sends an Events API envelope signed like Slack's. */
export async function sendEvent(h: Harness, event: Json): Promise<DriverResponse> {
  const body = JSON.stringify({
    type: 'event_callback',
    team_id: h.slack.teamId,
    api_app_id: h.slack.appId,
    event,
    event_id: `Ev${Date.now()}${Math.floor(Math.random() * 1e6)}`,
    event_time: Math.floor(Date.now() / 1000),
  });
  const response = await h.driver.post(body, { 'content-type': 'application/json', ...h.driver.signedHeaders(body) });
  await h.vouch.idle();
  return response;
}

const userRef = (h: Harness, userId: string) => ({ id: userId, username: userId, name: userId, team_id: h.slack.teamId });

/** A click on a button, with whatever value the caller chooses. */
export function blockActionsPayload(
  h: Harness,
  userId: string,
  action: { actionId: string; value?: unknown },
  where: { channel: string; ts: string } = { channel: h.slack.dmChannelId(userId), ts: '1.000001' },
): Json {
  return {
    type: 'block_actions',
    user: userRef(h, userId),
    team: { id: h.slack.teamId, domain: h.slack.teamDomain },
    api_app_id: h.slack.appId,
    container: { type: 'message', message_ts: where.ts, channel_id: where.channel, is_ephemeral: false },
    channel: { id: where.channel, name: 'channel' },
    trigger_id: h.slack.newTriggerId(userId),
    actions: [
      {
        type: 'button',
        action_id: action.actionId,
        block_id: 'raw',
        ...(action.value === undefined ? {} : { value: action.value }),
        text: { type: 'plain_text', text: 'button' },
        action_ts: '1',
      },
    ],
  };
}

/** A modal submitted with the given metadata and state, as if Slack had kept whatever was there. */
export function viewSubmissionPayload(
  h: Harness,
  userId: string,
  view: { callbackId: string; privateMetadata?: unknown; values?: Record<string, Record<string, unknown>> },
): Json {
  return {
    type: 'view_submission',
    team: { id: h.slack.teamId, domain: h.slack.teamDomain },
    user: userRef(h, userId),
    api_app_id: h.slack.appId,
    trigger_id: h.slack.newTriggerId(userId),
    view: {
      id: 'V0FORGED',
      team_id: h.slack.teamId,
      type: 'modal',
      callback_id: view.callbackId,
      private_metadata: view.privateMetadata ?? '',
      state: { values: view.values ?? {} },
      hash: '1.forged',
      title: { type: 'plain_text', text: 'Forged' },
      blocks: [],
    },
    response_urls: [],
  };
}

/** A slash command's fields. */
export function commandFields(h: Harness, userId: string, text: string, command = '/enterprise'): Record<string, string> {
  return {
    command,
    text,
    user_id: userId,
    user_name: userId,
    team_id: h.slack.teamId,
    team_domain: h.slack.teamDomain,
    channel_id: h.slack.dmChannelId(userId),
    channel_name: 'directmessage',
    api_app_id: h.slack.appId,
    trigger_id: h.slack.newTriggerId(userId),
    response_url: h.slack.createResponseUrl({ channel: h.slack.dmChannelId(userId), user: userId }),
  };
}

/**
 * Everything stored, table by table: each table's row count and a digest of its rows, so that a
 * request that must change nothing can be checked to have changed nothing at all.
 */
export async function databaseSnapshot(h: Harness): Promise<Record<string, string>> {
  const tables = rowsOf<{ name: string }>(
    await h.database.db.execute(sql`
      select quote_ident(tablename) as name from pg_tables where schemaname = current_schema() order by tablename`),
  ).map((t) => t.name);
  const snapshot: Record<string, string> = {};
  for (const table of tables) {
    const [row] = rowsOf<{ n: number | string; digest: string | null }>(
      await h.database.db.execute(
        sql.raw(`select count(*) as n, md5(string_agg(t::text, '|' order by t::text)) as digest from ${table} t`),
      ),
    );
    snapshot[table] = `${row?.n} ${row?.digest ?? '-'}`;
  }
  return snapshot;
}
