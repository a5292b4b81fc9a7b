// Actions that grant or remove admin rights ask first, with Slack's own confirmation dialog:
// recovery Approve, and remove-admin (whose answer is a button). Read as the person reads it.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { adminMemberships, recoveryRequests } from '../../src/db/schema.js';
import { buttonsOf, text } from '../support/blocks.js';
import { commandShown, people, provision, removeAdmin, startHarness, type Harness } from '../support/harness.js';
import { channelMessage, orphanedAccount, requestAccess } from '../support/recovery.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const { primary, colleague, other, supportA, supportB } = people;

const activeAdmins = async (accountId: string) =>
  (await h.database.db.select().from(adminMemberships).where(eq(adminMemberships.accountId, accountId)))
    .filter((m) => m.removedAt === null)
    .map((m) => m.userId)
    .sort();

describe('recovery Approve asks before it grants admin rights', () => {
  it('the dialog says who becomes an admin of what; denying it changes nothing, confirming approves', async () => {
    h = await startHarness();
    const accountId = await orphanedAccount(h);
    await requestAccess(h);
    const posted = channelMessage(h);

    const denied = await h.driver.click(supportA.id, posted, 'Approve', { dialog: 'deny' });
    expect(denied.status).toBe(0); // Slack sent nothing
    expect(h.driver.lastDialog(supportA.id)).toEqual({
      user: supportA.id,
      title: expect.stringMatching(/^Approve REC-[A-Z0-9]{6}\?$/),
      text: `Once you approve, the person with the e-mail ${other.email} becomes an admin of “Acme Corp” (manage permissions), and the requester, the new admin and the officer are told.`,
      confirm: 'Approve',
      deny: 'Not yet',
    });
    expect((await h.database.db.select().from(recoveryRequests))[0]?.status).toBe('open');
    expect(await activeAdmins(accountId)).toEqual([]);

    await h.driver.click(supportA.id, posted, 'Approve', { dialog: 'confirm' });
    expect((await h.database.db.select().from(recoveryRequests))[0]?.status).toBe('approved');
    expect(await activeAdmins(accountId)).toEqual([other.id]);
  });

  it('with a quorum, the dialog says which approval this would be', async () => {
    h = await startHarness({ recoveryApprovals: 2 });
    await orphanedAccount(h);
    await requestAccess(h);
    const posted = channelMessage(h);
    await h.driver.click(supportA.id, posted, 'Approve', { dialog: 'confirm' });
    expect(h.driver.lastDialog(supportA.id)?.text).toBe(
      `Yours would be approval 1 of 2. When all 2 are in, the person with the e-mail ${other.email} becomes an admin of “Acme Corp” (manage permissions).`,
    );
    await h.driver.click(supportB.id, h.slack.message(posted.channel, posted.ts)!, 'Approve', { dialog: 'confirm' });
    expect(h.driver.lastDialog(supportB.id)?.text).toContain('Once you approve');
  });
});

