// The workflows across workspaces, distributed, end to end: real Bolt over HTTP with real
// signatures against the stand-in's three workspaces (the provider's and two customers'), each
// installed through /slack/install → Slack's authorize page → /slack/oauth_redirect.
// Workflow 1 in customer workspace Acme while a recovery from customer workspace Beta is reviewed
// in the provider's support channel; a person of Beta with the same user id as Acme's primary
// contact; uninstalling Acme and installing it again.

import { and, eq, isNull } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  accounts,
  adminMemberships,
  auditEvents,
  delegations,
  outbox,
  recoveryRequests,
  slackInstallations,
  slackPeople,
} from '../../src/db/schema.js';
import type { FakeMessage, FakeWorkspace } from '../../src/sandbox/slack/index.js';
import { buttonsOf, text } from '../support/blocks.js';
import { APP, installThroughBrowser, startDistributedHarness, type DistributedHarness } from '../support/distribution.js';
import { people, PROVISIONING_TOKEN, SIGNING_SECRET, SUPPORT_CHANNEL } from '../support/harness.js';
import { sendAppEvent } from '../../src/sandbox/slack/oauth.js';
import { letterBytes } from '../support/recovery.js';
import { retryDead } from '../../src/db/outbox.js';

let h: DistributedHarness;
// Started in a hook: a fresh database and its migrations can take a while on a busy machine.
beforeEach(async () => {
  h = await startDistributedHarness();
});
afterEach(async () => {
  await h?.close();
});

const { primary, colleague, supportA } = people;
/** Beta's people: Bea has the same user id as Acme's primary contact. */
const bea = { id: primary.id, email: 'bea@beta.example' };
const betaRequester = { id: 'U0BREQ', name: 'rex', realName: 'Rex Requester', email: 'rex@beta.example' };
const betaOfficer = { id: 'U0BCEO', name: 'cleo', realName: 'Cleo Chief', email: 'cleo@beta.example' };

async function provision(body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${h.baseUrl}/api/accounts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${PROVISIONING_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  await h.vouch.idle();
  return { status: res.status, json };
}

async function installAll(): Promise<void> {
  for (const [workspace, userId] of [
    [h.provider, supportA.id],
    [h.acme, primary.id],
    [h.beta, bea.id],
  ] as Array<[FakeWorkspace, string]>) {
    expect((await installThroughBrowser(h, { teamId: workspace.teamId, userId })).status).toBe(200);
  }
}

/** The teams whose tokens made the Web API calls of `method` to `channel` (a user id: their DM). */
const teamsOfCalls = (method: string, channel: string) =>
  h.slack
    .calls(method)
    .filter((c) => (c.args as { channel?: string }).channel === channel)
    .map((c) => c.team);

const acmeAccount = { name: 'Acme Corp', contractNumber: 'C-1001', primaryContactUserId: primary.id, slackTeamId: 'T0ACME' };
const betaAccount = { name: 'Beta Ltd', contractNumber: 'B-7', primaryContactUserId: bea.id, slackTeamId: 'T0BETA' };

/** All three workspaces installed, Acme Corp and Beta Ltd provisioned; the drivers of Acme's and Beta's people. */
async function acmeAndBetaProvisioned() {
  await installAll();
  expect((await provision(acmeAccount)).status).toBe(201);
  expect((await provision(betaAccount)).status).toBe(201);
  return { acme: h.driver(h.acme), beta: h.driver(h.beta) };
}

describe('provisioning names the customer’s workspace', () => {
  it('slackTeamId is required; a workspace that has not installed Vouch is refused with 422; the contact is looked up there', async () => {
    await installThroughBrowser(h, { teamId: h.provider.teamId, userId: supportA.id });
    const { slackTeamId: _, ...withoutTeam } = acmeAccount;
    const missing = await provision(withoutTeam);
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ fields: { slackTeamId: 'is required' } });
    const notInstalled = await provision(acmeAccount);
    expect(notInstalled.status).toBe(422);
    expect(notInstalled.json).toMatchObject({ error: 'workspace_not_installed' });
    expect(await h.database.db.select().from(accounts)).toEqual([]);

    await installThroughBrowser(h, { teamId: h.acme.teamId, userId: primary.id });
    // Looked up in Acme, with Acme's token: Beta's Bea is nobody there.
    expect((await provision({ ...acmeAccount, primaryContactUserId: undefined, primaryContactEmail: bea.email })).status).toBe(422);
    expect(h.slack.calls('users.lookupByEmail').map((c) => c.team)).toEqual(['T0ACME']);
    const created = await provision(acmeAccount);
    expect(created.status).toBe(201);
    const [account] = await h.database.db.select().from(accounts);
    expect(account).toMatchObject({ teamId: 'T0ACME', enterpriseId: null, primaryContactUserId: primary.id });
    // The setup DM went out in Acme, with Acme's token; Beta's person with the same id got nothing.
    expect(buttonsOf(h.acme.lastDm(primary.id)!)).toEqual(['Set up the account', 'Invite someone else']);
    expect(h.beta.lastDm(bea.id)).toBeUndefined();
    expect(teamsOfCalls('chat.postMessage', primary.id)).toEqual(['T0ACME']);
  }, 60_000);
});

