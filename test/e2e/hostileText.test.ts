import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { adminMemberships } from '../../src/db/schema.js';
import type { FakeMessage } from '../../src/sandbox/slack/index.js';
import { mrkdwn as renderMrkdwn } from '../../src/sandbox/page/render.js';
import { DAY, HOUR } from '../support/clock.js';
import { commandShown, invite, removeAdmin, people, provision, startHarness, SUPPORT_CHANNEL, type Harness } from '../support/harness.js';

/**
 * Text typed by people (account names, reasons, officers, a letter's file name, a rejection
 * reason) made of what Slack would bring to life: channel pings, links, mentions of ids no one
 * has, and formatting. The harness checks, once each test is over, that nothing Vouch sent has a
 * live sequence it did not write itself; these tests also read what each person sees.
 */

let h: Harness;
afterEach(async () => {
  await h.close();
});

const { primary, colleague, other, supportA } = people;

/** Pings, a link and a mention, within the 80 characters of an account name. */
const PINGS = 'Acme <!here> <!channel> <https://evil.example|x> <@U0MALLORY> <#C0EVIL>';
/** Slack's formatting characters, and a quote at the start of a line. */
const FORMATTED = '*Bold* ~strike~ _it_ `code` & co';
const hostileReason = `> quoted <!everyone>\n*urgent* <mailto:x@evil.example|mail> _now_ ~x~ \`y\`\n<!subteam^S0EVIL|@team>`;
const hostileOfficer = { name: '*Dana* <!channel>', title: '<https://evil.example|CEO> _x_' };

/**
 * The visible text of a mrkdwn string as the sandbox page draws it: formatting applied to what
 * someone typed would take its marks away (`*Bold*` shows as a bold `Bold`).
 */
function shown(mrkdwnText: string): string {
  return renderMrkdwn(mrkdwnText, { userName: () => undefined, channelName: () => undefined, link: (u) => u, people: [] })
    .replace(/<br>/g, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Every mrkdwn text of a message (its notification text and its blocks), as shown. */
function shownTexts(m: { text?: string; blocks?: unknown[] } | undefined): string[] {
  const texts: string[] = m?.text ? [m.text] : [];
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') texts.push(o.text);
      else Object.values(o).forEach(collect);
    }
  };
  collect(m?.blocks);
  return texts.map(shown);
}

/** `typed` is shown exactly as typed, marks and all, somewhere in `m`. */
function expectShownAsTyped(m: { text?: string; blocks?: unknown[] } | undefined, typed: string) {
  const all = shownTexts(m);
  expect(
    all.some((s) => s.includes(typed)),
    `${JSON.stringify(typed)} not shown as typed in:\n${all.join('\n---\n')}`,
  ).toBe(true);
}

const dm = (userId: string) => h.slack.lastDm(userId) as FakeMessage;

describe('hostile account names in Workflow 1', () => {
  it.each([
    ['pings and links', PINGS],
    ['formatting', FORMATTED],
  ])('an account named with %s: every DM, reply, modal, notice and the Home tab shows it as typed', async (_, name) => {
    h = await startHarness();
    const res = await provision(h, { name, contractNumber: 'C-<!here>*1*', primaryContactEmail: primary.email });
    expect(res.status).toBe(201);
    const setupDm = dm(primary.id);
    expectShownAsTyped(setupDm, name);

    const { confirmation } = await invite(h, setupDm);
    expectShownAsTyped(confirmation, name);
    await h.driver.click(primary.id, confirmation, 'Approve');
    expectShownAsTyped(dm(colleague.id), name);
    await h.driver.click(colleague.id, dm(colleague.id), 'Accept');
    expectShownAsTyped(h.slack.dm(primary.id).at(-1), name);

    // The colleague now holds the setup: the setup modal shows the name, and its answer too.
    const handedDm = h.slack.dm(colleague.id).find((m) => m.text?.startsWith('Action required'))!;
    await h.driver.click(colleague.id, handedDm, 'Set up the account');
    const modal = h.slack.openView(colleague.id)!;
    expectShownAsTyped(modal.view as never, name);
    await h.driver.submitView(colleague.id, modal.id, { account_name: `${name} Ltd` });
    expectShownAsTyped(h.slack.openView(colleague.id)!.view as never, `${name} Ltd`);

    const renamed = `${name} Ltd`;
    const { ephemeral: admins } = await commandShown(h, colleague.id, `admins ${renamed}`);
    expectShownAsTyped(admins, renamed);
    const { ephemeral: added } = await commandShown(h, colleague.id, `add-admin ${renamed} <@${other.id}>`);
    expectShownAsTyped(added, renamed);
    expectShownAsTyped(dm(other.id), renamed);
    const { asked, answer: removed } = await removeAdmin(h, colleague.id, `${renamed} <@${other.id}>`);
    expectShownAsTyped(asked, renamed);
    expectShownAsTyped(removed, renamed);
    expectShownAsTyped(dm(other.id), renamed);
    const { ephemeral: audit } = await commandShown(h, colleague.id, `audit ${renamed}`);
    expectShownAsTyped(audit, renamed);
    await h.driver.appHomeOpened(colleague.id);
    expectShownAsTyped(h.slack.homeView(colleague.id)!.view as never, renamed);
  });

  it('reminders, expiry and a fresh invitation show a hostile name as typed', async () => {
    h = await startHarness();
    await provision(h, { name: PINGS, contractNumber: 'C-1', primaryContactEmail: primary.email });
    const { confirmation } = await invite(h, dm(primary.id));
    h.clock.advance(23 * HOUR);
    await h.vouch.jobs.runReminders();
    await h.vouch.idle();
    expectShownAsTyped(dm(primary.id), PINGS);
    h.clock.advance(HOUR);
    await h.vouch.jobs.runSweep();
    await h.vouch.idle();
    expectShownAsTyped(h.slack.message(confirmation.channel, confirmation.ts), PINGS);
    h.clock.advance(30 * DAY);
    await h.vouch.jobs.runReminders();
    await h.vouch.jobs.runSweep();
    await h.vouch.idle();
    const { ephemeral } = await commandShown(h, primary.id, 'setup');
    expectShownAsTyped(ephemeral, PINGS);
    await h.driver.appHomeOpened(primary.id);
    expectShownAsTyped(h.slack.homeView(primary.id)!.view as never, PINGS);
  });

  it('support creates an account with a hostile name from the modal', async () => {
    h = await startHarness();
    await h.driver.command(supportA.id, 'create', { channelId: SUPPORT_CHANNEL });
    const modal = h.slack.openView(supportA.id)!;
    await h.driver.submitView(supportA.id, modal.id, {
      account_name: FORMATTED,
      contract_number: '<!here>',
      primary_contact_user: { user: primary.id },
    });
    expectShownAsTyped(h.slack.openView(supportA.id)!.view as never, FORMATTED);
    expectShownAsTyped(dm(primary.id), FORMATTED);
  });

  it('commands echo hostile words and names as typed', async () => {
    h = await startHarness();
    const { ephemeral: help } = await commandShown(h, primary.id, '<!here>*x*');
    expectShownAsTyped(help, '<!here>*x*');
    const { ephemeral: unknown } = await commandShown(h, primary.id, `admins ${PINGS}`);
    expectShownAsTyped(unknown, PINGS);
    const { ephemeral: notAdmin } = await commandShown(h, primary.id, `add-admin ${FORMATTED} <@${other.id}>`);
    expectShownAsTyped(notAdmin, FORMATTED);
  });
});

