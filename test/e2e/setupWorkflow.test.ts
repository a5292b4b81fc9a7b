import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../src/sandbox/slack/index.js';
import { accounts, adminMemberships, auditEvents, delegations } from '../../src/db/schema.js';
import { DAY, HOUR } from '../support/clock.js';
import { text, buttonsOf } from '../support/blocks.js';
import { invite, people, provision, SIGNING_SECRET, startHarness, withTableAway, type Harness } from '../support/harness.js';
import { SlackDriver } from '../../src/sandbox/slack/index.js';
import postgres from 'postgres';
import { onRealPostgres } from '../support/database.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const { primary, colleague, other, helperBot } = people;

async function provisioned(): Promise<{ accountId: string; setupDm: FakeMessage }> {
  const res = await provision(h);
  expect(res.status).toBe(201);
  return { accountId: res.json.id as string, setupDm: h.slack.lastDm(primary.id)! };
}

async function invitedAndApproved() {
  const { accountId, setupDm } = await provisioned();
  const { confirmation } = await invite(h, setupDm);
  await h.driver.click(primary.id, confirmation, 'Approve');
  return { accountId, setupDm, confirmation, inviteeDm: h.slack.lastDm(colleague.id)! };
}

const auditActions = async () => (await h.database.db.select().from(auditEvents).orderBy(auditEvents.seq)).map((e) => e.action);

describe('Workflow 1: provisioning', () => {
  it('the primary contact becomes an admin and gets the setup DM with both buttons and its deadline', async () => {
    const { accountId, setupDm } = await provisioned();
    expect(setupDm.blocks?.[0]).toMatchObject({ type: 'header', text: { text: 'Action required: set up “Acme Corp” Enterprise Account' } });
    expect(buttonsOf(setupDm)).toEqual(['Set up the account', 'Invite someone else']);
    expect(text(setupDm)).toContain('2026-12-23 09:00 UTC'); // 30 days from the test clock's start
    const admins = await h.database.db.select().from(adminMemberships).where(eq(adminMemberships.accountId, accountId));
    expect(admins.map((a) => a.userId)).toEqual([primary.id]);
    expect(await auditActions()).toEqual(['account.provisioned', 'admin.granted', 'setup_invitation.issued']);
  });
});

describe('Workflow 1: set up myself', () => {
  it('the setup modal activates the account and the DM keeps no live button', async () => {
    const { accountId, setupDm } = await provisioned();
    await h.driver.click(primary.id, setupDm, 'Set up the account');
    const modal = h.slack.openView(primary.id)!;
    expect(modal.view).toMatchObject({ callback_id: 'setup_account' });
    const res = await h.driver.submitView(primary.id, modal.id, { account_name: 'Acme Corporation' });
    expect(res.status).toBe(200);
    const [account] = await h.database.db.select().from(accounts).where(eq(accounts.id, accountId));
    expect(account).toMatchObject({ status: 'active', name: 'Acme Corporation', setUpBy: primary.id });
    const edited = h.slack.message(setupDm.channel, setupDm.ts)!;
    expect(buttonsOf(edited)).toEqual([]);
    expect(text(edited)).toContain(`was set up by <@${primary.id}>`);
    expect(await auditActions()).toContain('account.set_up');
  });

  it('a name another account already has is an inline error and changes nothing', async () => {
    const { setupDm } = await provisioned();
    expect((await provision(h, { name: 'Globex', contractNumber: 'C-2', primaryContactUserId: other.id })).status).toBe(201);
    await h.driver.click(primary.id, setupDm, 'Set up the account');
    const modal = h.slack.openView(primary.id)!;
    const res = await h.driver.submitView(primary.id, modal.id, { account_name: 'GLOBEX' });
    expect(res.json).toEqual({ response_action: 'errors', errors: { account_name: 'Another Enterprise Account already has this name.' } });
    expect(buttonsOf(h.slack.message(setupDm.channel, setupDm.ts))).toEqual(['Set up the account', 'Invite someone else']);
  });
});

