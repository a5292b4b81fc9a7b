import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isNull } from 'drizzle-orm';
import { accounts, adminMemberships, auditEvents } from '../../src/db/schema.js';
import { blocksText } from '../../src/sandbox/slack/index.js';
import { commandShown, people, removeAdmin, provision, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const replyText = (res: { json?: unknown }) => {
  const json = res.json as { text: string; blocks?: unknown[]; response_type: string };
  expect(json.response_type).toBe('ephemeral');
  return json.blocks ? blocksText(json.blocks as never) : json.text;
};

describe('/enterprise help', () => {
  it.each(['help', '', 'HELP'])('"/enterprise %s" lists the sub-commands', async (sub) => {
    const text = replyText(await h.driver.command(people.primary.id, sub));
    expect(text).toContain('/enterprise setup');
    expect(text).toContain('/enterprise create');
  });

  it('an unknown sub-command gets the help, not silence', async () => {
    const text = replyText(await h.driver.command(people.primary.id, 'frobnicate now'));
    expect(text).toContain('I don’t know `frobnicate`');
    expect(text).toContain('/enterprise setup');
  });

  it('a very long unknown sub-command is quoted by its first 40 characters, and the whole list still fits', async () => {
    // 40 characters of which some are escaped and some are emoji (two UTF-16 units each), then
    // thousands more that must not be shown.
    const first40 = `${'<b>'.repeat(6)}\`${'🙂'.repeat(10)}${'&'.repeat(11)}`;
    expect(Array.from(first40)).toHaveLength(40);
    const typed = `${first40}${'Z'.repeat(5000)}`;
    await h.driver.commandShown(people.primary.id, `${typed} more words`);
    const shown = h.slack.ephemerals(people.primary.id).at(-1)!;
    const json = shown as { text: string; blocks: Array<Record<string, unknown>> };
    const quoted = `\`${'&lt;b&gt;'.repeat(6)}ˋ${'🙂'.repeat(10)}${'&amp;'.repeat(11)}…\``;
    expect(json.text).toContain(`I don’t know ${quoted}. Here is what I can do:`);
    expect(json.text).not.toContain('Z');
    // Every text Slack shows stays within its 3,000 characters, so none is cut.
    const texts: string[] = [json.text];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object')
        for (const [key, value] of Object.entries(node)) key === 'text' && typeof value === 'string' ? texts.push(value) : collect(value);
    };
    collect(json.blocks);
    expect(texts.length).toBeGreaterThan(3);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(3000);
    const visible = blocksText(json.blocks as never);
    for (const sub of [
      'setup',
      'recover',
      'admins NAME',
      'add-admin NAME @person',
      'remove-admin NAME @person',
      'audit NAME',
      'create',
      'help',
    ])
      expect(visible).toContain(`\`/enterprise ${sub}\``);
    expect(visible).not.toMatch(/…\s*$/);
  });
});

describe('/enterprise create (support only)', () => {
  it('a support member provisions an account from a modal; the primary contact gets the setup DM', async () => {
    const open = await h.driver.command(people.supportA.id, 'create', { channelId: 'C0SUPPORT' });
    expect(open.status).toBe(200);
    const modal = h.slack.openView(people.supportA.id)!;
    expect(modal.view).toMatchObject({ callback_id: 'create_account' });
    const res = await h.driver.submitView(people.supportA.id, modal.id, {
      account_name: 'Initech',
      contract_number: 'I-42',
      primary_contact_user: null,
      primary_contact_email: people.primary.email,
    });
    expect(res.status).toBe(200);
    expect(blocksText(h.slack.openView(people.supportA.id)!.view.blocks as never)).toContain('*Initech* is provisioned');
    const [account] = await h.database.db.select().from(accounts);
    expect(account).toMatchObject({
      name: 'Initech',
      contractNumber: 'I-42',
      primaryContactUserId: people.primary.id,
      createdBy: people.supportA.id,
    });
    expect(blocksText(h.slack.lastDm(people.primary.id)!.blocks!)).toContain('set up “Initech” Enterprise Account');
  });

  it('invalid fields are inline errors', async () => {
    await h.driver.command(people.supportA.id, 'create');
    const modal = h.slack.openView(people.supportA.id)!;
    const res = await h.driver.submitView(people.supportA.id, modal.id, {
      account_name: '',
      contract_number: '',
      primary_contact_email: 'ghost@nowhere.example',
    });
    expect(res.json).toMatchObject({
      response_action: 'errors',
      errors: {
        account_name: expect.stringContaining('Enter a name'),
        contract_number: expect.stringContaining('Enter a contract number'),
        primary_contact_email: expect.stringContaining('No one in this workspace'),
      },
    });
    expect(await h.database.db.select().from(accounts)).toHaveLength(0);
  });

  it('anyone outside the support channel is refused and no modal opens', async () => {
    const text = replyText(await h.driver.command(people.primary.id, 'create'));
    expect(text).toContain('Only members of <#C0SUPPORT>');
    expect(h.slack.openView(people.primary.id)).toBeUndefined();
  });

  it('someone who left the support channel while the modal was open is refused at submit', async () => {
    await h.driver.command(people.supportB.id, 'create');
    const modal = h.slack.openView(people.supportB.id)!;
    h.slack.setChannelMembers('C0SUPPORT', [people.supportA.id]);
    h.vouch.context.support.forget();
    await h.driver.submitView(people.supportB.id, modal.id, {
      account_name: 'Initech',
      contract_number: 'I-42',
      primary_contact_user: { user: people.primary.id },
    });
    expect(blocksText(h.slack.openView(people.supportB.id)!.view.blocks as never)).toContain('Only members of the support channel');
    expect(await h.database.db.select().from(accounts)).toHaveLength(0);
  });
});

