// Benchmark 5 (bounded storage).
//
// W setup workflows run end to end through a Vouch in this process, over HTTP with signed
// requests, against the Slack stand-in: provisioning (the API), "Invite someone else" and its
// modal, Approve, Accept, and the invitee's "Set up the account" and its modal; everything the
// outbox queued is delivered. The database's size is then
// measured per table after VACUUM FULL (rows as stored, no free space), less the size of the empty
// tables. Then the clock moves past OUTBOX_RETENTION, the prune job runs until it finds nothing
// left, and the size is measured again. Reported per 1,000 workflows.

import { sql } from 'drizzle-orm';
import pino from 'pino';
import { createVouch } from '../src/bot/app.js';
import { tunableDefaults } from '../src/config.js';
import type { Database } from '../src/db/client.js';
import { type FakeSlack, SlackDriver } from '../src/sandbox/slack/index.js';
import { BOT_ID, BOT_USER_ID, SIGNING_SECRET, truncateAll, vouchConfig } from './common.js';
import { log } from './stats.js';

export interface TableBytes {
  [table: string]: number;
}

export interface StorageResult {
  workflows: number;
  /** Bytes per table above the empty tables' size, after VACUUM FULL. */
  beforePrune: TableBytes;
  afterPrune: TableBytes;
  rows: { before: TableBytes; after: TableBytes };
  pruned: { outbox: number; messages: number; runs: number };
  /** Bytes per 1,000 workflows, all tables. */
  perThousand: { before: number; after: number };
}

const PROVISIONING_TOKEN = 'bench-provisioning-token-0123456789';

async function tables(db: Database): Promise<string[]> {
  const rows = (await db.execute(sql`select tablename from pg_tables where schemaname = 'public' order by tablename`)) as unknown as Array<{
    tablename: string;
  }>;
  return rows.map((r) => r.tablename);
}

/** Every table's size with its indexes and TOAST, after VACUUM FULL; and its row count. */
async function measure(db: Database): Promise<{ bytes: TableBytes; rows: TableBytes }> {
  const bytes: TableBytes = {};
  const rows: TableBytes = {};
  for (const table of await tables(db)) {
    await db.execute(sql.raw(`vacuum full analyze "${table}"`));
    const [row] = (await db.execute(
      sql.raw(`select pg_total_relation_size('"${table}"')::bigint as bytes, (select count(*) from "${table}")::int as n`),
    )) as unknown as Array<{ bytes: string | number; n: number }>;
    bytes[table] = Number(row?.bytes ?? 0);
    rows[table] = row?.n ?? 0;
  }
  return { bytes, rows };
}

const minus = (a: TableBytes, b: TableBytes): TableBytes => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (b[k] ?? 0)]));
const total = (t: TableBytes) => Object.values(t).reduce((sum, v) => sum + v, 0);

export async function runStorage(
  db: Database,
  slack: FakeSlack,
  options: { workflows: number; concurrency: number },
): Promise<StorageResult> {
  await truncateAll(db);
  const empty = await measure(db);
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  const vouch = createVouch({
    config: vouchConfig(slack.apiUrl),
    db,
    logger: pino({ level: 'silent' }),
    clock,
    botId: BOT_ID,
    botUserId: BOT_USER_ID,
    timers: false,
    // The pace of one message per second per channel is real time; storage does not depend on it.
    channelGapMs: 0,
  });
  const { port } = await vouch.start(0);
  const base = `http://127.0.0.1:${port}`;
  const driver = new SlackDriver({ slack, eventsUrl: `${base}/slack/events`, signingSecret: SIGNING_SECRET, settle: () => vouch.idle() });

  const workflow = async (n: number) => {
    const primary = `UP${String(n).padStart(7, '0')}`;
    const invitee = `UI${String(n).padStart(7, '0')}`;
    slack.addUser({ id: primary, name: primary.toLowerCase() });
    slack.addUser({ id: invitee, name: invitee.toLowerCase() });
    const res = await fetch(`${base}/api/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PROVISIONING_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Storage Corp ${n}`, contractNumber: `S-${n}`, primaryContactUserId: primary }),
    });
    if (res.status !== 201) throw new Error(`provisioning ${n}: ${res.status} ${await res.text()}`);
    await vouch.idle();
    /** The user's newest DM with buttons, newer than `after`. */
    const dm = async (user: string, after?: string) => {
      for (let tries = 0; tries < 200; tries++) {
        const message = slack.lastDm(user);
        if (message?.blocks?.length && message.ts !== after) return message;
        await new Promise((resolve) => setTimeout(resolve, 10));
        await vouch.idle();
      }
      throw new Error(`no DM for ${user}`);
    };
    const setupDm = await dm(primary);
    await driver.click(primary, setupDm, 'Invite someone else');
    const modal = slack.openView(primary);
    if (!modal) throw new Error(`no invite modal for ${primary}`);
    await driver.submitView(primary, modal.id, { invitee_user: { user: invitee } });
    const confirmation = slack.lastDm(primary)!;
    if (confirmation.ts === setupDm.ts) throw new Error(`no confirmation DM for ${primary}`);
    await driver.click(primary, confirmation, 'Approve');
    const invitation = await dm(invitee);
    await driver.click(invitee, invitation, 'Accept');
    // Accepting hands the setup over: the invitee's own setup DM, and the account set up from it.
    const handedOver = await dm(invitee, invitation.ts);
    await driver.click(invitee, handedOver, 'Set up the account');
    const setup = slack.openView(invitee);
    if (!setup) throw new Error(`no setup modal for ${invitee}`);
    await driver.submitView(invitee, setup.id, { account_name: `Storage Corp ${n}` });
  };

  let pruned = { outbox: 0, messages: 0, runs: 0 };
  let before: { bytes: TableBytes; rows: TableBytes };
  let after: { bytes: TableBytes; rows: TableBytes };
  try {
    log(`storage: ${options.workflows} setup workflows, ${options.concurrency} at a time`);
    let next = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < options.workflows) await workflow(next++);
      }),
    );
    await vouch.idle();
    slack.clearCalls();
    const [{ n: accepted } = { n: 0 }] = (await db.execute(
      sql`select count(*)::int as n from accounts where status = 'active'`,
    )) as unknown as Array<{ n: number }>;
    if (accepted !== options.workflows) throw new Error(`${accepted} of ${options.workflows} workflows completed`);
    before = await measure(db);

    offsetMs = tunableDefaults.OUTBOX_RETENTION + 3_600_000;
    for (;;) {
      const run = await vouch.jobs.runPrune();
      pruned = { outbox: pruned.outbox + run.outbox, messages: pruned.messages + run.messages, runs: pruned.runs + 1 };
      if (run.outbox === 0 && run.messages === 0) break;
    }
    after = await measure(db);
  } finally {
    await vouch.stop();
  }
  const beforePrune = minus(before.bytes, empty.bytes);
  const afterPrune = minus(after.bytes, empty.bytes);
  const perThousand = { before: (total(beforePrune) / options.workflows) * 1000, after: (total(afterPrune) / options.workflows) * 1000 };
  log(
    `storage: ${(perThousand.before / 1024).toFixed(0)} KB per 1,000 workflows before pruning, ${(perThousand.after / 1024).toFixed(0)} KB after ` +
      `(${pruned.outbox} outbox rows and ${pruned.messages} message records in ${pruned.runs} runs)`,
  );
  await truncateAll(db);
  return { workflows: options.workflows, beforePrune, afterPrune, rows: { before: before.rows, after: after.rows }, pruned, perThousand };
}
