import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { adminMemberships } from '../../src/db/schema.js';
import type { FakeMessage } from '../../src/sandbox/slack/index.js';
import { text } from './blocks.js';
import { commandShown, people, provision, SUPPORT_CHANNEL, type Harness } from './harness.js';

/** What the admin-recovery tests share: an account with no admin, the form, the letter, the channel. */

export const letterBytes = Buffer.from('%PDF-1.4 letter signed in ink by the CEO');

/** An account whose only admin was removed, so recovery is the way back. */
export async function orphanedAccount(h: Harness): Promise<string> {
  const res = await provision(h, { name: 'Acme Corp', contractNumber: 'C-1001', primaryContactEmail: people.primary.email });
  const accountId = res.json.id as string;
  // Leave the account with no admin at all: what recovery is for.
  await h.database.db
    .update(adminMemberships)
    .set({ removedAt: h.clock.now(), removedBy: 'test' })
    .where(eq(adminMemberships.accountId, accountId));
  return accountId;
}

export const validForm = {
  account_name: 'Acme Corp',
  email_to_add: people.other.email,
  reason: 'Our only admin left the company and their mailbox was deleted.',
  contract_number: 'C-1001',
  officer_name: 'Casey Chief',
  officer_title: 'Chief Executive Officer',
  officer_email: 'casey@acme.example',
};

/** `/enterprise recover` → Request admin access → the modal, submitted by `requester` with the letter attached. */
export async function requestAccess(
  h: Harness,
  requester: string = people.other.id,
  values: Record<string, unknown> = validForm,
  letter: { name: string; content: Buffer } = { name: 'letter.pdf', content: letterBytes },
) {
  const { ephemeral } = await commandShown(h, requester, 'recover');
  expect(text(ephemeral)).toContain('work with your IT department to recover the e-mail account');
  const file = h.slack.addFile({ name: letter.name, mimetype: 'application/pdf', content: letter.content, user: requester });
  const opened = await h.driver.clickEphemeral(requester, ephemeral, 'Request admin access');
  expect(opened.status).toBe(200);
  const modal = h.slack.openView(requester)!;
  expect(modal.view).toMatchObject({ callback_id: 'recovery_request' });
  const res = await h.driver.submitView(requester, modal.id, { ...values, letter: { files: [{ id: file.id, name: file.name }] } } as never);
  return { res, modalId: modal.id, file };
}

/** The newest post in the support channel (not a thread reply). */
export const channelMessage = (h: Harness) =>
  h.slack
    .messages(SUPPORT_CHANNEL)
    .filter((m) => !m.threadTs)
    .at(-1) as FakeMessage;

/** Every reply in a post's thread, oldest first, the letter's upload included. */
export const threadReplies = (h: Harness, parent: FakeMessage) =>
  h.slack.messages(SUPPORT_CHANNEL).filter((m) => m.threadTs === parent.ts && m.ts !== parent.ts);

/** The thread's replies that tell support something, oldest first: the letter's upload aside. */
export const thread = (h: Harness, parent: FakeMessage) => threadReplies(h, parent).filter((m) => !m.files?.length);