describe('/enterprise add-admin checks the person as the invite form does', () => {
  const admins = async () =>
    (await h.database.db.select().from(adminMemberships).where(isNull(adminMemberships.removedAt))).map((m) => m.userId).sort();

  it('refuses a deactivated person, an app’s bot user and an id Slack does not know, in the invite form’s words', async () => {
    h.slack.addUser({ id: 'U0GONE', name: 'gone', realName: 'Gone Person', email: 'gone@acme.example', deleted: true });
    expect((await provision(h)).status).toBe(201);
    const events = (await h.database.db.select().from(auditEvents)).length;
    const cases: Array<[string, string]> = [
      ['<@U0GONE|gone>', 'This person’s Slack account is deactivated.'],
      ['gone@acme.example', 'This person’s Slack account is deactivated.'],
      [`<@${people.helperBot.id}>`, 'Choose a person, not an app.'],
      [people.helperBot.email, 'Choose a person, not an app.'],
      ['<@U0MADEUP>', 'No one in this workspace has that Slack user id.'],
      ['ghost@nowhere.example', 'No one in this workspace has that e-mail address. Ask them to join Slack first, or choose someone else.'],
    ];
    for (const [person, words] of cases) {
      expect(replyText(await h.driver.command(people.primary.id, `add-admin Acme Corp ${person}`))).toBe(words);
    }
    expect(await admins()).toEqual([people.primary.id]);
    expect(await h.database.db.select().from(auditEvents)).toHaveLength(events);
    expect(h.slack.dm('U0GONE')).toHaveLength(0);
  });

  it('when Slack does not answer, nothing is granted and the admin is told to try again', async () => {
    expect((await provision(h)).status).toBe(201);
    h.slack.failNext('users.info', { status: 500 }, 5);
    const text = replyText(await h.driver.command(people.primary.id, `add-admin Acme Corp <@${people.colleague.id}>`));
    expect(text).toBe('Slack did not answer; try again.');
    expect(await admins()).toEqual([people.primary.id]);
  });

  it('an active person is added, by mention or e-mail', async () => {
    expect((await provision(h)).status).toBe(201);
    expect(replyText(await h.driver.command(people.primary.id, `add-admin Acme Corp <@${people.colleague.id}|cole>`))).toContain(
      'is now an admin of *Acme Corp*',
    );
    expect(replyText(await h.driver.command(people.primary.id, `add-admin Acme Corp ${people.other.email}`))).toContain(
      'is now an admin of *Acme Corp*',
    );
    expect(await admins()).toEqual([people.colleague.id, people.other.id, people.primary.id].sort());
  });
});