describe('Workflow 1: invite someone else', () => {
  it('the confirmation DM asks the primary contact, with Approve and Cancel for 24 hours', async () => {
    const { setupDm } = await provisioned();
    const { response, confirmation } = await invite(h, setupDm);
    expect(response.status).toBe(200);
    expect(confirmation.ts).not.toBe(setupDm.ts);
    expect(text(confirmation)).toContain(`Confirm that <@${colleague.id}> should get manage permissions on *Acme Corp*`);
    expect(text(confirmation)).toContain('2026-11-24 09:00 UTC');
    expect(buttonsOf(confirmation)).toEqual(['Approve', 'Cancel']);
    expect(h.slack.dm(colleague.id)).toHaveLength(0); // nothing reaches the invitee before confirmation
  });

  it('approve → accept: the invitee holds manage, takes over the setup, and the primary contact is told', async () => {
    const { accountId, setupDm, confirmation, inviteeDm } = await invitedAndApproved();
    expect(buttonsOf(h.slack.message(confirmation.channel, confirmation.ts))).toEqual([]);
    expect(text(h.slack.message(confirmation.channel, confirmation.ts))).toContain('You approved');
    expect(buttonsOf(inviteeDm)).toEqual(['Accept', 'Decline']);

    await h.driver.click(colleague.id, inviteeDm, 'Accept');
    const admins = await h.database.db.select().from(adminMemberships).where(eq(adminMemberships.accountId, accountId));
    expect(admins.map((a) => a.userId).sort()).toEqual([primary.id, colleague.id].sort());
    // The invitee's own setup DM, with both buttons, and the invitee DM shows the outcome.
    const colleagueDms = h.slack.dm(colleague.id);
    expect(buttonsOf(colleagueDms.at(-1))).toEqual(['Set up the account', 'Invite someone else']);
    expect(text(h.slack.message(inviteeDm.channel, inviteeDm.ts))).toContain('You accepted');
    // The primary contact: setup DM handed over, confirmation shows acceptance, plus a notice.
    expect(text(h.slack.message(setupDm.channel, setupDm.ts))).toContain(`You handed the setup of *Acme Corp* to <@${colleague.id}>`);
    expect(buttonsOf(h.slack.message(setupDm.channel, setupDm.ts))).toEqual([]);
    expect(text(h.slack.lastDm(primary.id))).toContain(`<@${colleague.id}> accepted your invitation`);

    // The invitee can then set the account up.
    await h.driver.click(colleague.id, colleagueDms.at(-1)!, 'Set up the account');
    await h.driver.submitView(colleague.id, h.slack.openView(colleague.id)!.id, { account_name: 'Acme Corp' });
    const [account] = await h.database.db.select().from(accounts).where(eq(accounts.id, accountId));
    expect(account).toMatchObject({ status: 'active', setUpBy: colleague.id });
    expect(text(h.slack.lastDm(primary.id))).toContain(`<@${colleague.id}> set up the *Acme Corp* Enterprise Account`);
  });

  it('an e-mail address is resolved with users.lookupByEmail', async () => {
    const { setupDm } = await provisioned();
    const { confirmation } = await invite(h, setupDm, { invitee_email: colleague.email });
    expect(h.slack.calls('users.lookupByEmail').at(-1)?.args).toMatchObject({ email: colleague.email });
    expect(text(confirmation)).toContain(`<@${colleague.id}> (${colleague.email})`);
  });

  it.each([
    [
      'an unknown e-mail',
      { invitee_email: 'nobody@elsewhere.example' },
      'invitee_email',
      'No one in this workspace has that e-mail address',
    ],
    ['a malformed e-mail', { invitee_email: 'not-an-address' }, 'invitee_email', 'not a valid e-mail address'],
    ['the primary contact themself', { invitee_user: { user: primary.id } }, 'invitee_user', 'That is you'],
    ['an existing admin', { invitee_email: primary.email }, 'invitee_email', 'That is you'],
    ['an app', { invitee_user: { user: helperBot.id } }, 'invitee_user', 'not an app'],
    ['nobody', {}, 'invitee_user', 'Choose a person'],
    ['both a person and an e-mail', { invitee_user: { user: colleague.id }, invitee_email: colleague.email }, 'invitee_email', 'not both'],
  ])('inviting %s is an inline error and sends nothing', async (_name, values, field, message) => {
    const { setupDm } = await provisioned();
    await h.driver.click(primary.id, setupDm, 'Invite someone else');
    const modal = h.slack.openView(primary.id)!;
    const res = await h.driver.submitView(primary.id, modal.id, values as never);
    const json = res.json as { response_action: string; errors: Record<string, string> };
    expect(json.response_action).toBe('errors');
    expect(json.errors[field]).toContain(message);
    expect(h.slack.dm(primary.id)).toHaveLength(1);
    expect(await h.database.db.select().from(delegations)).toHaveLength(0);
  });

  it('inviting someone who is already an admin is no error: the confirmation asks to hand them the setup', async () => {
    const { accountId, setupDm } = await provisioned();
    await h.database.db.insert(adminMemberships).values({ accountId, userId: other.id, grantedBy: primary.id, grantedAt: h.clock.now() });
    await h.driver.click(primary.id, setupDm, 'Invite someone else');
    const res = await h.driver.submitView(primary.id, h.slack.openView(primary.id)!.id, { invitee_user: { user: other.id } });
    expect(res.status).toBe(200);
    expect(text(h.slack.lastDm(primary.id))).toContain(
      `<@${other.id}>, already an admin of *Acme Corp*, should take its setup over from you`,
    );
  });

  it('Cancel closes the confirmation and nothing reaches the invitee', async () => {
    const { setupDm } = await provisioned();
    const { confirmation } = await invite(h, setupDm);
    await h.driver.click(primary.id, confirmation, 'Cancel');
    const edited = h.slack.message(confirmation.channel, confirmation.ts)!;
    expect(buttonsOf(edited)).toEqual([]);
    expect(text(edited)).toContain('You cancelled this');
    expect(h.slack.dm(colleague.id)).toHaveLength(0);
    // The setup invitation still works.
    expect(buttonsOf(h.slack.message(setupDm.channel, setupDm.ts))).toEqual(['Set up the account', 'Invite someone else']);
  });

  it('Decline tells the primary contact, whose setup invitation keeps working', async () => {
    const { setupDm, inviteeDm } = await invitedAndApproved();
    await h.driver.click(colleague.id, inviteeDm, 'Decline');
    expect(text(h.slack.message(inviteeDm.channel, inviteeDm.ts))).toContain('You declined');
    expect(text(h.slack.lastDm(primary.id))).toContain(`<@${colleague.id}> declined your invitation`);
    const again = await invite(h, setupDm, { invitee_user: { user: other.id } });
    expect(buttonsOf(again.confirmation)).toEqual(['Approve', 'Cancel']);
  });
});