describe('Workflow 1 in Acme while a recovery from Beta is reviewed in the provider’s support channel', () => {
  it('every DM goes out in the right workspace with its token; support decides in the provider’s workspace', async () => {
    await installAll();
    for (const person of [betaRequester, betaOfficer]) h.beta.addUser(person);
    const acme = h.driver(h.acme);
    const beta = h.driver(h.beta);
    const provider = h.driver(h.provider);

    // Acme: provisioned, invite someone else.
    expect((await provision(acmeAccount)).status).toBe(201);
    const setupDm = h.acme.lastDm(primary.id)!;
    await acme.click(primary.id, setupDm, 'Invite someone else');
    const invite = h.acme.openView(primary.id)!;
    await acme.submitView(primary.id, invite.id, { invitee_user: { user: colleague.id } });
    const confirmation = h.acme.lastDm(primary.id)!;
    expect(buttonsOf(confirmation)).toEqual(['Approve', 'Cancel']);

    // Beta: an account with no admin left, and a recovery request filed from Beta.
    expect((await provision(betaAccount)).status).toBe(201);
    const [betaRow] = await h.database.db.select().from(accounts).where(eq(accounts.teamId, 'T0BETA'));
    await h.database.db
      .update(adminMemberships)
      .set({ removedAt: h.clock.now(), removedBy: 'test' })
      .where(eq(adminMemberships.accountId, betaRow!.id));
    await beta.commandShown(betaRequester.id, 'recover');
    const offer = h.beta.lastEphemeral(betaRequester.id)!;
    await beta.clickEphemeral(betaRequester.id, offer, 'Request admin access');
    const form = h.beta.openView(betaRequester.id)!;
    const letter = h.beta.addFile({ name: 'letter.pdf', mimetype: 'application/pdf', content: letterBytes, user: betaRequester.id });
    const filed = await beta.submitView(betaRequester.id, form.id, {
      account_name: 'Beta Ltd',
      email_to_add: betaRequester.email,
      reason: 'Our only admin left and their mailbox is gone.',
      contract_number: 'B-7',
      officer_name: 'Cleo Chief',
      officer_title: 'Chief Executive Officer',
      officer_email: betaOfficer.email,
      letter: { files: [{ id: letter.id, name: letter.name }] },
    } as never);
    expect(filed.status).toBe(200);
    await h.vouch.idle();
    const [request] = await h.database.db.select().from(recoveryRequests);
    expect(request).toMatchObject({ requesterUserId: betaRequester.id, requesterTeamId: 'T0BETA', accountId: betaRow!.id });
    // Filed into the provider's support channel, with the workspace check.
    const posted = h.provider
      .messages(SUPPORT_CHANNEL)
      .filter((m) => !m.threadTs)
      .at(-1) as FakeMessage;
    expect(text(posted)).toContain(request!.reference);
    expect(text(posted)).toContain('The requester is in the account’s Slack workspace.');
    expect(teamsOfCalls('chat.postMessage', SUPPORT_CHANNEL)).toEqual(['T0VOUCH']);
    // The receipt went to the requester in Beta.
    expect(teamsOfCalls('chat.postMessage', betaRequester.id)).toEqual(['T0BETA']);
    // The letter, read again from Beta with Beta's token, is uploaded into the request's thread in the provider's workspace.
    expect(h.slack.calls('file_download').map((c) => [c.team, c.status])).toEqual([
      ['T0BETA', 200],
      ['T0BETA', 200],
    ]);
    const letterReply = h.provider.messages(SUPPORT_CHANNEL).find((m) => m.threadTs === posted.ts && (m.files ?? []).length > 0);
    expect(h.provider.file(letterReply!.files![0]!)?.content).toEqual(Buffer.from(letterBytes));

    // Meanwhile in Acme: Approve, then the colleague accepts.
    await acme.click(primary.id, confirmation, 'Approve');
    const inviteeDm = h.acme.lastDm(colleague.id)!;
    expect(buttonsOf(inviteeDm)).toEqual(['Accept', 'Decline']);
    await acme.click(colleague.id, inviteeDm, 'Accept');
    const acmeAdmins = await h.database.db
      .select({ userId: adminMemberships.userId })
      .from(adminMemberships)
      .innerJoin(accounts, eq(accounts.id, adminMemberships.accountId))
      .where(and(eq(accounts.teamId, 'T0ACME')));
    expect(acmeAdmins.map((a) => a.userId).sort()).toEqual([colleague.id, primary.id].sort());

    // Support approves in the provider's workspace; the requester (the new admin) and the officer are told in Beta.
    await provider.click(supportA.id, posted, 'Approve');
    await h.vouch.idle();
    const [decided] = await h.database.db.select().from(recoveryRequests);
    expect(decided).toMatchObject({ status: 'approved', decidedBy: supportA.id, addedUserId: betaRequester.id });
    expect(text(h.beta.lastDm(betaOfficer.id)!)).toContain(request!.reference);
    expect(teamsOfCalls('chat.postMessage', betaOfficer.id)).toEqual(['T0BETA']);
    // No DM of Acme's went out with another workspace's token, and no DM of Beta's with Acme's.
    expect(new Set(teamsOfCalls('chat.postMessage', colleague.id))).toEqual(new Set(['T0ACME']));
    expect(new Set(teamsOfCalls('chat.postMessage', betaRequester.id))).toEqual(new Set(['T0BETA']));
    expect(h.acme.dm(primary.id).some((m) => text(m).includes('Beta Ltd'))).toBe(false);
    expect(h.beta.dm(bea.id).some((m) => text(m).includes('Acme Corp'))).toBe(false);
    // Nothing of the requests was posted in the customers' workspaces' support channel or in the provider's DMs.
    expect(h.acme.messages(SUPPORT_CHANNEL)).toEqual([]);
    // The audit trail says in which workspace each person acted.
    const approved = await h.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'delegation.approved'));
    expect(approved.map((e) => [e.actor, e.actorTeamId])).toEqual([[primary.id, 'T0ACME']]);
    // Beta's trail shows, in small print, that support acted from the provider's workspace; Beta's own people need no such note.
    await beta.commandShown(betaRequester.id, 'audit Beta Ltd');
    const trail = h.beta.lastEphemeral(betaRequester.id)!;
    const notes = JSON.stringify(trail.blocks);
    expect(notes).toContain('acted from the workspace Provider Inc (`T0VOUCH`)');
    expect(notes).not.toContain('T0BETA');
    // Support asks for the whole trail as a file: it reaches their DM in the provider's workspace.
    h.slack.clearCalls();
    await provider.commandShown(supportA.id, 'audit Beta Ltd csv');
    await h.vouch.idle();
    expect(h.slack.calls('conversations.open').map((c) => [c.team, c.args.users])).toEqual([['T0VOUCH', supportA.id]]);
    expect(h.slack.calls('files.completeUploadExternal').map((c) => c.team)).toEqual(['T0VOUCH']);
    expect(h.slack.calls().filter((c) => c.team === 'T0BETA')).toEqual([]);
  }, 60_000);
});

