import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminMemberships } from '../../src/db/schema.js';
import { blocksText, type FakeEphemeral } from '../../src/sandbox/slack/index.js';
import { HOUR } from '../support/clock.js';
import { buttonsOf } from '../support/blocks.js';
import { commandShown, people, provision, startHarness, type Harness } from '../support/harness.js';

// Nothing is silently cut: a list longer than one message shows a page at a time with a button
// to the next, and the count it shows is the count of what those buttons reach.

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const { primary, supportA } = people;
const sectionTexts = (blocks: unknown[] | undefined) =>
  ((blocks ?? []) as Array<{ type: string; text?: { text: string } }>).filter((b) => b.type === 'section').map((b) => b.text!.text);

describe('/enterprise admins on an account with 41 admins', () => {
  async function fortyOneAdmins(): Promise<string[]> {
    const accountId = (await provision(h)).json.id as string;
    const extra = Array.from({ length: 40 }, (_, i) => `U0ADMIN${String(i + 1).padStart(3, '0')}`);
    for (const id of extra) h.slack.addUser({ id, name: id.toLowerCase() });
    await h.database.db.insert(adminMemberships).values(
      extra.map((userId, i) => ({
        accountId,
        userId,
        grantedBy: primary.id,
        grantedAt: new Date(h.clock.now().getTime() + (i + 1) * HOUR),
      })),
    );
    return [primary.id, ...extra];
  }

  const mentioned = (e: FakeEphemeral) =>
    [
      ...sectionTexts(e.blocks)
        .join('\n')
        .matchAll(/^• <@(U[A-Z0-9]+)>/gm),
    ].map((m) => m[1]!);

  it.each([
    ['an admin', primary.id],
    ['support', supportA.id],
  ] as const)('%s pages through all 41 with More admins: each admin once, in order, no section cut', async (_who, reader) => {
    const all = await fortyOneAdmins();
    const seen: string[] = [];
    let { ephemeral } = await commandShown(h, reader, 'admins Acme Corp');
    expect(sectionTexts(ephemeral.blocks)[0]).toBe('*Admins of Acme Corp* (41 admins)');
    for (let page = 1; ; page++) {
      for (const text of sectionTexts(ephemeral.blocks)) {
        expect(text.length).toBeLessThanOrEqual(3000);
        expect(text.endsWith('…')).toBe(false);
      }
      seen.push(...mentioned(ephemeral));
      expect(blocksText(ephemeral.blocks as never)).toContain(`Admins ${(page - 1) * 20 + 1}–${Math.min(page * 20, 41)} of 41.`);
      if (!buttonsOf(ephemeral).includes('More admins')) break;
      expect(page).toBeLessThan(3);
      await h.driver.clickEphemeral(reader, ephemeral, 'More admins');
      ephemeral = h.slack.lastEphemeral(reader)!;
    }
    expect(seen).toEqual(all);
  });

  it('More admins checks the reader again: someone removed as admin meanwhile reads no further', async () => {
    await fortyOneAdmins();
    const { ephemeral } = await commandShown(h, 'U0ADMIN040', 'admins Acme Corp');
    await h.database.db.update(adminMemberships).set({ removedAt: h.clock.now(), removedBy: primary.id });
    await h.driver.clickEphemeral('U0ADMIN040', ephemeral, 'More admins');
    expect(blocksText(h.slack.lastEphemeral('U0ADMIN040')!.blocks as never)).toContain('You can no longer read this account’s admins.');
  });
});

describe('the Home tab pages its lists', () => {
  it('13 accounts to set up: the first page, then Next and Previous reach every one, the count of all shown', async () => {
    for (let i = 1; i <= 13; i++) {
      const res = await provision(h, {
        name: `Account ${String(i).padStart(2, '0')}`,
        contractNumber: `C-${i}`,
        primaryContactEmail: primary.email,
      });
      expect(res.status).toBe(201);
    }
    await h.driver.appHomeOpened(primary.id);
    const home = () => sectionTexts(h.slack.homeView(primary.id)!.view.blocks as unknown[]);
    const named = (texts: string[], title: string) => {
      const start = texts.indexOf(`*${title}*`);
      return texts
        .slice(start + 1)
        .filter((t) => /^\*Account \d+\*/.test(t))
        .map((t) => /^\*Account (\d+)\*/.exec(t)![1]!);
    };
    const setupPage = () => [...new Set(named(home(), 'Accounts to set up'))];
    const seen = new Set<string>();
    for (const n of setupPage()) seen.add(n);
    expect(blocksText(h.slack.homeView(primary.id)!.view.blocks as never)).toMatch(/1–\d+ of 13\./);
    for (let page = 0; page < 5 && seen.size < 13; page++) {
      const next = /Next \d+/.exec(blocksText(h.slack.homeView(primary.id)!.view.blocks as never))?.[0];
      if (!next) break;
      await h.driver.clickHome(primary.id, next);
      for (const n of setupPage()) seen.add(n);
    }
    expect([...seen].sort()).toEqual(Array.from({ length: 13 }, (_, i) => String(i + 1).padStart(2, '0')));
    await h.driver.clickHome(primary.id, 'Previous');
    expect(setupPage()).not.toContain('13');
    expect((h.slack.homeView(primary.id)!.view.blocks as unknown[]).length).toBeLessThanOrEqual(100);
  });
});