describe('Workflow 1: when a button stops working', () => {
  it('an expired confirmation refuses Approve at click time, before any sweep, and offers Start again', async () => {
    const { setupDm } = await provisioned();
    const { confirmation } = await invite(h, setupDm);
    h.clock.advance(24 * HOUR);
    await h.driver.click(primary.id, confirmation, 'Approve');
    const reply = h.slack.lastEphemeral(primary.id)!;
    expect(text(reply)).toContain('This expired on');
    expect(buttonsOf(reply as FakeMessage)).toEqual(['Start again']);
    expect(h.slack.dm(colleague.id)).toHaveLength(0);
    const [row] = await h.database.db.select().from(delegations);
    expect(row?.status).toBe('awaiting_confirmation');
  });

  it('an expired setup invitation refuses Invite someone else at click time', async () => {
    const { setupDm } = await provisioned();
    h.clock.advance(30 * DAY);
    await h.driver.click(primary.id, setupDm, 'Invite someone else');
    expect(text(h.slack.lastEphemeral(primary.id))).toContain('This expired on');
    expect(h.slack.openView(primary.id)).toBeUndefined();
  });

  it('someone removed the primary contact as an admin: the DMs say so and the buttons refuse', async () => {
    const { accountId, setupDm } = await provisioned();
    const { confirmation } = await invite(h, setupDm);
    await h.database.db.insert(adminMemberships).values({ accountId, userId: other.id, grantedBy: 'api', grantedAt: h.clock.now() });
    const stale = {
      setup: structuredClone(setupDm),
      confirmation: structuredClone(h.slack.message(confirmation.channel, confirmation.ts)!),
    };
    expect(await h.vouch.context.workflows.admins.remove({ accountId, userId: primary.id, actor: other.id })).toMatchObject({
      kind: 'ok',
    });
    await h.vouch.idle();
    expect(text(h.slack.message(setupDm.channel, setupDm.ts))).toContain('you were removed as an admin');
    expect(text(h.slack.message(confirmation.channel, confirmation.ts))).toContain('you were removed as an admin');
    // A click from a screen that had not refreshed yet is refused too.
    await h.driver.click(primary.id, confirmation, 'Approve', { staleBlocks: stale.confirmation.blocks });
    expect(text(h.slack.lastEphemeral(primary.id))).toContain('no longer an admin');
    expect(h.slack.dm(colleague.id)).toHaveLength(0);
  });

  it('the invitee cannot accept once the inviter was removed as an admin', async () => {
    const { accountId, inviteeDm } = await invitedAndApproved();
    await h.database.db.insert(adminMemberships).values({ accountId, userId: other.id, grantedBy: 'api', grantedAt: h.clock.now() });
    const stale = structuredClone(inviteeDm);
    await h.vouch.context.workflows.admins.remove({ accountId, userId: primary.id, actor: other.id });
    await h.vouch.idle();
    expect(text(h.slack.message(inviteeDm.channel, inviteeDm.ts))).toContain(`<@${primary.id}> is no longer an admin`);
    await h.driver.click(colleague.id, inviteeDm, 'Accept', { staleBlocks: stale.blocks });
    expect(text(h.slack.lastEphemeral(colleague.id))).toContain('the person who invited you is no longer an admin');
    const admins = await h.database.db
      .select()
      .from(adminMemberships)
      .where(and(eq(adminMemberships.accountId, accountId), eq(adminMemberships.userId, colleague.id)));
    expect(admins).toHaveLength(0);
  });

  it('already used: a second Approve from a stale screen changes nothing', async () => {
    const { setupDm } = await provisioned();
    const { confirmation } = await invite(h, setupDm);
    const stale = structuredClone(confirmation);
    await h.driver.click(primary.id, confirmation, 'Approve');
    await h.driver.click(primary.id, confirmation, 'Approve', { staleBlocks: stale.blocks });
    expect(text(h.slack.lastEphemeral(primary.id))).toContain('already approved');
    expect(h.slack.dm(colleague.id)).toHaveLength(1);
  });

  it('cancelled, then Approve from a stale screen', async () => {
    const { setupDm } = await provisioned();
    const { confirmation } = await invite(h, setupDm);
    const stale = structuredClone(confirmation);
    await h.driver.click(primary.id, confirmation, 'Cancel');
    await h.driver.click(primary.id, confirmation, 'Approve', { staleBlocks: stale.blocks });
    expect(text(h.slack.lastEphemeral(primary.id))).toContain('was cancelled');
    expect(h.slack.dm(colleague.id)).toHaveLength(0);
  });

  it('declined, then Accept from a stale screen', async () => {
    const { inviteeDm } = await invitedAndApproved();
    const stale = structuredClone(inviteeDm);
    await h.driver.click(colleague.id, inviteeDm, 'Decline');
    await h.driver.click(colleague.id, inviteeDm, 'Accept', { staleBlocks: stale.blocks });
    expect(text(h.slack.lastEphemeral(colleague.id))).toContain('was declined');
  });

  it('replaced by a newer invitation: the older confirmation says so and refuses', async () => {
    const { setupDm } = await provisioned();
    const first = await invite(h, setupDm);
    const stale = structuredClone(first.confirmation);
    const second = await invite(h, setupDm, { invitee_user: { user: other.id } });
    expect(text(h.slack.message(first.confirmation.channel, first.confirmation.ts))).toContain('A newer invitation replaced this one');
    await h.driver.click(primary.id, first.confirmation, 'Approve', { staleBlocks: stale.blocks });
    expect(text(h.slack.lastEphemeral(primary.id))).toContain('A newer invitation replaced this one');
    await h.driver.click(primary.id, second.confirmation, 'Approve');
    expect(h.slack.dm(other.id)).toHaveLength(1);
    expect(h.slack.dm(colleague.id)).toHaveLength(0);
  });

  it('the account was set up meanwhile: the invitee DM says so and Accept refuses', async () => {
    const { setupDm, inviteeDm } = await invitedAndApproved();
    const stale = structuredClone(inviteeDm);
    await h.driver.click(primary.id, setupDm, 'Set up the account');
    await h.driver.submitView(primary.id, h.slack.openView(primary.id)!.id, { account_name: 'Acme Corp' });
    expect(text(h.slack.message(inviteeDm.channel, inviteeDm.ts))).toContain('so this invitation is no longer needed');
    await h.driver.click(colleague.id, inviteeDm, 'Accept', { staleBlocks: stale.blocks });
    expect(text(h.slack.lastEphemeral(colleague.id))).toContain('already been set up');
  });

  it('a setup DM handed over to the invitee refuses its old buttons', async () => {
    const { setupDm, inviteeDm } = await invitedAndApproved();
    const stale = structuredClone(setupDm);
    await h.driver.click(colleague.id, inviteeDm, 'Accept');
    await h.driver.click(primary.id, setupDm, 'Invite someone else', { staleBlocks: stale.blocks });
    expect(text(h.slack.lastEphemeral(primary.id))).toContain('A newer invitation replaced this one');
  });
});

