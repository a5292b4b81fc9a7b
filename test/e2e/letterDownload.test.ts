import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { adminMemberships, recoveryRequests } from '../../src/db/schema.js';
import type { FileServing } from '../../src/sandbox/slack/index.js';
import { text } from '../support/blocks.js';
import { commandShown, people, provision, startHarness, SUPPORT_CHANNEL, type Harness } from '../support/harness.js';

// The recovery letter is downloaded with the bot token from the URL files.info gives. That URL is
// data from an API answer, so the download fails closed: the token goes only to Slack's file hosts,
// sizes are bounded before and while reading, the whole download has a deadline, and every
// failure ends with a DM to the requester saying what went wrong, with nothing filed.

let h: Harness;
let foreign: Server | undefined;
afterEach(async () => {
  await h.close();
  foreign?.closeAllConnections();
  await new Promise((resolve) => (foreign ? foreign.close(resolve) : resolve(undefined)));
  foreign = undefined;
});

const { other } = people;
const letterBytes = Buffer.from('%PDF-1.4 letter signed in ink by the CEO');

/** A host that is not Slack, recording what reaches it. */
async function foreignHost(): Promise<{ url: string; requests: IncomingHttpHeaders[] }> {
  const requests: IncomingHttpHeaders[] = [];
  foreign = createServer((req, res) => {
    requests.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/pdf' }).end(letterBytes);
  });
  await new Promise<void>((resolve) => foreign!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/letter.pdf`, requests };
}

/** An account with no admin left, then `/enterprise recover` → Request admin access → submit with this file. */
async function requestWith(file: { content?: Buffer; serving?: FileServing }) {
  const res = await provision(h);
  await h.database.db
    .update(adminMemberships)
    .set({ removedAt: h.clock.now(), removedBy: 'test' })
    .where(eq(adminMemberships.accountId, res.json.id as string));
  const { ephemeral } = await commandShown(h, other.id, 'recover');
  await h.driver.clickEphemeral(other.id, ephemeral, 'Request admin access');
  const uploaded = h.slack.addFile({
    name: 'letter.pdf',
    mimetype: 'application/pdf',
    content: file.content ?? letterBytes,
    user: other.id,
    ...(file.serving ? { serving: file.serving } : {}),
  });
  const submitted = await h.driver.submitView(other.id, h.slack.openView(other.id)!.id, {
    account_name: 'Acme Corp',
    email_to_add: other.email,
    reason: 'Our only admin left the company and their mailbox was deleted.',
    contract_number: 'C-1001',
    officer_name: 'Casey Chief',
    officer_title: 'Chief Executive Officer',
    officer_email: 'casey@acme.example',
    letter: { files: [{ id: uploaded.id, name: uploaded.name }] },
  } as never);
  expect(submitted.status).toBe(200);
  return uploaded;
}

async function expectNothingFiled(dmSays: string) {
  expect(h.slack.messages(SUPPORT_CHANNEL)).toHaveLength(0);
  expect(await h.database.db.select().from(recoveryRequests)).toHaveLength(0);
  const dm = text(h.slack.lastDm(other.id));
  expect(dm).toMatch(/^Your request REC-[A-Z0-9]{6} could not be sent to support: /);
  expect(dm).toContain(dmSays);
  expect(dm).toContain('Nothing was filed; please try again with `/enterprise recover`.');
}

describe('the letter download: the bot token goes only to Slack', () => {
  it('a file whose URL is not on Slack (a remote file) is not downloaded: no token leaves, the requester is told', async () => {
    h = await startHarness();
    const host = await foreignHost();
    await requestWith({ serving: { url: host.url } });
    expect(host.requests).toEqual([]);
    await expectNothingFiled('the attached letter is a link to a file outside Slack, so Vouch did not download it');
  });

  it('a download that redirects away from Slack is not followed', async () => {
    h = await startHarness();
    const host = await foreignHost();
    await requestWith({ serving: { redirect: host.url } });
    expect(host.requests).toEqual([]);
    await expectNothingFiled('a link to a file outside Slack');
  });

  it('the stand-in’s own file host (SLACK_API_URL’s) is Slack: the letter is read and filed', async () => {
    h = await startHarness();
    await requestWith({});
    expect(await h.database.db.select().from(recoveryRequests)).toHaveLength(1);
    // Read once to fingerprint it when filed, once more to upload it into the request's thread.
    expect(h.slack.calls('file_download')).toHaveLength(2);
  });
});

describe('the letter download is bounded', () => {
  it('a size over LETTER_MAX_BYTES in files.info is refused before any byte is downloaded', async () => {
    h = await startHarness(); // the default limit: 10 MB
    await requestWith({ serving: { declaredSize: 10 * 1024 * 1024 + 1 } });
    expect(h.slack.calls('file_download')).toHaveLength(0);
    await expectNothingFiled('the attached letter is larger than 10 MB');
  });

  it('a size that lies: the body is counted as it streams and dropped once past the limit', async () => {
    h = await startHarness({ letterMaxBytes: 64 * 1024 });
    const chunk = Buffer.alloc(16 * 1024, 0x41);
    // Declares 1 KB, sends 64 MB: read whole first, it would be 1,000 times the limit.
    const file = await requestWith({ content: chunk, serving: { declaredSize: 1024, repeat: 4096 } });
    await expectNothingFiled('the attached letter is larger than 64 KB');
    expect(h.slack.servedBytes(file.id)).toBeLessThan(32 * 1024 * 1024);
  });

  it('a download that stops sending ends at its deadline (15 s), and the requester is told', async () => {
    let deadline: AbortController | undefined;
    h = await startHarness({
      letterDeadline: (ms) => {
        expect(ms).toBe(15_000);
        deadline = new AbortController();
        return deadline.signal;
      },
    });
    // The deadline passes once the stand-in has sent the headers and the first bytes, then stalled.
    h.slack.once('download', () => deadline?.abort());
    await requestWith({ serving: { stall: true } });
    await expectNothingFiled('downloading the attached letter from Slack took longer than 15 seconds');
  });

  it('a download Slack refuses tells the requester so', async () => {
    h = await startHarness();
    h.slack.failNext('file_download', { status: 500 });
    await requestWith({});
    await expectNothingFiled('Slack did not let Vouch download the attached letter (HTTP 500)');
  });
});
