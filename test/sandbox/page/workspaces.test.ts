// The sandbox's three workspaces, end to end through the page API: Vouch distributed, installed
// into the provider's workspace and two customers' through its real OAuth routes when the sandbox
// starts; each person sees only their own workspace; a recovery filed from a customer's workspace
// reaches support in the provider's.

import { asc, eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, oauthStates, slackInstallations } from '../../../src/db/schema.js';
import {
  SandboxInstallError,
  sandboxPeople,
  sandboxWorkspaces,
  startSandbox,
  supportChannel,
  type Sandbox,
} from '../../../src/sandbox/page/index.js';
import { installThroughOAuth } from '../../../src/sandbox/page/install.js';
import type { Json } from '../../../src/sandbox/slack/index.js';
import { PageClient, type Person } from './pageClient.js';

const { primary, colleague, supportA, globexPrimary, globexColleague, globexRequester } = sandboxPeople;
const { provider, acme, globex } = sandboxWorkspaces;

let sandbox: Sandbox;
let page: PageClient;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  page = new PageClient(sandbox.url);
});
afterAll(async () => {
  await sandbox.stop();
});

const db = () => sandbox.vouch.context.db;

/** Every text a person sees in their workspace: DMs, channels (threads too), the Home tab, a modal. */
async function everythingSeenBy(person: Person): Promise<string> {
  const state = await page.state(person);
  const items = state.conversations.flatMap((c) => c.items.flatMap((i) => [i, ...i.replies]));
  return [...items.map((i) => i.html), state.home?.html ?? '', state.modal?.html ?? ''].join('\n');
}

describe('when the sandbox starts', () => {
  it('Vouch is installed into the three workspaces through its OAuth routes, the provider’s first', async () => {
    // The code exchanges Slack saw, in order: the provider's workspace, then each customer's.
    const exchanges = sandbox.slack.calls('oauth.v2.access');
    expect(exchanges.map((c) => ((c.response as Json).team as Json).id)).toEqual([provider.teamId, acme.teamId, globex.teamId]);
    expect(exchanges.every((c) => typeof c.args.code === 'string' && (c.response as Json).ok === true)).toBe(true);
    // What Vouch stored, through its redirect route: one live install per workspace, by the person who allowed it.
    const rows = await db().select().from(slackInstallations).orderBy(asc(slackInstallations.installedAt));
    expect(rows.map((r) => [r.teamId, r.teamName, r.installerUserId, r.revokedAt])).toEqual([
      [provider.teamId, 'Provider Inc', provider.installer, null],
      [acme.teamId, 'Acme Corp', acme.installer, null],
      [globex.teamId, 'Globex', globex.installer, null],
    ]);
    // Each token sealed, never in clear; each install's state used once and gone.
    for (const row of rows) {
      const token = sandbox.slack.installation(row.teamId!)!.botToken;
      expect(token).toMatch(/^xoxb-/);
      expect(JSON.stringify(row)).not.toContain(token);
    }
    expect(await db().select().from(oauthStates)).toEqual([]);
    for (const w of [provider, acme, globex]) expect(sandbox.slack.installation(w.teamId)).toMatchObject({ installs: 1, revoked: false });
  });

  it('the switcher lists the workspaces, the provider’s first, and the people of each', async () => {
    const state = await page.state(globexPrimary);
    expect(state.workspace).toEqual({ id: globex.teamId, name: 'Globex', kind: 'customer' });
    expect(state.workspaces.map((w) => [w.name, w.kind, w.people.map((p) => p.realName)])).toEqual([
      ['Provider Inc', 'provider', ['Sam Support', 'Sky Support']],
      ['Acme Corp', 'customer', ['Pat Primary', 'Cole League', 'Riley Requester', 'Olivia Officer']],
      ['Globex', 'customer', ['Greta Grant', 'Hugo Hale', 'Ivy Ingram']],
    ]);
    expect(state.people.map((p) => p.id)).toEqual([globexPrimary.id, globexColleague.id, globexRequester.id]);
    const html = await (await fetch(sandbox.url)).text();
    expect(html).toContain('<label for="workspace">Workspace</label>');
    expect(html).toContain('<label for="person">You are</label>');
  });
});