describe('a person of another workspace', () => {
  it('Beta’s user with the id of Acme’s primary contact clicks Acme’s Approve: refused, nothing changes', async () => {
    const { acme, beta } = await acmeAndBetaProvisioned();
    const setupDm = h.acme.lastDm(primary.id)!;
    await acme.click(primary.id, setupDm, 'Invite someone else');
    await acme.submitView(primary.id, h.acme.openView(primary.id)!.id, { invitee_user: { user: colleague.id } });
    const confirmation = h.acme.lastDm(primary.id)!;
    const [before] = await h.database.db.select().from(delegations);
    const outboxBefore = (await h.database.db.select().from(outbox)).length;

    // Bea clicks a copy of Acme's Approve button (its value, the delegation's id) from her own DM in Beta.
    const beaDm = h.beta.lastDm(bea.id)!;
    const res = await beta.click(bea.id, beaDm, 'Approve', { staleBlocks: confirmation.blocks });
    expect(res.status).toBe(200);
    await h.vouch.idle();
    const [after] = await h.database.db.select().from(delegations);
    expect(after).toEqual(before);
    expect(await h.database.db.select().from(outbox)).toHaveLength(outboxBefore);
    expect(h.acme.lastDm(colleague.id)).toBeUndefined();
    expect(text(h.beta.lastEphemeral(bea.id) ?? h.beta.lastDm(bea.id)!)).toMatch(/not yours|was not sent to you|someone else/i);
    // Her own setup invitation's buttons work for her, and Acme's do not: the same holds for commands.
    await beta.commandShown(bea.id, 'admins Acme Corp');
    expect(text(h.beta.lastEphemeral(bea.id)!)).toContain('There is no Enterprise Account named “Acme Corp” that you can see.');
    await beta.commandShown(bea.id, 'admins Beta Ltd');
    expect(text(h.beta.lastEphemeral(bea.id)!)).toContain('Beta Ltd');
    // Acme's primary contact still can.
    await acme.click(primary.id, confirmation, 'Approve');
    expect(buttonsOf(h.acme.lastDm(colleague.id)!)).toEqual(['Accept', 'Decline']);
  }, 60_000);
});