describe('hostile text in Workflow 2', () => {
  const letter = Buffer.from('%PDF-1.4 letter');

  async function hostileRequest(requester: string, fileName: string) {
    const res = await provision(h, { name: PINGS, contractNumber: 'C-1', primaryContactEmail: primary.email });
    await h.database.db
      .update(adminMemberships)
      .set({ removedAt: h.clock.now(), removedBy: 'test' })
      .where(eq(adminMemberships.accountId, res.json.id as string));
    const { ephemeral } = await commandShown(h, requester, 'recover');
    await h.driver.clickEphemeral(requester, ephemeral, 'Request admin access');
    const file = h.slack.addFile({ name: fileName, mimetype: 'application/pdf', content: letter, user: requester });
    await h.driver.submitView(requester, h.slack.openView(requester)!.id, {
      account_name: PINGS,
      email_to_add: other.email,
      reason: hostileReason,
      contract_number: 'C-1',
      officer_name: hostileOfficer.name,
      officer_title: hostileOfficer.title,
      officer_email: 'dana@acme.example',
      letter: { files: [{ id: file.id, name: file.name }] },
    } as never);
    return h.slack.messages(SUPPORT_CHANNEL).find((m) => !m.threadTs)!;
  }

  it('the request in the support channel, its approval and every DM show what was typed as typed', async () => {
    h = await startHarness();
    h.slack.addUser({ id: 'U0DANA', name: 'dana', realName: 'Dana', email: 'dana@acme.example' });
    const posted = await hostileRequest(other.id, '<!here>*letter*.pdf');
    expectShownAsTyped(posted, PINGS);
    expectShownAsTyped(posted, hostileOfficer.name);
    expectShownAsTyped(posted, hostileOfficer.title);
    // A link's label cannot hold a date, so its formatting characters show as their look-alikes.
    expectShownAsTyped(posted, '<!here>∗letter∗.pdf');
    for (const line of hostileReason.split('\n')) expectShownAsTyped(posted, line);
    await h.driver.appHomeOpened(supportA.id);
    expectShownAsTyped(h.slack.homeView(supportA.id)!.view as never, PINGS);

    await h.driver.click(supportA.id, posted, 'Approve');
    expectShownAsTyped(h.slack.message(posted.channel, posted.ts), PINGS);
    expectShownAsTyped(dm(other.id), PINGS);
    expectShownAsTyped(dm('U0DANA'), PINGS);
  });

  it('a rejection’s reason reaches the requester as typed', async () => {
    h = await startHarness();
    const posted = await hostileRequest(colleague.id, 'letter.pdf');
    await h.driver.click(supportA.id, posted, 'Reject');
    const reason = '<!channel> ~no~ *never* <https://evil.example|appeal here>';
    await h.driver.submitView(supportA.id, h.slack.openView(supportA.id)!.id, { rejection_reason: reason });
    expectShownAsTyped(h.slack.message(posted.channel, posted.ts), reason);
    expectShownAsTyped(dm(colleague.id), reason);
    expectShownAsTyped(dm(colleague.id), PINGS);
  });
});