describe('a person sees only their own workspace', () => {
  it('Acme’s primary contact and Globex’s each get their own setup DM, Home tab and people; neither sees the other’s account', async () => {
    for (const [name, contract, person] of [
      ['Acme Corp', 'C-1001', primary],
      ['Globex', 'C-2002', globexPrimary],
    ] as const) {
      const created = await page.provision({
        name,
        contractNumber: contract,
        primaryContactEmail: person.email,
        slackTeamId: person.teamId,
      });
      expect(created).toMatchObject({ status: 201, body: { name, primaryContactUserId: person.id } });
    }
    expect((await db().select().from(accounts)).map((a) => [a.name, a.teamId]).sort()).toEqual([
      ['Acme Corp', acme.teamId],
      ['Globex', globex.teamId],
    ]);
    // The setup DMs went out in each workspace with that workspace's token.
    const dmCalls = (userId: string) =>
      sandbox.slack
        .calls('chat.postMessage')
        .filter((c) => c.args.channel === userId)
        .map((c) => c.team);
    expect(dmCalls(primary.id)).toEqual([acme.teamId]);
    expect(dmCalls(globexPrimary.id)).toEqual([globex.teamId]);

    for (const person of [primary, globexPrimary]) await page.post('/api/home-opened', { user: person.id, team: person.teamId });
    const pat = await everythingSeenBy(primary);
    const greta = await everythingSeenBy(globexPrimary);
    expect(pat).toContain('Action required: set up “Acme Corp” Enterprise Account');
    expect(greta).toContain('Action required: set up “Globex” Enterprise Account');
    expect((await page.state(primary)).home?.html).toContain('Acme Corp');
    expect((await page.state(globexPrimary)).home?.html).toContain('Globex');
    expect(pat).not.toContain('Globex');
    expect(greta).not.toContain('Acme Corp');
    // No channel of the provider's in a customer's workspace.
    expect((await page.state(primary)).conversations.map((c) => c.kind)).toEqual(['dm']);

    // A modal offers the people of the workspace it opened in.
    const setup = await page.dmItem(globexPrimary, 'Action required');
    await page.clickInDm(globexPrimary, setup, 'Invite someone else');
    const modal = (await page.state(globexPrimary)).modal!;
    expect(modal.html).toContain(`<option value="${globexColleague.id}">Hugo Hale</option>`);
    expect(modal.html).not.toContain(colleague.realName);
    await page.post('/api/close-view', { user: globexPrimary.id, team: globexPrimary.teamId, viewId: modal.id });

    // Commands answer from the person's own workspace only.
    await page.command(primary, '/enterprise admins Globex');
    expect((await page.dmItem(primary, 'Globex')).text).toContain('There is no Enterprise Account named “Globex” that you can see.');
    await page.command(globexPrimary, '/enterprise admins Globex');
    expect((await page.dmItem(globexPrimary, 'Admins of Globex')).html).toContain('@Greta Grant');
  });
});

describe('a recovery from a customer’s workspace', () => {
  it('is filed into the support channel of the provider’s workspace, where support sees and decides it', async () => {
    await page.command(globexRequester, '/enterprise recover');
    const advice = await page.dmItem(globexRequester, 'Request admin access');
    await page.click(globexRequester, {
      surface: 'ephemeral',
      channel: (await page.dm(globexRequester)).id,
      ts: advice.ts,
      label: 'Request admin access',
    });
    const letter = await page.upload(globexRequester, 'letter.pdf', 'application/pdf', '%PDF signed by Globex');
    await page.submit(globexRequester, (await page.state(globexRequester)).modal!.id, {
      account_name: 'Globex',
      email_to_add: globexRequester.email,
      reason: 'Our admin left.',
      contract_number: 'C-2002',
      officer_name: 'Otto Officer',
      officer_title: 'CEO',
      officer_email: 'otto@globex.example',
      letter: { files: [letter] },
    });
    const receipt = await page.dmItem(globexRequester, 'Your admin recovery request');
    const reference = /REC-[A-Z0-9]+/.exec(receipt.text)![0];

    const channel = (await page.channel(supportA))!;
    expect(channel.name).toBe(`#${supportChannel.name}`);
    const post = channel.items.findLast((i) => i.text.includes(reference))!;
    expect(post.text).toContain('Admin recovery request');
    expect(post.text).toContain('The requester is in the account’s Slack workspace.');
    expect(post.html).toContain('data-label="Approve"');
    // Posted with the provider's token; the receipt with Globex's.
    const posts = sandbox.slack.calls('chat.postMessage');
    expect(posts.filter((c) => c.args.channel === supportChannel.id).map((c) => c.team)).toEqual([provider.teamId]);
    expect(posts.filter((c) => c.args.channel === globexRequester.id).map((c) => c.team)).toEqual([globex.teamId]);
    // The letter's copy in the thread opens on the page, from the provider's workspace.
    const copy = post.replies.find((r) => r.html.includes('class="file"'))!;
    const href = /href="([^"]+)"/.exec(copy.html)![1]!;
    expect(href).toMatch(new RegExp(`^/files/${provider.teamId}/`));
    expect(await (await fetch(`${sandbox.url}${href}`)).text()).toBe('%PDF signed by Globex');

    // Nobody in a customer's workspace sees the request.
    expect(await everythingSeenBy(primary)).not.toContain(reference);
    expect(await everythingSeenBy(globexPrimary)).not.toContain(reference);

    // Support approves in the provider's workspace; the requester is told in Globex's (the receipt, then the outcome).
    await page.click(supportA, { surface: 'message', channel: supportChannel.id, ts: post.ts, label: 'Approve' });
    expect((await page.channel(supportA))!.items.find((i) => i.ts === post.ts)!.text).toContain('Approved');
    expect(
      sandbox.slack
        .calls('chat.postMessage')
        .filter((c) => c.args.channel === globexRequester.id)
        .map((c) => c.team),
    ).toEqual([globex.teamId, globex.teamId]);
  });
});