/**
 * Everything installed, Acme's account provisioned and its primary contact's invite submitted
 * while Slack answers Acme with a 500: the confirmation DM waits in the outbox.
 */
async function acmeConfirmationWaiting() {
  await installAll();
  const acme = h.driver(h.acme);
  expect((await provision(acmeAccount)).status).toBe(201);
  const setupDm = h.acme.lastDm(primary.id)!;
  await acme.click(primary.id, setupDm, 'Invite someone else');
  // Slack answers Acme with 500s, so the confirmation DM waits in the outbox.
  h.slack.failNext('chat.postMessage', { status: 500 }, 1, { team: 'T0ACME' });
  await acme.submitView(primary.id, h.acme.openView(primary.id)!.id, { invitee_user: { user: colleague.id } });
  const waiting = await h.database.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), eq(outbox.teamId, 'T0ACME')));
  return { acme, setupDm, waiting };
}

describe('uninstalling a customer’s workspace', () => {
  it('no call with its token afterwards, its due messages dead with workspace_uninstalled, provisioning 422; a reinstall resumes', async () => {
    const { acme, setupDm, waiting } = await acmeConfirmationWaiting();
    expect(waiting.length).toBeGreaterThan(0);

    expect((await h.slack.uninstall('T0ACME')).status).toBe(200);
    // Slack hears back before the listener is done: wait for it.
    await h.vouch.idle();
    h.slack.clearCalls();
    const dead = await h.database.db.select().from(outbox).where(eq(outbox.status, 'dead'));
    expect(dead.map((r) => r.key).sort()).toEqual(
      waiting
        .filter((r) => (r.payload as { type: string }).type !== 'redraw')
        .map((r) => r.key)
        .sort(),
    );
    expect(dead.every((r) => r.lastError === 'workspace_uninstalled' && r.teamId === 'T0ACME')).toBe(true);

    // Nothing more is sent there: the outbox, a click, the timers.
    h.clock.advance(60_000);
    await h.vouch.outbox.settle();
    await h.vouch.jobs.runAll();
    await acme.click(primary.id, setupDm, 'Set up the account');
    await h.vouch.idle();
    expect(h.slack.calls().filter((c) => c.team === 'T0ACME')).toEqual([]);
    expect((await provision({ ...acmeAccount, name: 'Acme Two' })).status).toBe(422);

    // Installed again: provisioning works, and the dead messages can be queued again (npm run outbox:retry).
    await installThroughBrowser(h, { teamId: h.acme.teamId, userId: primary.id });
    expect((await provision({ ...acmeAccount, name: 'Acme Two' })).status).toBe(201);
    expect(h.acme.dm(primary.id).filter((m) => text(m).includes('Acme Two'))).toHaveLength(1);
    const confirmationsBefore = h.acme.dm(primary.id).filter((m) => text(m).includes('Confirm that')).length;
    expect(await retryDead(h.database.db, h.clock.now())).toBe(dead.length);
    await h.vouch.outbox.settle();
    expect(h.acme.dm(primary.id).filter((m) => text(m).includes('Confirm that'))).toHaveLength(confirmationsBefore + 1);
    expect(h.slack.calls('chat.postMessage').filter((c) => c.team !== 'T0ACME' && c.team !== 'T0VOUCH')).toEqual([]);
  }, 60_000);
});

