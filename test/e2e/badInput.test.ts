import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { accounts, recoveryRequests } from '../../src/db/schema.js';
import { blocksText } from '../../src/sandbox/slack/index.js';
import { capturingLogger } from '../support/logs.js';
import { commandShown, people, provision, PROVISIONING_TOKEN, startHarness, SUPPORT_CHANNEL, type Harness } from '../support/harness.js';

// Text with a NUL or another control character (tab and newline aside) is bad input wherever it
// comes in: a 400 naming the field from the provisioning API, an inline error in a modal, an
// ephemeral answer to a command. Nothing reaches the database, and nothing answers 500.

let h: Harness;
let logs: ReturnType<typeof capturingLogger>;
afterEach(async () => {
  await h.close();
});
async function start() {
  logs = capturingLogger('info');
  h = await startHarness({ logger: logs.logger });
}

const countAccounts = async () => (await h.database.db.select().from(accounts)).length;
const valid = { name: 'Acme Corp', contractNumber: 'C-1001', primaryContactEmail: people.primary.email };

describe('the provisioning API refuses control characters, naming the field', () => {
  it.each([
    ['name', { ...valid, name: 'Acme\u0000Corp' }, 'U+0000'],
    ['name', { ...valid, name: 'Acme\u001bCorp' }, 'U+001B'],
    ['contractNumber', { ...valid, contractNumber: 'C-1001\u0000' }, 'U+0000'],
    ['contractNumber', { ...valid, contractNumber: 'C-\u00851001' }, 'U+0085'],
    ['primaryContactEmail', { ...valid, primaryContactEmail: 'pat\u0000@acme.example' }, null],
  ])('%s: 400', async (field, body, codePoint) => {
    await start();
    const res = await provision(h, body);
    expect(res.status).toBe(400);
    const message = (res.json as { fields: Record<string, string> }).fields[field];
    expect(message).toBeDefined();
    if (codePoint) expect(message).toBe(`must not contain control characters (found ${codePoint})`);
    expect(await countAccounts()).toBe(0);
    expect(logs.text()).not.toContain('HTTP route failed');
  });

  it('tab and newline are not control characters here: the name is trimmed and stored', async () => {
    await start();
    const res = await provision(h, { ...valid, name: '\tAcme Corp\n' });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ name: 'Acme Corp' });
  });
});

describe('a body over the limit always gets 413', () => {
  it.each([
    ['1 MB', 1024 * 1024],
    ['5 MB', 5 * 1024 * 1024],
    ['just over 16 KB', 16 * 1024 + 1],
  ])('%s, five times in a row, never a reset connection', async (_label, bytes) => {
    await start();
    const body = JSON.stringify({ ...valid, name: 'x'.repeat(bytes) });
    for (let attempt = 0; attempt < 5; attempt++) {
      const res = await fetch(`${h.baseUrl}/api/accounts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${PROVISIONING_TOKEN}`, 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({ error: 'too_large', message: 'The body is larger than 16384 bytes.' });
    }
    expect(await countAccounts()).toBe(0);
  });

  it('a wrong token with a large body: 401, not a reset connection', async () => {
    await start();
    const res = await fetch(`${h.baseUrl}/api/accounts`, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' },
      body: 'x'.repeat(5 * 1024 * 1024),
    });
    expect(res.status).toBe(401);
  });
});