describe('an install that fails', () => {
  it('stops the sandbox from starting, saying which workspace and where, and leaves nothing listening', async () => {
    let standIn = '';
    const failing = startSandbox({
      port: 0,
      logger: pino({ level: 'silent' }),
      beforeInstalls: (slack) => {
        standIn = slack.baseUrl;
        // Slack refuses the first code exchange: the provider's.
        slack.failNext('oauth.v2.access', { error: 'invalid_code' });
      },
    });
    await expect(failing).rejects.toThrow(SandboxInstallError);
    await expect(failing).rejects.toThrow(
      'Installing Vouch into the sandbox workspace “Provider Inc” (T0PROVIDER) failed at Vouch’s redirect URL',
    );
    expect(standIn).not.toBe('');
    await expect(fetch(`${standIn}/api/api.test`)).rejects.toThrow();
  });

  it('says which workspace, at which step, and what Vouch answered', async () => {
    const botUrl = new URL(sandbox.provisioning.url).origin;
    sandbox.slack.failNext('oauth.v2.access', { error: 'invalid_code' });
    const failed = installThroughOAuth({ botUrl, slack: sandbox.slack, teamId: acme.teamId, teamName: acme.name, userId: acme.installer });
    await expect(failed).rejects.toThrow(SandboxInstallError);
    await expect(failed).rejects.toThrow(
      /“Acme Corp” \(T0ACME\) failed at Vouch’s redirect URL \(\/slack\/oauth_redirect\): HTTP [45]\d\d /,
    );
    // Someone who is not in the workspace cannot allow it there.
    await expect(
      installThroughOAuth({ botUrl, slack: sandbox.slack, teamId: acme.teamId, teamName: acme.name, userId: globexPrimary.id }),
    ).rejects.toThrow(`failed at the stand-in’s authorize page: it does not offer to install as ${globexPrimary.id} in T0ACME`);
    // The first install stands.
    expect(sandbox.slack.installation(acme.teamId)).toMatchObject({ installs: 1, revoked: false });
  });
});

describe('uninstalling Vouch from a workspace on the page, and installing it again', () => {
  it('Vouch hears app_uninstalled and the page says so; Install again goes through the OAuth routes and service resumes', async () => {
    const globexAccount = (name: string) => ({
      name,
      contractNumber: 'C-2003',
      primaryContactEmail: globexPrimary.email,
      slackTeamId: globex.teamId,
    });
    expect((await page.state(globexPrimary)).installed).toBe(true);
    expect(await page.post('/api/uninstall', { team: globex.teamId })).toEqual({ installed: false });
    const [ended] = await db().select().from(slackInstallations).where(eq(slackInstallations.teamId, globex.teamId));
    expect(ended).toMatchObject({ revokedReason: 'app_uninstalled', botToken: null });
    const state = await page.state(globexPrimary);
    expect(state.installed).toBe(false);
    expect(state.workspaces.map((w) => [w.name, w.installed])).toEqual([
      ['Provider Inc', true],
      ['Acme Corp', true],
      ['Globex', false],
    ]);
    expect((await page.provision(globexAccount('Globex Two'))).status).toBe(422);
    await expect(page.post('/api/uninstall', { team: globex.teamId })).rejects.toThrow('HTTP 409: Vouch is not installed in Globex.');

    const exchanges = sandbox.slack.calls('oauth.v2.access').length;
    expect(await page.post('/api/install', { team: globex.teamId })).toEqual({ installed: true });
    expect(sandbox.slack.calls('oauth.v2.access')).toHaveLength(exchanges + 1);
    expect(sandbox.slack.installation(globex.teamId)).toMatchObject({ installs: 2, revoked: false });
    const [again] = await db().select().from(slackInstallations).where(eq(slackInstallations.teamId, globex.teamId));
    expect(again).toMatchObject({ revokedReason: null, revokedAt: null });
    expect((await page.state(globexPrimary)).installed).toBe(true);
    expect((await page.provision(globexAccount('Globex Two'))).status).toBe(201);
    await expect(page.post('/api/install', { team: 'T0NOWHERE' })).rejects.toThrow('HTTP 404');
  });
});