describe('Workflow 1: timers and starting again', () => {
  it('the sweep expires a confirmation at 24 hours and its DM offers Start again, which re-opens the invite modal with the invitee', async () => {
    const { setupDm } = await provisioned();
    const { confirmation } = await invite(h, setupDm);
    h.clock.advance(24 * HOUR - 1000);
    expect(await h.vouch.jobs.runSweep()).toEqual({ setupInvitations: 0, delegations: 0 });
    h.clock.advance(1000);
    expect(await h.vouch.jobs.runSweep()).toEqual({ setupInvitations: 0, delegations: 1 });
    await h.vouch.idle();
    const edited = h.slack.message(confirmation.channel, confirmation.ts)!;
    expect(text(edited)).toContain('This confirmation expired');
    expect(buttonsOf(edited)).toEqual(['Start again']);

    await h.driver.click(primary.id, edited, 'Start again');
    const modal = h.slack.openView(primary.id)!;
    expect(modal.view).toMatchObject({ callback_id: 'invite_someone' });
    expect(JSON.stringify(modal.view.blocks)).toContain(`"initial_user":"${colleague.id}"`);
    const res = await h.driver.submitView(primary.id, modal.id, { invitee_user: { user: colleague.id } });
    expect(res.status).toBe(200);
    expect(buttonsOf(h.slack.lastDm(primary.id))).toEqual(['Approve', 'Cancel']);
  });

  it('the sweep expires the setup invitation at 30 days; /enterprise setup then issues a fresh one for 30 more days', async () => {
    const { setupDm } = await provisioned();
    h.clock.advance(30 * DAY);
    expect(await h.vouch.jobs.runSweep()).toEqual({ setupInvitations: 1, delegations: 0 });
    await h.vouch.idle();
    const edited = h.slack.message(setupDm.channel, setupDm.ts)!;
    expect(buttonsOf(edited)).toEqual(['Get a new invitation']);
    expect(text(edited)).toContain('`/enterprise setup`');
    expect(text(edited)).toContain('valid for another 30 days');

    const reply = await h.driver.command(primary.id, 'setup');
    expect((reply.json as { text: string }).text).toContain('fresh setup invitation');
    const fresh = h.slack.lastDm(primary.id)!;
    expect(fresh.ts).not.toBe(setupDm.ts);
    expect(buttonsOf(fresh)).toEqual(['Set up the account', 'Invite someone else']);
    expect(text(fresh)).toContain('2027-01-22 09:00 UTC'); // 60 days after the start
  });

  it('an expiring setup invitation takes its pending confirmation with it', async () => {
    const { setupDm } = await provisioned();
    h.clock.advance(30 * DAY - HOUR);
    const { confirmation } = await invite(h, setupDm);
    h.clock.advance(HOUR);
    expect(await h.vouch.jobs.runSweep()).toEqual({ setupInvitations: 1, delegations: 0 });
    await h.vouch.idle();
    expect(buttonsOf(h.slack.message(confirmation.channel, confirmation.ts))).toEqual(['Start again']);
  });

  it('/enterprise setup re-sends a live setup message, and refuses when the account is set up or the caller is no admin', async () => {
    await provisioned();
    const resent = await h.driver.command(primary.id, 'setup');
    expect((resent.json as { text: string }).text).toContain('your setup message is in your DMs again');
    expect(h.slack.dm(primary.id)).toHaveLength(2);
    expect(buttonsOf(h.slack.lastDm(primary.id))).toEqual(['Set up the account', 'Invite someone else']);

    const stranger = await h.driver.command(other.id, 'setup');
    expect((stranger.json as { text: string }).text).toContain('not an admin of any Enterprise Account');
    expect(h.slack.dm(other.id)).toHaveLength(0);

    await h.driver.click(primary.id, h.slack.lastDm(primary.id)!, 'Set up the account');
    await h.driver.submitView(primary.id, h.slack.openView(primary.id)!.id, { account_name: 'Acme Corp' });
    const done = await h.driver.command(primary.id, 'setup');
    expect((done.json as { text: string }).text).toContain('is already set up');
  });

  it('a removed primary contact gets no fresh invitation', async () => {
    const { accountId } = await provisioned();
    await h.database.db.insert(adminMemberships).values({ accountId, userId: other.id, grantedBy: 'api', grantedAt: h.clock.now() });
    await h.vouch.context.workflows.admins.remove({ accountId, userId: primary.id, actor: other.id });
    h.clock.advance(31 * DAY);
    const reply = await h.driver.command(primary.id, 'setup');
    expect((reply.json as { text: string }).text).toContain('not an admin of any Enterprise Account');
  });
});