describe('a database error never logs the values of its SQL parameters', () => {
  it('the provisioning API: a 500, and the log has the query but not the name or contract number', async () => {
    await start();
    await h.database.db.execute(sql.raw('alter table accounts rename to accounts_away'));
    try {
      const res = await provision(h, { ...valid, name: 'Secret Name 4711', contractNumber: 'SECRET-C-0815' });
      expect(res.status).toBe(500);
    } finally {
      await h.database.db.execute(sql.raw('alter table accounts_away rename to accounts'));
    }
    const failure = logs.lines().find((l) => l.msg === 'HTTP route failed');
    expect(failure).toBeDefined();
    expect(JSON.stringify(failure)).toContain('Failed query');
    expect(logs.text()).not.toContain('Secret Name 4711');
    expect(logs.text()).not.toContain('SECRET-C-0815');
    expect(logs.text()).not.toContain('secret name 4711');
  });

  it('a Slack listener: the error is logged without the values typed into the modal', async () => {
    await start();
    await h.driver.command(people.supportA.id, 'create');
    const modal = h.slack.openView(people.supportA.id)!;
    await h.database.db.execute(sql.raw('alter table accounts rename to accounts_away'));
    try {
      const res = await h.driver.submitView(people.supportA.id, modal.id, {
        account_name: 'Secret Name 4711',
        contract_number: 'SECRET-C-0815',
        primary_contact_user: { user: people.primary.id },
      });
      expect(res.status).toBe(500);
    } finally {
      await h.database.db.execute(sql.raw('alter table accounts_away rename to accounts'));
    }
    expect(logs.lines().some((l) => l.msg === 'Slack listener failed')).toBe(true);
    expect(logs.text()).not.toMatch(/secret name 4711/i);
    expect(logs.text()).not.toContain('SECRET-C-0815');
  });
});

describe('modals refuse control characters inline, on the field', () => {
  it('the create-account modal', async () => {
    await start();
    await h.driver.command(people.supportA.id, 'create');
    const modal = h.slack.openView(people.supportA.id)!;
    const res = await h.driver.submitView(people.supportA.id, modal.id, {
      account_name: 'Ini\u0000tech',
      contract_number: 'I-42\u0007',
      primary_contact_user: { user: people.primary.id },
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      response_action: 'errors',
      errors: {
        account_name: 'Remove the control character (U+0000) from this field; nothing was saved.',
        contract_number: 'Remove the control character (U+0007) from this field; nothing was saved.',
      },
    });
    expect(await countAccounts()).toBe(0);
  });

  it('the recovery request: the requester fixes it in the form rather than hearing later that nothing was filed', async () => {
    await start();
    const { ephemeral } = await commandShown(h, people.other.id, 'recover');
    await h.driver.clickEphemeral(people.other.id, ephemeral, 'Request admin access');
    const file = h.slack.addFile({ name: 'letter.pdf', mimetype: 'application/pdf', content: Buffer.from('%PDF'), user: people.other.id });
    const res = await h.driver.submitView(people.other.id, h.slack.openView(people.other.id)!.id, {
      account_name: 'Acme Corp',
      email_to_add: people.other.email,
      reason: 'Our only admin left.\nTheir mailbox was deleted.\tReally.\u0000',
      contract_number: 'C-1001',
      officer_name: 'Casey Chief',
      officer_title: 'Chief Executive Officer',
      officer_email: 'casey@acme.example',
      letter: { files: [{ id: file.id, name: file.name }] },
    } as never);
    expect(res.json).toEqual({
      response_action: 'errors',
      errors: { reason: 'Remove the control character (U+0000) from this field; nothing was saved.' },
    });
    expect(await h.database.db.select().from(recoveryRequests)).toHaveLength(0);
    expect(h.slack.messages(SUPPORT_CHANNEL)).toHaveLength(0);
  });
});

describe('commands refuse control characters with an ephemeral answer', () => {
  it.each(['admins Acme\u0000Corp', 'audit Acme\u0000Corp', `add-admin Acme\u0000Corp <@${people.colleague.id}>`])(
    '/enterprise %j',
    async (text) => {
      await start();
      expect((await provision(h)).status).toBe(201);
      const res = await h.driver.command(people.primary.id, text);
      expect(res.status).toBe(200);
      const json = res.json as { response_type: string; text: string; blocks?: unknown[] };
      expect(json.response_type).toBe('ephemeral');
      expect(json.blocks ? blocksText(json.blocks as never) : json.text).toBe(
        'The text after `/enterprise` contains a control character (U+0000), which Vouch does not accept; nothing was changed.',
      );
      expect(logs.lines().filter((l) => (l.level as number) >= 50)).toEqual([]);
    },
  );
});