/** A person of `workspace` asks for admin access to `accountName` with `/enterprise recover`. */
async function fileRecovery(workspace: FakeWorkspace, requester: { id: string; email: string }, accountName: string): Promise<void> {
  const driver = h.driver(workspace);
  await driver.commandShown(requester.id, 'recover');
  await driver.clickEphemeral(requester.id, workspace.lastEphemeral(requester.id)!, 'Request admin access');
  const letter = workspace.addFile({ name: 'letter.pdf', mimetype: 'application/pdf', content: letterBytes, user: requester.id });
  const filed = await driver.submitView(requester.id, workspace.openView(requester.id)!.id, {
    account_name: accountName,
    email_to_add: requester.email,
    reason: 'Our only admin left.',
    contract_number: 'X-1',
    officer_name: 'Cleo Chief',
    officer_title: 'Chief Executive Officer',
    officer_email: 'cleo@example.com',
    letter: { files: [{ id: letter.id, name: letter.name }] },
  } as never);
  expect(filed.status).toBe(200);
  await h.vouch.idle();
}

describe('a recovery request from a workspace that uninstalls Vouch', () => {
  it('support sees “workspace disconnected” on its open request until the workspace installs Vouch again', async () => {
    await installAll();
    h.beta.addUser(betaRequester);
    await fileRecovery(h.beta, betaRequester, 'Beta Ltd');
    const posted = () =>
      h.provider
        .messages(SUPPORT_CHANNEL)
        .filter((m) => !m.threadTs)
        .at(-1) as FakeMessage;
    expect(text(posted())).not.toContain('Workspace disconnected');

    expect((await h.slack.uninstall('T0BETA')).status).toBe(200);
    await h.vouch.idle();
    expect(text(posted())).toContain('Workspace disconnected');
    // Support still decides: the buttons are there, and the edit went out with the provider's token.
    expect(buttonsOf(posted())).toEqual(['Approve', 'Ask for more information', 'Reject']);
    expect(h.slack.calls('chat.update').at(-1)?.team).toBe('T0VOUCH');

    await installThroughBrowser(h, { teamId: h.beta.teamId, userId: bea.id });
    await h.vouch.outbox.settle();
    expect(text(posted())).not.toContain('Workspace disconnected');
  }, 60_000);
});