describe('Workflow 1: races', () => {
  it('Slack hears back once the click has committed, so the ack means it happened', async () => {
    const { setupDm } = await provisioned();
    const { confirmation } = await invite(h, setupDm);
    // A driver that does not wait for Vouch to go idle: it sees what Slack would, the response.
    const unsettled = new SlackDriver({ slack: h.slack, eventsUrl: `${h.baseUrl}/slack/events`, signingSecret: SIGNING_SECRET });
    const response = await unsettled.click(primary.id, confirmation, 'Approve');
    expect(response.status).toBe(200);
    const [row] = await h.database.db.select({ status: delegations.status }).from(delegations);
    expect(row?.status).toBe('awaiting_acceptance');
    await h.vouch.idle();
    expect(h.slack.dm(colleague.id)).toHaveLength(1);
  });

  it('a click whose transaction fails gets an error from Slack, not a silent ack', async () => {
    const { setupDm } = await provisioned();
    const { confirmation } = await invite(h, setupDm);
    const response = await withTableAway(h, 'delegations', () => h.driver.click(primary.id, confirmation, 'Approve'));
    expect(response.status).toBeGreaterThanOrEqual(500);
    const [row] = await h.database.db.select({ status: delegations.status }).from(delegations);
    expect(row?.status).toBe('awaiting_confirmation');
    expect(h.slack.dm(colleague.id)).toHaveLength(0);
  });

  it.skipIf(!onRealPostgres)(
    'a click that would wait on a lock for more than 2 seconds fails fast and changes nothing',
    { timeout: 15_000 },
    async () => {
      const { setupDm } = await provisioned();
      const { confirmation } = await invite(h, setupDm);
      // Another session (a long job, say) holds the setup invitation's row.
      const other = postgres((h.database as { url?: string }).url!, { max: 1, onnotice: () => {} });
      try {
        const held = other.begin(async (tx) => {
          await tx`select id from setup_invitations for update`;
          await new Promise((resolve) => setTimeout(resolve, 4_000));
        });
        await new Promise((resolve) => setTimeout(resolve, 200));
        const started = Date.now();
        const response = await h.driver.click(primary.id, confirmation, 'Approve');
        expect(response.status).toBe(500);
        expect(Date.now() - started).toBeLessThan(3_000);
        await held;
      } finally {
        await other.end();
      }
      const [row] = await h.database.db.select({ status: delegations.status }).from(delegations);
      expect(row?.status).toBe('awaiting_confirmation');
      expect((await h.driver.click(primary.id, confirmation, 'Approve')).status).toBe(200);
      expect(h.slack.dm(colleague.id)).toHaveLength(1);
    },
  );

  it('20 concurrent Approve clicks produce exactly one invitee DM and one audit event', async () => {
    const { setupDm } = await provisioned();
    const { confirmation } = await invite(h, setupDm);
    const stale = structuredClone(confirmation);
    const clicks = await Promise.all(
      Array.from({ length: 20 }, () => h.driver.click(primary.id, confirmation, 'Approve', { staleBlocks: stale.blocks })),
    );
    expect(clicks.every((c) => c.status === 200)).toBe(true);
    await h.vouch.idle();
    expect(h.slack.dm(colleague.id)).toHaveLength(1);
    expect((await auditActions()).filter((a) => a === 'delegation.approved')).toHaveLength(1);
    const refusals = h.slack.ephemerals(primary.id).filter((e) => text(e).includes('already approved'));
    expect(refusals).toHaveLength(19);
  });
});
