import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, outbox, slackMessages } from '../../src/db/schema.js';
import { tunableDefaults } from '../../src/config.js';
import { enqueue, pruneSent } from '../../src/db/outbox.js';
import { pruneSettledMessages } from '../../src/db/messages.js';
import { DAY, HOUR } from '../support/clock.js';
import { text } from '../support/blocks.js';
import { invite, people, provision, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const { primary, colleague, other } = people;
const RETENTION = tunableDefaults.OUTBOX_RETENTION;

const outboxByStatus = async () => {
  const rows = await h.database.db.select().from(outbox);
  return {
    sent: rows.filter((r) => r.status === 'sent'),
    pending: rows.filter((r) => r.status === 'pending'),
    dead: rows.filter((r) => r.status === 'dead'),
  };
};
const auditCount = async () => (await h.database.db.select().from(auditEvents)).length;
const messagesOf = async (subjectId: string) => h.database.db.select().from(slackMessages).where(eq(slackMessages.subjectId, subjectId));
const storedMessages = async () => (await h.database.db.select().from(slackMessages)).length;

/** Workflow 1 from provisioning to the invitee's Accept: every record it made is closed. */
async function setupHandedOver(): Promise<void> {
  await provision(h);
  const { confirmation } = await invite(h, h.slack.lastDm(primary.id)!);
  await h.driver.click(primary.id, confirmation, 'Approve');
  await h.driver.click(colleague.id, h.slack.lastDm(colleague.id)!, 'Accept');
}

describe('pruning delivered outbox rows', () => {
  it('rows sent longer than OUTBOX_RETENTION ago go; younger, pending and dead rows and the audit trail stay', async () => {
    expect(RETENTION).toBe(7 * DAY);
    await setupHandedOver();
    h.slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await provision(h, { name: 'Globex', contractNumber: 'G-1', primaryContactUserId: other.id });
    const before = await outboxByStatus();
    expect(before.sent.length).toBeGreaterThan(5);
    expect(before.dead).toHaveLength(1);
    const audit = await auditCount();

    // A row as old as the others but still waiting (its retry is far off): never pruned.
    await enqueue(h.database.db, 'test:pending', { type: 'redraw', subjectId: randomUUID() }, h.clock.now());
    await h.database.db
      .update(outbox)
      .set({ nextAttemptAt: new Date(h.clock.now().getTime() + 30 * DAY) })
      .where(eq(outbox.key, 'test:pending'));
    h.clock.advance(RETENTION - HOUR);
    await provision(h, { name: 'Initech', contractNumber: 'I-1', primaryContactUserId: colleague.id });
    expect((await h.vouch.jobs.runPrune()).outbox).toBe(0);
    const younger = (await outboxByStatus()).sent.filter((r) => !before.sent.some((b) => b.id === r.id));
    expect(younger.length).toBeGreaterThan(0); // Initech's, delivered an hour before the others' retention ends

    h.clock.advance(2 * HOUR);
    expect((await h.vouch.jobs.runPrune()).outbox).toBe(before.sent.length);
    const after = await outboxByStatus();
    expect(after.sent.map((r) => r.id).sort()).toEqual(younger.map((r) => r.id).sort());
    expect(after.dead.map((r) => r.id)).toEqual(before.dead.map((r) => r.id));
    expect(after.pending.map((r) => r.key)).toEqual(['test:pending']);
    expect(await auditCount()).toBe(audit + 3); // Initech's provisioning; nothing pruned
    expect((await h.vouch.jobs.runPrune()).outbox).toBe(0);
  });

  it('a run takes at most its batches; the next run takes the rest', async () => {
    await setupHandedOver();
    const sent = (await outboxByStatus()).sent.length;
    h.clock.advance(RETENTION + HOUR);
    const cutoff = new Date(h.clock.now().getTime() - RETENTION);
    expect(await pruneSent(h.database.db, cutoff, { batchSize: 2, maxBatches: 2 })).toBe(4);
    expect((await outboxByStatus()).sent).toHaveLength(sent - 4);
    expect(await pruneSent(h.database.db, cutoff, { batchSize: 2, maxBatches: 100 })).toBe(sent - 4);
  });
});

describe('pruning message records', () => {
  it('a closed record’s messages go once they show its final state; a live record’s stay and are still edited', async () => {
    const res = await provision(h);
    const invitationId = (await h.database.db.query.setupInvitations.findFirst())!.id;
    const setupDm = h.slack.lastDm(primary.id)!;
    const { confirmation } = await invite(h, setupDm);
    await h.driver.click(primary.id, confirmation, 'Cancel');
    expect(res.status).toBe(201);
    expect(await storedMessages()).toBe(2);

    // The cancelled delegation's confirmation is settled; the pending invitation's DM is not.
    expect((await h.vouch.jobs.runPrune()).messages).toBe(1);
    expect(await messagesOf(invitationId)).toHaveLength(1);

    // The invitation expires: its DM is still edited, then its record goes too.
    h.clock.advance(30 * DAY);
    await h.vouch.jobs.runSweep();
    await h.vouch.idle();
    expect(text(h.slack.message(setupDm.channel, setupDm.ts))).toContain('expired');
    // Its messages still offer Get a new invitation, which a removal as an admin would take back:
    // they stay while the account waits for setup.
    expect((await h.vouch.jobs.runPrune()).messages).toBe(0);
    expect(await messagesOf(invitationId)).toHaveLength(2); // the setup DM and the DM saying it expired
    await h.driver.click(primary.id, h.slack.lastDm(primary.id)!, 'Get a new invitation');
    await h.driver.click(primary.id, h.slack.lastDm(primary.id)!, 'Set up the account');
    await h.driver.submitView(primary.id, h.slack.openView(primary.id)!.id, { account_name: 'Acme Corp' });
    // Set up: the fresh invitation's DM shows its final state, and the expired one's are no longer needed.
    expect((await h.vouch.jobs.runPrune()).messages).toBe(3);
    expect(await storedMessages()).toBe(0);
  });

  it('batches resume in key order: a run takes at most its batches, the next one the rest', async () => {
    for (const n of [1, 2, 3]) {
      await provision(h, { name: `Corp ${n}`, contractNumber: `C-${n}`, primaryContactUserId: primary.id });
      const { confirmation } = await invite(h, h.slack.lastDm(primary.id)!);
      await h.driver.click(primary.id, confirmation, 'Cancel');
    }
    expect(await storedMessages()).toBe(6);
    expect(await pruneSettledMessages(h.database.db, h.clock.now(), { batchSize: 1, maxBatches: 2 })).toBe(2);
    expect(await storedMessages()).toBe(4);
    expect(await pruneSettledMessages(h.database.db, h.clock.now(), { batchSize: 1, maxBatches: 10 })).toBe(1);
    expect(await storedMessages()).toBe(3); // the three setup DMs, whose invitations are still pending
  });

  it('a message whose last edit failed is kept until the reconciliation has redrawn it', async () => {
    await provision(h);
    const { confirmation } = await invite(h, h.slack.lastDm(primary.id)!);
    h.slack.failNext('chat.update', { error: 'cant_update_message' });
    await h.driver.click(primary.id, confirmation, 'Cancel');
    await h.vouch.idle();
    expect((await h.vouch.jobs.runPrune()).messages).toBe(0);
    expect(await h.vouch.jobs.runReconcile()).toBe(1);
    await h.vouch.idle();
    expect(text(h.slack.message(confirmation.channel, confirmation.ts))).toContain('You cancelled this');
    expect((await h.vouch.jobs.runPrune()).messages).toBe(1);
    expect(await h.vouch.jobs.runReconcile()).toBe(0);
  });
});