describe('revoking a customer workspace’s bot tokens (tokens_revoked)', () => {
  it('ends the install like an uninstall: no call with its token, its due messages dead, provisioning 422; a reinstall resumes', async () => {
    const { acme, setupDm, waiting } = await acmeConfirmationWaiting();
    expect(waiting.filter((r) => (r.payload as { type: string }).type !== 'redraw').length).toBeGreaterThan(0);

    expect((await h.slack.revokeTokens('T0ACME')).status).toBe(200);
    await h.vouch.idle();
    h.slack.clearCalls();
    const installs = await h.database.db.select().from(slackInstallations).where(eq(slackInstallations.installKey, 'team:T0ACME'));
    expect(installs).toEqual([expect.objectContaining({ revokedReason: 'tokens_revoked', botToken: null, botRefreshToken: null })]);
    expect(installs[0]!.revokedAt).not.toBeNull();
    const dead = await h.database.db.select().from(outbox).where(eq(outbox.status, 'dead'));
    expect(dead.map((r) => r.key).sort()).toEqual(
      waiting
        .filter((r) => (r.payload as { type: string }).type !== 'redraw')
        .map((r) => r.key)
        .sort(),
    );
    expect(dead.every((r) => r.lastError === 'workspace_uninstalled' && r.teamId === 'T0ACME')).toBe(true);
    // The other workspaces' installs are untouched.
    const live = await h.database.db.select().from(slackInstallations).where(isNull(slackInstallations.revokedAt));
    expect(live.map((r) => r.installKey).sort()).toEqual(['team:T0BETA', 'team:T0VOUCH']);

    // Nothing more is sent there: the outbox, a click, a command, the timers.
    h.clock.advance(60_000);
    await h.vouch.outbox.settle();
    await h.vouch.jobs.runAll();
    await acme.click(primary.id, setupDm, 'Set up the account');
    await acme.command(primary.id, 'admins Acme Corp');
    await h.vouch.idle();
    expect(h.slack.calls().filter((c) => c.team === 'T0ACME')).toEqual([]);
    const refused = await provision({ ...acmeAccount, name: 'Acme Two' });
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ error: 'workspace_not_installed' });

    // Installed again: provisioning works, and the dead messages can be queued again (npm run outbox:retry).
    await installThroughBrowser(h, { teamId: h.acme.teamId, userId: primary.id });
    expect((await provision({ ...acmeAccount, name: 'Acme Two' })).status).toBe(201);
    expect(h.acme.dm(primary.id).filter((m) => text(m).includes('Acme Two'))).toHaveLength(1);
    const confirmationsBefore = h.acme.dm(primary.id).filter((m) => text(m).includes('Confirm that')).length;
    expect(await retryDead(h.database.db, h.clock.now())).toBe(dead.length);
    await h.vouch.outbox.settle();
    expect(h.acme.dm(primary.id).filter((m) => text(m).includes('Confirm that'))).toHaveLength(confirmationsBefore + 1);
  }, 60_000);

  it('a tokens_revoked naming no bot token (only a person’s) leaves the install and its messages alone', async () => {
    await installAll();
    expect((await provision(acmeAccount)).status).toBe(201);
    const installation = h.slack.installation('T0ACME')!;
    // The event as Slack sends it when a person's user token is revoked: signed, to the Request URL.
    const app = {
      clientId: APP.clientId,
      clientSecret: APP.clientSecret,
      signingSecret: SIGNING_SECRET,
      redirectUrls: [],
      eventsUrl: `${h.baseUrl}/slack/events`,
    };
    const userTokenOnly = { type: 'tokens_revoked', tokens: { oauth: [primary.id], bot: [] } };
    expect((await sendAppEvent(app, installation, h.acme, userTokenOnly)).status).toBe(200);
    await h.vouch.idle();
    const [row] = await h.database.db.select().from(slackInstallations).where(eq(slackInstallations.installKey, 'team:T0ACME'));
    expect(row).toMatchObject({ revokedAt: null, revokedReason: null });
    expect((await provision({ ...acmeAccount, name: 'Acme Two' })).status).toBe(201);
  }, 60_000);
});

describe('a person deactivated in one workspace', () => {
  it('is deactivated there only: the same user id in another workspace stays an active admin', async () => {
    const { acme, beta } = await acmeAndBetaProvisioned();
    await acme.appHomeOpened(primary.id);
    await beta.appHomeOpened(bea.id);

    // Beta's admin deactivates Bea (Acme's primary contact has her user id).
    expect((await beta.setDeactivated(bea.id)).status).toBe(200);
    await h.vouch.idle();
    await beta.commandShown(bea.id, 'admins Beta Ltd');
    expect(text(h.beta.lastEphemeral(bea.id)!)).toContain('*Admins of Beta Ltd* (1 admin, deactivated in Slack)');
    await acme.commandShown(primary.id, 'admins Acme Corp');
    const acmeAdmins = text(h.acme.lastEphemeral(primary.id)!);
    expect(acmeAdmins).toContain('*Admins of Acme Corp* (1 admin)');
    expect(acmeAdmins).not.toContain('deactivated');
    // The Home tabs count the same way; the trail of Beta's account says so, Acme's does not.
    expect(text(h.acme.homeView(primary.id)?.view as never)).toContain('*Acme Corp* (not yet set up), contract C-1001: 1 admin');
    expect(text(h.acme.homeView(primary.id)?.view as never)).not.toContain('deactivated');
    const trail = await h.database.db
      .select({ account: accounts.name, subject: auditEvents.subjectId })
      .from(auditEvents)
      .innerJoin(accounts, eq(accounts.id, auditEvents.accountId))
      .where(eq(auditEvents.action, 'admin.deactivated_in_slack'));
    expect(trail).toEqual([{ account: 'Beta Ltd', subject: bea.id }]);
    expect(await h.database.db.select({ key: slackPeople.workspaceKey, userId: slackPeople.userId }).from(slackPeople)).toEqual([
      { key: 'T0BETA', userId: bea.id },
    ]);
    // The Home refresh went to Beta's Bea, with Beta's token; Acme's person with her id got none.
    expect(teamsOfCalls('views.publish', bea.id)).not.toContain('T0ACME');

    // Acme deactivates its own primary contact too, then Beta reactivates Bea: each workspace as its Slack says.
    await acme.setDeactivated(primary.id);
    await beta.setDeactivated(bea.id, false);
    await h.vouch.idle();
    await acme.commandShown(primary.id, 'admins Acme Corp');
    expect(text(h.acme.lastEphemeral(primary.id)!)).toContain('*Admins of Acme Corp* (1 admin, deactivated in Slack)');
    await beta.commandShown(bea.id, 'admins Beta Ltd');
    expect(text(h.beta.lastEphemeral(bea.id)!)).toContain('*Admins of Beta Ltd* (1 admin)');
  }, 60_000);

  it('what one workspace kept (its rows, keyed by no workspace) applies everywhere until Slack speaks of the person in a workspace', async () => {
    const { beta } = await acmeAndBetaProvisioned();
    // A row from before Vouch was distributed.
    await h.database.db.insert(slackPeople).values({ userId: bea.id, deactivated: true, changedAt: h.clock.now() });
    await beta.commandShown(bea.id, 'admins Beta Ltd');
    expect(text(h.beta.lastEphemeral(bea.id)!)).toContain('(1 admin, deactivated in Slack)');
    // Slack says Bea of Beta is active: her row replaces the old one, and Acme's person with her id is no longer counted deactivated.
    h.beta.setDeactivated(bea.id, true);
    await beta.setDeactivated(bea.id, false);
    await h.vouch.idle();
    expect(await h.database.db.select({ key: slackPeople.workspaceKey, deactivated: slackPeople.deactivated }).from(slackPeople)).toEqual([
      { key: 'T0BETA', deactivated: false },
    ]);
    await beta.commandShown(bea.id, 'admins Beta Ltd');
    expect(text(h.beta.lastEphemeral(bea.id)!)).toContain('*Admins of Beta Ltd* (1 admin)');
    await h.driver(h.acme).commandShown(primary.id, 'admins Acme Corp');
    expect(text(h.acme.lastEphemeral(primary.id)!)).toContain('*Admins of Acme Corp* (1 admin)');
  }, 60_000);
});