describe('remove-admin asks before it removes anyone', () => {
  it('removing someone else: the answer asks, with a Remove button whose dialog asks again; only then are they removed', async () => {
    h = await startHarness();
    const accountId = (await provision(h)).json.id as string;
    await h.driver.command(primary.id, `add-admin Acme Corp <@${colleague.id}>`);

    const { ephemeral: asked } = await commandShown(h, primary.id, `remove-admin Acme Corp <@${colleague.id}>`);
    expect(text(asked)).toBe(
      `Remove <@${colleague.id}> as an admin of *Acme Corp*? They lose manage permissions on it, their setup invitation and confirmations for it stop working, and they are told by DM.\nRemove as admin`,
    );
    expect(await activeAdmins(accountId)).toEqual([colleague.id, primary.id].sort()); // nothing yet

    await h.driver.clickEphemeral(primary.id, asked, 'Remove as admin', { dialog: 'deny' });
    expect(h.driver.lastDialog(primary.id)).toMatchObject({ title: 'Remove this admin?', confirm: 'Remove', deny: 'Cancel' });
    expect(await activeAdmins(accountId)).toEqual([colleague.id, primary.id].sort());

    await h.driver.clickEphemeral(primary.id, asked, 'Remove as admin', { dialog: 'confirm' });
    expect(await activeAdmins(accountId)).toEqual([primary.id]);
    // The answer replaces the question: no button is left to click twice.
    const answer = h.slack.ephemerals(primary.id).find((e) => e.ts === asked.ts)!;
    expect(text(answer)).toBe(
      `<@${colleague.id}> is no longer an admin of *Acme Corp*. Their setup invitations and confirmations for it no longer work.`,
    );
    expect(buttonsOf(answer)).toEqual([]);
    expect(text(h.slack.lastDm(colleague.id))).toContain(`<@${primary.id}> removed you as an admin of *Acme Corp*`);
  });

  it('removing yourself: it says “you”, the dialog asks “Remove yourself?”, and the answer talks to you', async () => {
    h = await startHarness();
    const accountId = (await provision(h)).json.id as string;
    await h.driver.command(primary.id, `add-admin Acme Corp <@${colleague.id}>`);
    const { asked, dialog, answer } = await removeAdmin(h, primary.id, `Acme Corp <@${primary.id}>`);
    expect(text(asked)).toContain('You are about to remove *yourself* as an admin of *Acme Corp*');
    expect(buttonsOf(asked)).toEqual(['Remove me']);
    expect(dialog).toMatchObject({
      title: 'Remove yourself?',
      text: 'You will no longer be an admin of “Acme Corp”. Only another admin can add you back.',
      confirm: 'Remove me',
      deny: 'Keep me',
    });
    expect(text(answer)).toBe('You are no longer an admin of *Acme Corp*. Your setup invitations and confirmations for it no longer work.');
    expect(await activeAdmins(accountId)).toEqual([colleague.id]);
    // Nobody is told by DM that they removed themselves.
    expect(text(h.slack.lastDm(primary.id))).not.toContain('removed you');
  });

  it('the last admin is told at once, as “you”, and gets no button; a button confirmed too late changes nothing', async () => {
    h = await startHarness();
    const accountId = (await provision(h)).json.id as string;
    const { ephemeral: last } = await commandShown(h, primary.id, `remove-admin Acme Corp <@${primary.id}>`);
    expect(text(last)).toContain('You are the last admin of *Acme Corp*, so you cannot remove yourself.');
    expect(buttonsOf(last)).toEqual([]);

    // Two admins each ask to remove the other; the second confirmation would remove the last one.
    await h.driver.command(primary.id, `add-admin Acme Corp <@${colleague.id}>`);
    const { ephemeral: first } = await commandShown(h, primary.id, `remove-admin Acme Corp <@${colleague.id}>`);
    const { ephemeral: second } = await commandShown(h, colleague.id, `remove-admin Acme Corp <@${primary.id}>`);
    await h.driver.clickEphemeral(primary.id, first, 'Remove as admin', { dialog: 'confirm' });
    await h.driver.clickEphemeral(colleague.id, second, 'Remove as admin', { dialog: 'confirm' });
    const refused = h.slack.ephemerals(colleague.id).find((e) => e.ts === second.ts)!;
    expect(text(refused)).toBe('Only admins of “Acme Corp” can change its admins.');
    expect(await activeAdmins(accountId)).toEqual([primary.id]);
  });

  it('add-admin naming yourself, already an admin, is answered as “you”', async () => {
    h = await startHarness();
    await provision(h);
    const { ephemeral } = await commandShown(h, primary.id, `add-admin Acme Corp <@${primary.id}>`);
    expect(text(ephemeral)).toBe('You are already an admin of *Acme Corp*.');
  });

  it('someone who is not an admin never sees a Remove button', async () => {
    h = await startHarness();
    await provision(h);
    const { ephemeral } = await commandShown(h, other.id, `remove-admin Acme Corp <@${primary.id}>`);
    expect(text(ephemeral)).toBe('Only admins of “Acme Corp” can change its admins.');
    expect(buttonsOf(ephemeral)).toEqual([]);
  });
});
