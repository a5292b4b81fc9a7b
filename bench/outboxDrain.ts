// Benchmark 3 (outbox drain).
//
// M queued `notice` rows, one DM each to M distinct users, drained by Vouch's OutboxWorker (the
// one createVouch builds, timers off, its 1 s poll on) against the fake Slack enforcing a
// workspace-wide limit on chat.postMessage. The fake can only express that limit as calls per
// method within a sliding 60 s window (`perMinutePerMethod`), plus Slack's one new message per
// second per channel (a post sooner gets a 429); it has no per-second workspace rate. So the first
// minute's quota may go out at once, and the fair yardstick is the ideal schedule under that
// window: message k (from 0) cannot leave before floor(k / L) minutes. Loss and duplication are
// counted from the fake's recorded calls.
//
// A second run puts a hot channel in front of the DMs: H messages into one channel, queued before
// the calibration's DMs, with only the per-channel limit on. The hot channel cannot go faster than
// one a second; the DMs must not wait for it (their drain against the calibration's). A drain of
// 1,000 DMs lasts a second or two, so one pair says little on a shared machine: the pair is run
// `pairs` times, the later ones stopping once the DMs are out, and the medians compared.

import pino from 'pino';
import { createVouch } from '../src/bot/app.js';
import type { Database } from '../src/db/client.js';
import { postedChannel, type OutboxPayload } from '../src/db/outbox.js';
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
  /** From the first kick to the last DM Slack accepted (the hot channel's messages aside). */
  dmDrainS: number;
  /** The hot channel, when there was one. */
  hot: HotChannelRun | null;
}

export interface HotChannelRun {
  messages: number;
  /** From the first kick to the channel's last message Slack accepted. */
  drainS: number;
  /** One a second: the first at once, the last messages - 1 seconds later. */
  idealS: number;
  /** idealS / drainS. */
  efficiency: number;
  /** The closest two posts into the channel (every attempt), in ms. */
  minGapMs: number;
  rateLimited: number;
  lost: number;
  duplicated: number;
}

const HOT_CHANNEL = 'C0HOTCHANNEL';

/** Queues one notice per channel in `channels`, in that order, each naming its own account. */
async function queueNotices(db: Database, channels: string[], now: Date): Promise<void> {
  const rows = channels.map((channel, i) => {
    const payload: OutboxPayload = {
      type: 'notice',
      channel,
      notice: { kind: 'invitee_accepted', accountName: `Bench Corp ${i}`, inviteeUserId: 'U0INVITEE', at: now.toISOString() },
    };
    return { key: `notice:bench:${i}:${channel}`, payload, channel: postedChannel(payload), createdAt: now, nextAttemptAt: now };
  });
  for (let i = 0; i < rows.length; i += 1000) await db.insert(outbox).values(rows.slice(i, i + 1000));
}

async function outboxCounts(db: Database): Promise<{ pending: number; dmsPending: number; sent: number; dead: number }> {
  const [row] = (await db.execute(sql`
    select count(*) filter (where status = 'pending')::int as pending,
           count(*) filter (where status = 'pending' and channel <> ${HOT_CHANNEL})::int as "dmsPending",
           count(*) filter (where status = 'sent')::int as sent,
           count(*) filter (where status = 'dead')::int as dead
    from outbox`)) as unknown as Array<{ pending: number; dmsPending: number; sent: number; dead: number }>;
  return row ?? { pending: 0, dmsPending: 0, sent: 0, dead: 0 };
}

/**
 * One drain of `messages` DMs (after `hotMessages` into one channel, if any); `burstPerS` (the
 * unthrottled rate) refines the ideal time. With a limit per minute, or a hot channel, the fake
 * also holds every channel to one new message a second.
 */