describe('Slack rate-limits the provider’s workspace', () => {
  it('a 429 on a support-channel post pauses the provider’s workspace, not the customer’s that filed the request', async () => {
    await installAll();
    h.beta.addUser(betaRequester);
    await h.driver(h.provider).appHomeOpened(supportA.id);
    await h.vouch.idle();
    // Slack answers the support channel's next post with 429, Retry-After 30 seconds.
    h.slack.failNext('chat.postMessage', { status: 429, retryAfter: 30 }, 1, { team: 'T0VOUCH', channel: SUPPORT_CHANNEL });
    await fileRecovery(h.beta, betaRequester, 'Beta Ltd');
    expect(h.provider.messages(SUPPORT_CHANNEL)).toEqual([]);
    const waiting = await h.database.db.select().from(outbox).where(eq(outbox.channel, SUPPORT_CHANNEL));
    expect(waiting.find((r) => r.key.startsWith('post:recovery:'))).toMatchObject({
      status: 'pending',
      teamId: 'T0BETA',
      lastError: 'rate limited for 30s',
    });

    // Beta is not paused: what is queued for it now goes out at once.
    h.slack.clearCalls();
    expect((await provision(betaAccount)).status).toBe(201);
    expect(buttonsOf(h.beta.lastDm(bea.id)!)).toEqual(['Set up the account', 'Invite someone else']);
    // The provider's workspace is: a request filed from Acme waits for its support post and
    // support's Home tabs, while its requester's receipt in Acme goes out.
    await fileRecovery(h.acme, { id: people.other.id, email: people.other.email }, 'Acme Corp');
    expect(h.acme.dm(people.other.id).length).toBeGreaterThan(0);
    expect(h.slack.calls().filter((c) => c.team === 'T0VOUCH')).toEqual([]);
    expect(h.slack.calls().filter((c) => c.team === 'T0BETA').length).toBeGreaterThan(0);

    // Retry-After has passed: both posts go out, in the order the requests were filed.
    h.clock.advance(30_000);
    await h.vouch.outbox.settle();
    const posts = h.provider.messages(SUPPORT_CHANNEL).filter((m) => !m.threadTs);
    expect(posts.map((m) => (text(m).includes('Beta Ltd') ? 'Beta' : text(m).includes('Acme Corp') ? 'Acme' : '?'))).toEqual([
      'Beta',
      'Acme',
    ]);
    expect(teamsOfCalls('chat.postMessage', SUPPORT_CHANNEL).every((t) => t === 'T0VOUCH')).toBe(true);
    expect(h.slack.calls('views.publish').filter((c) => c.team === 'T0VOUCH').length).toBeGreaterThan(0);
    // Each letter was read in its requester's workspace, with its token, and uploaded into its thread in the provider's.
    expect(
      h.slack
        .calls('file_download')
        .slice(-2)
        .map((c) => [c.team, c.status]),
    ).toEqual([
      ['T0BETA', 200],
      ['T0ACME', 200],
    ]);
    expect(h.slack.calls('files.completeUploadExternal').map((c) => c.team)).toEqual(['T0VOUCH', 'T0VOUCH']);
  }, 60_000);
});

