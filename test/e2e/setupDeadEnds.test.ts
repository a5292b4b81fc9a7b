// Workflow 1 without dead ends, as the people in it see it: one live copy of the setup message,
// a fresh invitation one click away when it expires, the setup handed to an existing admin, and
// no button left live on anything of someone removed as an admin.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { adminMemberships, auditEvents, slackMessages } from '../../src/db/schema.js';
import type { FakeMessage } from '../../src/sandbox/slack/index.js';
import { DAY, HOUR } from '../support/clock.js';
import { buttonsOf, text } from '../support/blocks.js';
import { invite, people, provision, removeAdmin, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const { primary, colleague, other } = people;
const shown = (m: FakeMessage) => h.slack.message(m.channel, m.ts)!;
const SETUP_BUTTONS = ['Set up the account', 'Invite someone else'];

describe('/enterprise setup sends the setup message again: one live copy', () => {
  it('each older copy is edited to point to the newest, with no buttons; only the newest works', async () => {
    await provision(h);
    const first = h.slack.lastDm(primary.id)!;
    await h.driver.command(primary.id, 'setup');
    const second = h.slack.lastDm(primary.id)!;
    h.clock.advance(60_000); // asked again a minute later
    await h.driver.command(primary.id, 'setup');
    const third = h.slack.lastDm(primary.id)!;
    expect(new Set([first.ts, second.ts, third.ts]).size).toBe(3);

    expect(buttonsOf(shown(third))).toEqual(SETUP_BUTTONS);
    for (const older of [first, second]) {
      expect(buttonsOf(shown(older))).toEqual([]);
      expect(text(shown(older))).toContain('You asked for this message again, so this copy no longer has buttons.');
      // The link leads to the newest copy.
      expect(text(shown(older))).toContain(`/archives/${third.channel}/p${third.ts.replace('.', '')}|the newest copy>`);
    }
    const live = h.slack.dm(primary.id).filter((m) => buttonsOf(m).length > 0);
    expect(live.map((m) => m.ts)).toEqual([third.ts]);
  });

  it('the older copies keep pointing to the newest when the invitation changes; the newest shows the change', async () => {
    await provision(h);
    const first = h.slack.lastDm(primary.id)!;
    await h.driver.command(primary.id, 'setup');
    const newest = h.slack.lastDm(primary.id)!;
    await h.driver.click(primary.id, newest, 'Set up the account');
    await h.driver.submitView(primary.id, h.slack.openView(primary.id)!.id, { account_name: 'Acme Corp' });
    expect(text(shown(newest))).toContain(`was set up by <@${primary.id}>`);
    expect(text(shown(first))).toContain('this copy no longer has buttons');
    expect(buttonsOf(shown(first))).toEqual([]);
    // Nothing is left behind for the reconciliation to redraw.
    expect(await h.vouch.context.workflows.timers.reconcile()).toBe(0);
  });

  it('an older copy whose edit failed is put right by the reconciliation', async () => {
    await provision(h);
    const first = h.slack.lastDm(primary.id)!;
    h.slack.failNext('chat.update', { error: 'message_not_found' });
    await h.driver.command(primary.id, 'setup');
    await h.vouch.idle();
    // Posted once all the same: a failed edit never posts the new copy twice.
    expect(h.slack.dm(primary.id)).toHaveLength(2);
    expect(buttonsOf(shown(first))).toEqual(SETUP_BUTTONS);
    const rows = await h.database.db.select().from(slackMessages);
    expect(rows.filter((m) => m.movedToTs !== null)).toHaveLength(1);
    await h.vouch.jobs.runReconcile();
    await h.vouch.idle();
    expect(buttonsOf(shown(first))).toEqual([]);
    expect(text(shown(first))).toContain('this copy no longer has buttons');
  });
});

describe('an expired setup invitation: a fresh one is a click away', () => {
  it('on expiry a new short DM says so, with Get a new invitation; the click sends a fresh invitation for 30 days', async () => {
    await provision(h);
    const setupDm = h.slack.lastDm(primary.id)!;
    h.clock.advance(30 * DAY);
    expect(await h.vouch.jobs.runSweep()).toEqual({ setupInvitations: 1, delegations: 0 });
    await h.vouch.idle();

    const expiredDm = h.slack.lastDm(primary.id)!;
    expect(expiredDm.ts).not.toBe(setupDm.ts);
    expect(text(expiredDm)).toContain('Your invitation to set up *Acme Corp* expired on');
    expect(text(expiredDm)).toContain('get a new one, valid for 30 days');
    expect(buttonsOf(expiredDm)).toEqual(['Get a new invitation']);
    // The setup message itself says it expired, and offers the same button instead of a command to type.
    expect(buttonsOf(shown(setupDm))).toEqual(['Get a new invitation']);

    await h.driver.click(primary.id, expiredDm, 'Get a new invitation');
    expect(text(h.slack.lastEphemeral(primary.id))).toContain(
      '*Acme Corp*: here is a fresh setup invitation in your DMs; it works for 30 days, until',
    );
    const fresh = h.slack.lastDm(primary.id)!;
    expect(buttonsOf(fresh)).toEqual(SETUP_BUTTONS);
    expect(text(fresh)).toContain('2027-01-22 09:00 UTC'); // 30 days after the click
    // Clicked again: the fresh invitation's message is sent again, still one live copy.
    h.clock.advance(HOUR);
    await h.driver.click(primary.id, expiredDm, 'Get a new invitation');
    expect(text(h.slack.lastEphemeral(primary.id))).toContain('your setup message is in your DMs again');
    expect(h.slack.dm(primary.id).filter((m) => buttonsOf(m).includes('Set up the account'))).toHaveLength(1);
  });

  it('an invitation expired on the way to a fresh one by /enterprise setup sends no expiry DM', async () => {
    await provision(h);
    h.clock.advance(30 * DAY); // the sweep has not run yet
    await h.driver.command(primary.id, 'setup');
    // The old setup message says it expired (its button would send the fresh one again); no DM between.
    expect(h.slack.dm(primary.id).map((m) => buttonsOf(m))).toEqual([['Get a new invitation'], SETUP_BUTTONS]);
  });

  it('the Home tab offers Get a new invitation for an account not set up that no one holds an invitation for', async () => {
    const accountId = (await provision(h)).json.id as string;
    await h.driver.command(primary.id, `add-admin Acme Corp <@${colleague.id}>`);
    await h.driver.appHomeOpened(colleague.id);
    const home = () => text(h.slack.homeView(colleague.id)!.view);
    expect(home()).toContain(`<@${primary.id}> holds its setup invitation until`);
    expect(buttonsOf(h.slack.homeView(colleague.id)!.view)).toEqual([]);

    h.clock.advance(30 * DAY);
    await h.vouch.jobs.runSweep();
    await h.vouch.idle();
    await h.driver.appHomeOpened(colleague.id);
    expect(home()).toContain('*Acme Corp* (not yet set up), contract C-1001: 2 admins; no setup invitation is live.');
    await h.driver.clickHome(colleague.id, 'Get a new invitation');
    // Colleague now holds the setup: their own setup DM, and the tab shows it with its buttons.
    expect(buttonsOf(h.slack.lastDm(colleague.id))).toEqual(SETUP_BUTTONS);
    expect(text(h.slack.lastDm(colleague.id))).toContain(`set up “Acme Corp”`);
    await h.vouch.idle();
    expect(buttonsOf(h.slack.homeView(colleague.id)!.view)).toEqual(SETUP_BUTTONS);
    expect(accountId).toBeTruthy();
  });

  it('someone no longer an admin who clicks it gets nothing, and is told why', async () => {
    await provision(h);
    const expiredAfter = async () => {
      h.clock.advance(30 * DAY);
      await h.vouch.jobs.runSweep();
      await h.vouch.idle();
      return h.slack.lastDm(primary.id)!;
    };
    const expiredDm = await expiredAfter();
    const stale = structuredClone(expiredDm);
    await h.driver.command(primary.id, `add-admin Acme Corp <@${other.id}>`);
    await removeAdmin(h, other.id, `Acme Corp <@${primary.id}>`);
    await h.driver.click(primary.id, expiredDm, 'Get a new invitation', { staleBlocks: stale.blocks });
    expect(text(h.slack.lastEphemeral(primary.id))).toContain('You are not an admin of this Enterprise Account (any more)');
    expect(h.slack.dm(primary.id).filter((m) => buttonsOf(m).length > 0)).toEqual([]);
  });
});

describe('removing an admin redraws every message of theirs that still shows a button', () => {
  it('their expired confirmation loses Start again, their expired setup messages lose Get a new invitation', async () => {
    await provision(h);
    const setupDm = h.slack.lastDm(primary.id)!;
    const { confirmation } = await invite(h, setupDm);
    h.clock.advance(24 * HOUR);
    await h.vouch.jobs.runSweep();
    await h.vouch.idle();
    expect(buttonsOf(shown(confirmation))).toEqual(['Start again']);
    h.clock.advance(30 * DAY);
    await h.vouch.jobs.runSweep();
    await h.vouch.idle();
    const expiredDm = h.slack.lastDm(primary.id)!;
    expect(buttonsOf(expiredDm)).toEqual(['Get a new invitation']);
    // Their records stay while the account waits for setup: a removal must still reach them.
    await h.vouch.jobs.runPrune();
    const staleStart = structuredClone(shown(confirmation));

    await h.driver.command(primary.id, `add-admin Acme Corp <@${other.id}>`);
    await removeAdmin(h, other.id, `Acme Corp <@${primary.id}>`);
    await h.vouch.idle();

    expect(buttonsOf(shown(confirmation))).toEqual([]);
    expect(text(shown(confirmation))).toContain('You were removed as an admin of *Acme Corp* on');
    expect(text(shown(confirmation))).toContain('so it cannot be started again');
    expect(buttonsOf(shown(setupDm))).toEqual([]);
    expect(text(shown(setupDm))).toContain('so it cannot be renewed by you');
    expect(buttonsOf(shown(expiredDm))).toEqual([]);
    expect(text(shown(expiredDm))).toContain('You are no longer an admin of *Acme Corp*, so only its admins can get a new one.');
    expect(h.slack.dm(primary.id).filter((m) => buttonsOf(m).length > 0)).toEqual([]);
    // A screen that had not refreshed yet: Start again is refused, as before.
    const opened = h.slack.calls('views.open').length;
    await h.driver.click(primary.id, confirmation, 'Start again', { staleBlocks: staleStart.blocks });
    expect(text(h.slack.lastEphemeral(primary.id))).toContain('so nothing was changed');
    expect(h.slack.calls('views.open')).toHaveLength(opened);
    // Now final, their messages' records go with the next prune.
    expect((await h.vouch.jobs.runPrune()).messages).toBe(3);
  });
});

describe('the holder hands the setup to an existing admin (invite them; the confirmation step stays)', () => {
  it('an admin without the invitation is told who holds it and how to get it; the holder invites them, confirms, they accept', async () => {
    const accountId = (await provision(h)).json.id as string;
    const setupDm = h.slack.lastDm(primary.id)!;
    await h.driver.command(primary.id, `add-admin Acme Corp <@${colleague.id}>`);
    const asked = await h.driver.command(colleague.id, 'setup');
    expect((asked.json as { text: string }).text).toContain(
      `<@${primary.id}> holds the setup invitation; it works for 30 more days, until`,
    );
    expect((asked.json as { text: string }).text).toContain('They can hand it to you with *Invite someone else*.');

    const { confirmation } = await invite(h, setupDm);
    expect(text(confirmation)).toContain(
      `Confirm that <@${colleague.id}>, already an admin of *Acme Corp*, should take its setup over from you.`,
    );
    expect(buttonsOf(confirmation)).toEqual(['Approve', 'Cancel']);
    await h.driver.click(primary.id, confirmation, 'Approve');
    const inviteeDm = h.slack.lastDm(colleague.id)!;
    expect(text(inviteeDm)).toContain(
      `<@${primary.id}> hands you the setup of the *Acme Corp* Enterprise Account. You already hold manage permissions on it; accepting makes its setup yours.`,
    );
    await h.driver.click(colleague.id, inviteeDm, 'Accept');

    // The setup is theirs: their own setup DM with its buttons; the holder's DM says it was handed over.
    expect(buttonsOf(h.slack.lastDm(colleague.id))).toEqual(SETUP_BUTTONS);
    expect(text(shown(setupDm))).toContain(`You handed the setup of *Acme Corp* to <@${colleague.id}>`);
    expect(buttonsOf(shown(setupDm))).toEqual([]);
    // Nothing was granted twice: one admin.granted for them, from add-admin.
    const granted = (await h.database.db.select().from(auditEvents)).filter(
      (e) => e.action === 'admin.granted' && e.subjectId === colleague.id,
    );
    expect(granted).toHaveLength(1);
    const admins = (await h.database.db.select().from(adminMemberships).where(eq(adminMemberships.accountId, accountId))).filter(
      (m) => m.removedAt === null,
    );
    expect(admins.map((m) => m.userId).sort()).toEqual([colleague.id, primary.id].sort());
  });
});