export async function drainOnce(
  db: Database,
  options: {
    messages: number;
    limitPerMinute: number | null;
    timeoutS: number;
    burstPerS?: number;
    prefix: string;
    hotMessages?: number;
    /** Stop once the DMs are out, the hot channel's messages left behind (no hot channel figures). */
    dmsOnly?: boolean;
  },
): Promise<DrainRun> {
  const { messages, limitPerMinute } = options;
  const hotMessages = options.hotMessages ?? 0;
  await truncateAll(db);
  const slack = new FakeSlack({ botToken: BOT_TOKEN });
  await slack.start();
  const users = Array.from({ length: messages }, (_, i) => `U${options.prefix}${String(i).padStart(7, '0')}`);
  for (const id of users) slack.addUser({ id, name: id.toLowerCase() });
  slack.addChannel({ id: HOT_CHANNEL, name: 'hot-channel', members: [BOT_USER_ID] });
  if (limitPerMinute !== null) slack.setRateLimit({ perMinutePerMethod: { 'chat.postMessage': limitPerMinute }, perChannelPerSecond: 1 });
  else if (hotMessages > 0) slack.setRateLimit({ perChannelPerSecond: 1 });
  await queueNotices(db, [...Array.from({ length: hotMessages }, () => HOT_CHANNEL), ...users], new Date());
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
  while ((options.dmsOnly ? counts.dmsPending : counts.pending) > 0) {
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
  const isHot = (c: { args: { channel?: unknown } }) => c.args.channel === HOT_CHANNEL;
  const dms = accepted.filter((c) => !isHot(c));
  const perChannel = new Map<string, number>();
  for (const c of dms) perChannel.set(String(c.args.channel), (perChannel.get(String(c.args.channel)) ?? 0) + 1);
  const lost = users.filter((u) => !perChannel.has(u)).length;
  const duplicated = [...perChannel.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  const lastOf = (list: typeof calls) => list.reduce((max, c) => Math.max(max, c.at), started);
  const drainS = (lastOf(accepted) - started) / 1000;
  const perSecond = accepted.length / drainS;
  const total = messages + hotMessages;
  const idealWindowS = limitPerMinute === null ? null : Math.floor((total - 1) / limitPerMinute) * 60;
  const tail = limitPerMinute === null ? 0 : total - Math.floor((total - 1) / limitPerMinute) * limitPerMinute;
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
    dmDrainS: (lastOf(dms) - started) / 1000,
    hot: hotMessages > 0 && !options.dmsOnly ? hotChannelRun(calls.filter(isHot), hotMessages, started) : null,
  };
}

/** The hot channel's figures from the fake's calls into it (each notice names its own account). */
function hotChannelRun(
  calls: Array<{ at: number; status: number; args: { text?: unknown } }>,
  messages: number,
  started: number,
): HotChannelRun {
  const accepted = calls.filter((c) => c.status === 200);
  const texts = new Map<string, number>();
  for (const c of accepted) texts.set(String(c.args.text), (texts.get(String(c.args.text)) ?? 0) + 1);
  const drainS = (accepted.reduce((max, c) => Math.max(max, c.at), started) - started) / 1000;
  const gaps = calls.slice(1).map((c, i) => c.at - calls[i]!.at);
  return {
    messages,
    drainS,
    idealS: messages - 1,
    efficiency: (messages - 1) / drainS,
    minGapMs: gaps.length > 0 ? Math.min(...gaps) : Number.NaN,
    rateLimited: calls.filter((c) => c.status === 429).length,
    lost: messages - texts.size,
    duplicated: [...texts.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0),
  };
}

export interface OutboxResult {
  unthrottled: DrainRun;
  limited: DrainRun;
  /** The calibration's DMs again, behind a hot channel. */
  hotChannel: DrainRun;
  /** The DMs' drain alone and beside the hot channel, in s, pair by pair (the first pair is the runs above). */
  dmPairs: Array<{ aloneS: number; besideS: number; lost: number; duplicated: number }>;
}

export async function runOutbox(
  db: Database,
  options: { messages: number; limitPerMinute: number; calibration: number; hotChannel: number; pairs?: number },
): Promise<OutboxResult> {
  log(`outbox: unthrottled drain of ${options.calibration} notices`);
  const unthrottled = await drainOnce(db, { messages: options.calibration, limitPerMinute: null, timeoutS: 300, prefix: 'C' });
  log(`outbox: unthrottled ${unthrottled.perSecond.toFixed(0)} msg/s; now behind ${options.hotChannel} messages into one channel`);
  const hotChannel = await drainOnce(db, {
    messages: options.calibration,
    limitPerMinute: null,
    timeoutS: options.hotChannel + 300,
    prefix: 'H',
    hotMessages: options.hotChannel,
  });
  log(
    `outbox: DMs in ${hotChannel.dmDrainS.toFixed(1)} s (${unthrottled.dmDrainS.toFixed(1)} s alone), hot channel in ${hotChannel.hot?.drainS.toFixed(1)} s`,
  );
  const dmPairs = [
    { aloneS: unthrottled.dmDrainS, besideS: hotChannel.dmDrainS, lost: hotChannel.lost, duplicated: hotChannel.duplicated },
  ];
  for (let pair = 1; pair < (options.pairs ?? 3); pair++) {
    const alone = await drainOnce(db, { messages: options.calibration, limitPerMinute: null, timeoutS: 300, prefix: 'C' });
    const beside = await drainOnce(db, {
      messages: options.calibration,
      limitPerMinute: null,
      timeoutS: 300,
      prefix: 'H',
      hotMessages: options.hotChannel,
      dmsOnly: true,
    });
    dmPairs.push({ aloneS: alone.dmDrainS, besideS: beside.dmDrainS, lost: beside.lost, duplicated: beside.duplicated });
    log(`outbox: pair ${pair + 1}: DMs in ${beside.dmDrainS.toFixed(1)} s beside the hot channel, ${alone.dmDrainS.toFixed(1)} s alone`);
  }
  log(`outbox: now ${options.messages} notices at ${options.limitPerMinute}/min`);
  const windows = Math.floor((options.messages - 1) / options.limitPerMinute) + 1;
  const limited = await drainOnce(db, {
    messages: options.messages,
    limitPerMinute: options.limitPerMinute,
    timeoutS: windows * 60 + 180,
    burstPerS: unthrottled.perSecond,
    prefix: 'L',
  });
  log(`outbox: ${limited.perSecond.toFixed(1)} msg/s, ${limited.rateLimited} 429s, ${limited.lost} lost, ${limited.duplicated} duplicated`);
  return { unthrottled, limited, hotChannel, dmPairs };
}