describe('a workspace served only by its organization’s org-wide install', () => {
  it('is provisioned and delivered to with the org-wide install’s token, in that workspace', async () => {
    await installThroughBrowser(h, { teamId: h.provider.teamId, userId: supportA.id });
    const north = h.slack.addTeam({ teamId: 'T0NORTH', teamName: 'North', enterpriseId: 'E0GRID', enterpriseName: 'Grid Corp' });
    const south = h.slack.addTeam({ teamId: 'T0SOUTH', teamName: 'South', enterpriseId: 'E0GRID', enterpriseName: 'Grid Corp' });
    north.addUser({ id: 'W0ADMIN', name: 'ada', realName: 'Ada Admin' });
    const sam = { id: 'W0SAM', name: 'sam', realName: 'Sam South', email: 'sam@south.example' };
    const sue = { id: 'W0SUE', name: 'sue', realName: 'Sue South', email: 'sue@south.example' };
    for (const person of [sam, sue]) south.addUser(person);
    expect((await installThroughBrowser(h, { enterpriseId: 'E0GRID', userId: 'W0ADMIN' })).status).toBe(200);

    // South has no install of its own: provisioning finds the organization's.
    const southAccount = { name: 'South Co', contractNumber: 'S-1', primaryContactUserId: sam.id, slackTeamId: 'T0SOUTH' };
    expect((await provision(southAccount)).status).toBe(201);
    const [account] = await h.database.db.select().from(accounts);
    expect(account).toMatchObject({ teamId: 'T0SOUTH', enterpriseId: 'E0GRID' });
    // The setup DM went out in South, with the org-wide install's token.
    expect(buttonsOf(south.lastDm(sam.id)!)).toEqual(['Set up the account', 'Invite someone else']);
    expect(north.dm(sam.id)).toEqual([]);
    // (South has no token of its own; an org-wide token names the workspace it acts in.)
    expect(
      h.slack
        .calls('chat.postMessage')
        .filter((c) => c.args.channel === sam.id)
        .map((c) => [c.team, c.args.team_id]),
    ).toEqual([['T0SOUTH', 'T0SOUTH']]);
    // A workspace of no organization Vouch serves is still refused.
    h.slack.addTeam({ teamId: 'T0ELSE' });
    expect((await provision({ ...southAccount, name: 'Else', slackTeamId: 'T0ELSE' })).status).toBe(422);

    // Workflow 1 in South: its people act through the org-wide install, and the outbox delivers there.
    const driver = h.driver(south);
    await driver.click(sam.id, south.lastDm(sam.id)!, 'Invite someone else');
    await driver.submitView(sam.id, south.openView(sam.id)!.id, { invitee_user: { user: sue.id } });
    await driver.click(sam.id, south.lastDm(sam.id)!, 'Approve');
    expect(buttonsOf(south.lastDm(sue.id)!)).toEqual(['Accept', 'Decline']);
    await driver.click(sue.id, south.lastDm(sue.id)!, 'Accept');
    const admins = await h.database.db.select({ userId: adminMemberships.userId }).from(adminMemberships);
    expect(admins.map((a) => a.userId).sort()).toEqual([sam.id, sue.id]);
    const rows = await h.database.db.select().from(outbox);
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    expect(rows.every((r) => r.teamId === 'T0SOUTH')).toBe(true);
    expect(new Set(h.slack.calls('chat.postMessage').map((c) => c.team))).toEqual(new Set(['T0SOUTH']));

    // The organization uninstalls Vouch: South's due messages go dead, provisioning there is refused.
    expect((await h.slack.uninstall('E0GRID')).status).toBe(200);
    await h.vouch.idle();
    expect((await provision({ ...southAccount, name: 'South Two' })).status).toBe(422);
  }, 60_000);
});