describe('add-admin and remove-admin with a name typed after @ (not picked from the list)', () => {
  const PICK = 'pick the person from the list that appears when you type @';
  const admins = async () =>
    (await h.database.db.select({ userId: adminMemberships.userId, removedAt: adminMemberships.removedAt }).from(adminMemberships))
      .filter((m) => m.removedAt === null)
      .map((m) => m.userId)
      .sort();

  it('a display name or a name, in any case, names the one person it fits; remove-admin takes it too', async () => {
    // More people than one page of the directory, so the name is found on a later page.
    for (let i = 0; i < 230; i++) h.slack.addUser({ id: `U0FILL${String(i).padStart(3, '0')}`, name: `filler${i}` });
    h.slack.addUser({ id: 'U0DANA', name: 'dana.k', displayName: 'Dana Kim', email: 'dana@acme.example' });
    await provision(h);

    const byName = await commandShown(h, people.primary.id, 'add-admin Acme Corp @COLE');
    expect(byName.ephemeral.text).toBe(`:white_check_mark: <@${people.colleague.id}> is now an admin of *Acme Corp*.`);
    const byDisplayName = await commandShown(h, people.primary.id, 'add-admin Acme Corp @dana kim');
    expect(byDisplayName.ephemeral.text).toBe(':white_check_mark: <@U0DANA> is now an admin of *Acme Corp*.');
    expect(await admins()).toEqual(['U0COLLEAGUE', 'U0DANA', 'U0PRIMARY']);
    const pages = h.slack.calls('users.list');
    expect(pages.length).toBeGreaterThanOrEqual(4); // two look-ups, each over two pages or more
    expect(pages.every((c) => Number(c.args.limit) <= 200)).toBe(true);

    const removed = await removeAdmin(h, people.primary.id, 'Acme Corp @dana.k');
    expect(removed.answer.text).toContain('<@U0DANA> is no longer an admin of *Acme Corp*');
    expect(await admins()).toEqual(['U0COLLEAGUE', 'U0PRIMARY']);
  });

  it('a name that fits no one, only a bot or a deactivated person, or more than one person: nothing changes, and how to pick', async () => {
    h.slack.addUser({ id: 'U0COLE2', name: 'cole.b', displayName: 'cole' }); // a second “cole”
    h.slack.addUser({ id: 'U0GONE', name: 'gone', deleted: true });
    await provision(h);
    const cases: Array<[string, string]> = [
      ['@nobody', `No one in this workspace is called “@nobody”: ${PICK}.`],
      ['@gone', `No one in this workspace is called “@gone”: ${PICK}.`],
      ['@helperbot', `No one in this workspace is called “@helperbot”: ${PICK}.`],
      ['@cole', `More than one person is called “@cole”: ${PICK}.`],
    ];
    for (const [typed, said] of cases) {
      const { ephemeral } = await commandShown(h, people.primary.id, `add-admin Acme Corp ${typed}`);
      expect(ephemeral.text).toBe(said);
      expect(ephemeral.text).toContain(PICK);
    }
    const remove = await commandShown(h, people.primary.id, 'remove-admin Acme Corp @cole');
    expect(remove.ephemeral.text).toBe(`More than one person is called “@cole”: ${PICK}.`);
    expect(await admins()).toEqual(['U0PRIMARY']);
  });

  it('Slack not answering the directory: “Slack did not answer; try again”, and nothing changes', async () => {
    await provision(h);
    h.slack.failNext('users.list', { status: 500 }, 10);
    const failed = await commandShown(h, people.primary.id, 'add-admin Acme Corp @cole');
    expect(failed.ephemeral.text).toBe('Slack did not answer; try again.');
    h.slack.failNext('users.lookupByEmail', { status: 500 }, 10);
    const byEmail = await commandShown(h, people.primary.id, `add-admin Acme Corp ${people.colleague.email}`);
    expect(byEmail.ephemeral.text).toBe('Slack did not answer; try again.');
    expect(await admins()).toEqual(['U0PRIMARY']);
  });

  it('remove-admin with an e-mail address nobody has says so; a command with no person at all shows the usage with how to pick', async () => {
    await provision(h);
    const unknown = await commandShown(h, people.primary.id, 'remove-admin Acme Corp ghost@nowhere.example');
    expect(unknown.ephemeral.text).toBe('No one in this workspace has the e-mail address ghost@nowhere.example.');
    const usage = await commandShown(h, people.primary.id, 'add-admin Acme Corp');
    expect(usage.ephemeral.text).toBe(`Type \`/enterprise add-admin NAME @person\`: ${PICK}, or type their e-mail address.`);
    // Only an admin of the account learns anything about its people.
    const stranger = await commandShown(h, people.other.id, 'add-admin Acme Corp @cole');
    expect(stranger.ephemeral.text).toBe('Only admins of “Acme Corp” can change its admins.');
    expect(h.slack.calls('users.list')).toEqual([]);
  });
});
