// Benchmark 3 (outbox drain).
//
// M queued `notice` rows, one DM each to M distinct users, drained by Vouch's OutboxWorker (the
// one createVouch builds, timers off, its 1 s poll on) against the fake Slack enforcing a
// workspace-wide limit on chat.postMessage. The fake can only express that limit as calls per
// method within a sliding 60 s window (`perMinutePerMethod`), plus 1 per channel per second; it
// has no per-second workspace rate. So the first minute's quota may go out at once, and the fair
// yardstick is the ideal schedule under that window: message k (from 0) cannot leave before
// floor(k / L) minutes. Loss and duplication are counted from the fake's recorded calls.

import pino from 'pino';
import { createVouch } from '../src/bot/app.js';
import type { Database } from '../src/db/client.js';
import type { OutboxPayload } from '../src/db/outbox.js';
import { outbox } from '../src/db/schema.js';
import { FakeSlack } from '../src/sandbox/slack/index.js';
import { BOT_ID, BOT_TOKEN, BOT_USER_ID, truncateAll, vouchConfig } from './common.js';
import { log } from './stats.js';
import { sql } from 'drizzle-orm';

export interface DrainRun {
  messages: number;
  /** The fake's limit on chat.postMessage per sliding 60 s, or null for none. */
  limitPerMinute: number | null;
  /** From the first kick to the last message Slack accepted. */
  drainS: number;
  perSecond: number;
  /** perSecond / (limitPerMinute / 60). */
  vsLimit: number | null;
  /** The least time the window allows for this many messages (burst time not counted). */
  idealS: number | null;
  /** idealS / drainS, with the unthrottled burst time added to idealS. */
  efficiency: number | null;
  rateLimited: number;
  delivered: number;
  lost: number;
  duplicated: number;
  dead: number;
  timedOut: boolean;
}

async function queueNotices(db: Database, users: string[], now: Date): Promise<void> {
  const rows = users.map((userId, i) => {
    const payload: OutboxPayload = {
      type: 'notice',
      channel: userId,
      notice: { kind: 'invitee_accepted', accountName: `Bench Corp ${i}`, inviteeUserId: 'U0INVITEE', at: now.toISOString() },
    };
    return { key: `notice:bench:${userId}`, payload, createdAt: now, nextAttemptAt: now };
  });
  for (let i = 0; i < rows.length; i += 1000) await db.insert(outbox).values(rows.slice(i, i + 1000));
}

async function outboxCounts(db: Database): Promise<{ pending: number; sent: number; dead: number }> {
  const [row] = (await db.execute(sql`
    select count(*) filter (where status = 'pending')::int as pending,
           count(*) filter (where status = 'sent')::int as sent,
           count(*) filter (where status = 'dead')::int as dead
    from outbox`)) as unknown as Array<{ pending: number; sent: number; dead: number }>;
  return row ?? { pending: 0, sent: 0, dead: 0 };
}

/** One drain of `messages` notices; `burstPerS` (the unthrottled rate) refines the ideal time. */
export async function drainOnce(
  db: Database,
  options: { messages: number; limitPerMinute: number | null; timeoutS: number; burstPerS?: number; prefix: string },
): Promise<DrainRun> {
  const { messages, limitPerMinute } = options;
  await truncateAll(db);
  const slack = new FakeSlack({ botToken: BOT_TOKEN });
  await slack.start();
  const users = Array.from({ length: messages }, (_, i) => `U${options.prefix}${String(i).padStart(7, '0')}`);
  for (const id of users) slack.addUser({ id, name: id.toLowerCase() });
  if (limitPerMinute !== null) slack.setRateLimit({ perMinutePerMethod: { 'chat.postMessage': limitPerMinute }, perChannelPerSecond: 1 });
  await queueNotices(db, users, new Date());
  const vouch = createVouch({
    config: vouchConfig(slack.apiUrl),
    db,
    logger: pino({ level: 'silent' }),
    botId: BOT_ID,
    botUserId: BOT_USER_ID,
    timers: false,
  });

  const started = Date.now();
  const deadline = started + options.timeoutS * 1000;
  vouch.outbox.start(1_000);
  void vouch.outbox.kick();
  let counts = await outboxCounts(db);
  let timedOut = false;
  while (counts.pending > 0) {
    if (Date.now() > deadline) {
      timedOut = true;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
    counts = await outboxCounts(db);
  }
  await vouch.outbox.stop();
  await slack.stop();

  const calls = slack.calls('chat.postMessage');
  const accepted = calls.filter((c) => c.status === 200 && c.response?.ok === true);
  const perChannel = new Map<string, number>();
  for (const c of accepted) perChannel.set(String(c.args.channel), (perChannel.get(String(c.args.channel)) ?? 0) + 1);
  const lost = users.filter((u) => !perChannel.has(u)).length;
  const duplicated = [...perChannel.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  const lastOk = accepted.reduce((max, c) => Math.max(max, c.at), started);
  const drainS = (lastOk - started) / 1000;
  const perSecond = accepted.length / drainS;
  const idealWindowS = limitPerMinute === null ? null : Math.floor((messages - 1) / limitPerMinute) * 60;
  const tail = limitPerMinute === null ? 0 : messages - Math.floor((messages - 1) / limitPerMinute) * limitPerMinute;
  const idealS = idealWindowS === null ? null : idealWindowS + (options.burstPerS ? tail / options.burstPerS : 0);
  return {
    messages,
    limitPerMinute,
    drainS,
    perSecond,
    vsLimit: limitPerMinute === null ? null : perSecond / (limitPerMinute / 60),
    idealS,
    efficiency: idealS === null ? null : idealS / drainS,
    rateLimited: calls.filter((c) => c.status === 429).length,
    delivered: accepted.length,
    lost,
    duplicated,
    dead: counts.dead,
    timedOut,
  };
}

export interface OutboxResult {
  unthrottled: DrainRun;
  limited: DrainRun;
}

export async function runOutbox(
  db: Database,
  options: { messages: number; limitPerMinute: number; calibration: number },
): Promise<OutboxResult> {
  log(`outbox: unthrottled drain of ${options.calibration} notices`);
  const unthrottled = await drainOnce(db, { messages: options.calibration, limitPerMinute: null, timeoutS: 300, prefix: 'C' });
  log(`outbox: unthrottled ${unthrottled.perSecond.toFixed(0)} msg/s; now ${options.messages} notices at ${options.limitPerMinute}/min`);
  const windows = Math.floor((options.messages - 1) / options.limitPerMinute) + 1;
  const limited = await drainOnce(db, {
    messages: options.messages,
    limitPerMinute: options.limitPerMinute,
    timeoutS: windows * 60 + 180,
    burstPerS: unthrottled.perSecond,
    prefix: 'L',
  });
  log(`outbox: ${limited.perSecond.toFixed(1)} msg/s, ${limited.rateLimited} 429s, ${limited.lost} lost, ${limited.duplicated} duplicated`);
  return { unthrottled, limited };
}
