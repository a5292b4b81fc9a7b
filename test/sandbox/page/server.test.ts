import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxPeople, startSandbox, supportChannel, type Sandbox } from '../../../src/sandbox/page/index.js';
import type { PageState } from '../../../src/sandbox/page/pageState.js';
import { PageClient, PageError } from './pageClient.js';

const { primary, colleague, supportA, globexPrimary, globexColleague } = sandboxPeople;

let sandbox: Sandbox;
let page: PageClient;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  page = new PageClient(sandbox.url);
});
afterAll(async () => {
  await sandbox.stop();
});

describe('the sandbox page API', () => {
  it('serves the page, and names the person and what they see', async () => {
    const html = await (await fetch(sandbox.url)).text();
    expect(html).toContain('No real Slack is involved');
    const state = await page.state(supportA);
    expect(state.me.realName).toBe('Sam Support');
    expect(state.workspace).toEqual({ id: 'T0PROVIDER', name: 'Provider Inc', kind: 'provider' });
    expect(state.conversations.map((c) => c.name)).toEqual(['Vouch', `#${supportChannel.name}`]);
    expect((await page.state(primary)).conversations.map((c) => c.kind)).toEqual(['dm']);
    // A user id found in one workspace only may leave the workspace out (curl); the page always names it.
    expect(((await page.call('GET', `/api/state?user=${primary.id}`)) as PageState).workspace.name).toBe('Acme Corp');
  });

  it('shows a command’s answer as an ephemeral only its author sees', async () => {
    await page.command(colleague, '/enterprise help');
    const reply = await page.dmItem(colleague, '/enterprise setup');
    expect(reply.ephemeral).toBe(true);
    expect(reply.html).toContain('Only visible to you');
    expect(reply.html).toContain('<code>/enterprise setup</code>');
    expect((await page.dm(primary)).items).toEqual([]);
    await expect(page.command(colleague, '/weather')).rejects.toThrow('Vouch has no /weather command');
  });

  it('provisions, clicks and submits as Slack would; edits show in the state', async () => {
    const created = await page.provision({
      name: 'Acme Corp',
      contractNumber: 'C-1001',
      primaryContactEmail: primary.email,
      slackTeamId: primary.teamId,
    });
    expect(created).toMatchObject({ status: 201, body: { name: 'Acme Corp', primaryContactUserId: primary.id } });
    const setup = await page.dmItem(primary, 'Action required');
    expect(setup.html).toContain('data-label="Invite someone else"');

    await page.clickInDm(primary, setup, 'Invite someone else');
    const modal = (await page.state(primary)).modal!;
    expect(modal.title).toBe('Invite someone else');
    // The people of the primary contact's workspace, and no one else's.
    expect(modal.html).toContain('<option value="U0COLE">Cole League</option>');
    expect(modal.html).not.toContain(globexColleague.realName);

    await page.submit(primary, modal.id, { invitee_user: null, invitee_email: null });
    const withErrors = (await page.state(primary)).modal!;
    expect(withErrors.errors).toEqual({ invitee_user: 'Choose a person, or type their e-mail address below.' });
    expect(withErrors.html).toContain('aria-invalid="true"');

    await page.submit(primary, modal.id, { invitee_user: { user: colleague.id } });
    expect((await page.state(primary)).modal).toMatchObject({ title: 'Confirm in your DMs', errors: {} });
    const confirmation = await page.dmItem(primary, 'Confirm that');
    await page.clickInDm(primary, confirmation, 'Approve');

    const approved = (await page.dm(primary)).items.find((i) => i.ts === confirmation.ts)!;
    expect(approved.edited).toBe(true);
    expect(approved.text).toContain('You approved');
    expect(approved.html).not.toContain('data-label="Approve"');
    expect((await page.dmItem(colleague, 'invites you')).html).toContain('data-label="Accept"');
  });

  it('moving the clock runs the timers: a confirmation left for a day expires and offers Start again', async () => {
    const created = await page.provision({
      name: 'Globex',
      contractNumber: 'C-2002',
      primaryContactUserId: globexPrimary.id,
      slackTeamId: globexPrimary.teamId,
    });
    expect(created.status).toBe(201);
    const setup = await page.dmItem(globexPrimary, 'Globex');
    await page.clickInDm(globexPrimary, setup, 'Invite someone else');
    await page.submit(globexPrimary, (await page.state(globexPrimary)).modal!.id, { invitee_email: globexColleague.email });
    const confirmation = await page.dmItem(globexPrimary, 'Confirm that');

    const clock = await page.advanceClock('1d');
    expect(clock.aheadMs).toBe(24 * 3_600_000);
    const expired = (await page.dm(globexPrimary)).items.find((i) => i.ts === confirmation.ts)!;
    expect(expired.text).toContain('This confirmation expired');
    expect(expired.html).toContain('data-label="Start again"');
    expect(expired.html).not.toContain('data-label="Approve"');
  });

  it('the audit trail reads in sentences, and its CSV arrives in the DM as a file the page links', async () => {
    await page.command(primary, '/enterprise audit Acme Corp');
    expect((await page.dmItem(primary, 'Audit trail of Acme Corp')).html).toContain('is an admin as the primary contact');
    await page.command(primary, '/enterprise audit Acme Corp csv');
    const shared = await page.dmItem(primary, 'as you asked for it');
    expect(shared.html).toMatch(/<a class="file" href="\/files\/T0ACME\/[^"]+"[^>]*>&#128206; audit-Acme-Corp-\d{4}-\d{2}-\d{2}\.csv<\/a>/);
  });

  it('deactivates someone in Slack: Vouch hears user_change and no longer counts them as an active admin', async () => {
    expect(
      (
        await page.provision({
          name: 'Initech',
          contractNumber: 'C-3003',
          primaryContactUserId: colleague.id,
          slackTeamId: colleague.teamId,
        })
      ).status,
    ).toBe(201);
    expect(await page.setDeactivated(colleague, true)).toEqual({ deactivated: true });
    expect(sandbox.slack.team(colleague.teamId)!.user(colleague.id)!.deleted).toBe(true);
    await page.command(supportA, '/enterprise admins Initech');
    expect((await page.dmItem(supportA, 'Admins of Initech')).text).toContain('(1 admin, deactivated in Slack)');
    await page.setDeactivated(colleague, false);
    await page.command(supportA, '/enterprise admins Initech');
    expect((await page.dmItem(supportA, 'Admins of Initech')).text).toContain('(1 admin)');
    await expect(page.setDeactivated({ id: 'U0NOBODY', teamId: colleague.teamId }, true)).rejects.toThrow('HTTP 404');
  });

  it('refuses what Slack would not allow, and requests that are not JSON', async () => {
    const dm = await page.dm(primary);
    await expect(page.click(primary, { surface: 'message', channel: dm.id, ts: '1.000001', label: 'Approve' })).rejects.toThrow(PageError);
    await expect(page.state({ id: 'U0NOBODY', teamId: primary.teamId })).rejects.toThrow('HTTP 404');
    // Pat is in Acme's workspace, not the provider's; and there is no workspace T0NOWHERE.
    await expect(page.state({ id: primary.id, teamId: supportA.teamId })).rejects.toThrow('HTTP 404');
    await expect(page.state({ id: primary.id, teamId: 'T0NOWHERE' })).rejects.toThrow('no workspace T0NOWHERE');
    await expect(
      page.post('/api/command', 'user=U0PAT&text=/enterprise', { 'content-type': 'application/x-www-form-urlencoded' }),
    ).rejects.toThrow('HTTP 415');
  });

  it('registers an uploaded file with the stand-in, for a file_input', async () => {
    const file = await page.upload(primary, 'letter v2.pdf', 'application/pdf', 'signed');
    expect(file.name).toBe('letter v2.pdf');
    // In the uploader's workspace.
    expect(sandbox.slack.team(primary.teamId)!.file(file.id)?.content.toString()).toBe('signed');
  });

  it('a recovery request’s letter shows in its thread as a link to the file, and the requester’s receipt in their DM', async () => {
    await page.command(colleague, '/enterprise recover');
    const advice = await page.dmItem(colleague, 'Request admin access');
    await page.click(colleague, {
      surface: 'ephemeral',
      channel: (await page.dm(colleague)).id,
      ts: advice.ts,
      label: 'Request admin access',
    });
    const letter = await page.upload(colleague, 'letter.pdf', 'application/pdf', '%PDF signed');
    await page.submit(colleague, (await page.state(colleague)).modal!.id, {
      account_name: 'Acme Corp',
      email_to_add: colleague.email,
      reason: 'Our admin left.',
      contract_number: 'C-1001',
      officer_name: 'Casey Chief',
      officer_title: 'CEO',
      officer_email: 'casey@acme.example',
      letter: { files: [letter] },
    });
    expect((await page.dmItem(colleague, 'Your admin recovery request')).text).toContain('What you sent');
    // Filed from Acme's workspace into the support channel of the provider's.
    const channel = (await page.channel(supportA))!;
    const post = channel.items.findLast((i) => i.text.includes('Admin recovery request'))!;
    const upload = post.replies.find((r) => r.html.includes('class="file"'));
    expect(upload?.html).toMatch(/<a class="file" href="\/files\/T0PROVIDER\/F[A-Z0-9]+"[^>]*>&#128206; letter\.pdf<\/a>/);
    const href = /href="([^"]+)"/.exec(upload!.html)![1]!;
    expect(await (await fetch(`${sandbox.url}${href}`)).text()).toBe('%PDF signed');
  });
});

describe('the sandbox listens on loopback only', () => {
  /** This machine's addresses other than loopback: none of them may reach a sandbox port. */
  const outsideAddresses = Object.values(networkInterfaces())
    .flat()
    .filter((i) => i !== undefined && !i.internal && i.family === 'IPv4')
    .map((i) => i!.address);

  const connects = (host: string, port: number) =>
    new Promise<boolean>((resolve) => {
      const socket = connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });

  it('the page, the Slack stand-in and the bot’s own HTTP server (events, provisioning, health, metrics)', async () => {
    const { page: pageServer, slack, bot } = sandbox.listening;
    for (const server of [pageServer, slack, bot]) {
      expect(server.address).toBe('127.0.0.1');
      expect(await connects('127.0.0.1', server.port)).toBe(true);
      for (const address of outsideAddresses) expect(await connects(address, server.port)).toBe(false);
    }
    expect(sandbox.provisioning.url).toBe(`http://127.0.0.1:${bot.port}/api/accounts`);
  });
});
