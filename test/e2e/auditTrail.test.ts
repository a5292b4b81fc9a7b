import { afterEach, describe, expect, it } from 'vitest';
import { buttonsOf, text } from '../support/blocks.js';
import { commandShown, invite, people, provision, removeAdmin, startHarness, SUPPORT_CHANNEL, type Harness } from '../support/harness.js';
import { channelMessage, orphanedAccount, requestAccess } from '../support/recovery.js';

// The audit trail as people read it: one sentence per event in people's names, newest first, the
// codes and ids small beneath each, a page at a time; and the whole trail as a CSV file in the
// reader's DM.

let h: Harness;
afterEach(async () => {
  await h.close();
});

const { primary, colleague, other, supportA } = people;
const date = (iso: string) => {
  const at = new Date(iso);
  return `<!date^${at.getTime() / 1000}^{date_short_pretty} at {time}|${iso.replace('T', ' ').slice(0, 16)} UTC>`;
};

/** Invite, approve, accept: the trail of a setup handed to a colleague. */
async function handedOver() {
  await provision(h);
  const setupDm = h.slack.lastDm(primary.id)!;
  const { confirmation } = await invite(h, setupDm);
  await h.driver.click(primary.id, confirmation, 'Approve');
  await h.driver.click(colleague.id, h.slack.lastDm(colleague.id)!, 'Accept');
}

/** A CSV as rows of cells (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i]!;
    if (quoted && c === '"' && csv[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      cell += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && csv[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

describe('the audit trail in sentences', () => {
  it('says who did what in people’s names, newest first, with the codes beneath and no raw values', async () => {
    h = await startHarness();
    await handedOver();
    const { ephemeral } = await commandShown(h, primary.id, 'audit Acme Corp');
    const sections = (ephemeral.blocks ?? []).flatMap((b) => (b.type === 'section' ? [String((b.text as { text: string }).text)] : []));
    expect(sections).toEqual([
      '*Audit trail of Acme Corp*, newest first (latest)',
      `<@${colleague.id}> got an invitation to set up *Acme Corp* (until ${date('2026-12-23T09:00')})`,
      `<@${primary.id}> handed the setup of *Acme Corp* to <@${colleague.id}>`,
      `<@${colleague.id}> accepted the invitation of <@${primary.id}> and is now an admin`,
      `<@${colleague.id}> accepted the invitation of <@${primary.id}> to set up *Acme Corp*`,
      `<@${primary.id}> confirmed the invitation of <@${colleague.id}>, who was asked to accept`,
      `<@${primary.id}> invited <@${colleague.id}> to set up *Acme Corp* (confirmation until ${date('2026-11-24T09:00')})`,
      `<@${primary.id}> got an invitation to set up *Acme Corp* (until ${date('2026-12-23T09:00')})`,
      `<@${primary.id}> is an admin as the primary contact`,
      'The provider’s systems provisioned *Acme Corp* (contract C-1001), with <@U0PRIMARY> as its primary contact',
    ]);
    const shown = text(ephemeral);
    expect(shown).toContain('Details: `delegation.requested` on delegation `');
    expect(shown).not.toContain('"status"');
    expect(shown).toContain('`/enterprise audit Acme Corp csv`');
  });

  it('support reads a recovery in words: “@Sam approved recovery request REC-…: @Olive is now an admin”', async () => {
    h = await startHarness();
    await orphanedAccount(h);
    await requestAccess(h);
    const posted = channelMessage(h);
    const reference = /REC-[A-Z0-9]{6}/.exec(posted.text)?.[0];
    await h.driver.click(supportA.id, posted, 'Approve');
    const { ephemeral } = await commandShown(h, supportA.id, 'audit Acme Corp', SUPPORT_CHANNEL);
    const shown = text(ephemeral);
    expect(shown).toContain(`<@${supportA.id}> approved recovery request ${reference}: <@${other.id}> is now an admin`);
    expect(shown).toContain(`<@${other.id}> is now an admin through recovery request ${reference}`);
    expect(shown).toContain(
      `<@${other.id}> asked support to add ${other.email} as an admin of *Acme Corp* (recovery request ${reference})`,
    );
  });

  it('pages with Older events, older sentences on the next page', async () => {
    h = await startHarness();
    await handedOver();
    await commandShown(h, colleague.id, `add-admin Acme Corp <@${other.id}|olive>`);
    await removeAdmin(h, colleague.id, `Acme Corp <@${other.id}|olive>`);
    const { ephemeral } = await commandShown(h, colleague.id, 'audit Acme Corp');
    expect(text(ephemeral)).toContain(`<@${colleague.id}> removed <@${other.id}> as an admin`);
    expect(text(ephemeral)).not.toContain('provisioned');
    expect(buttonsOf(ephemeral)).toEqual(['Older events']);
    await h.driver.clickEphemeral(colleague.id, ephemeral, 'Older events');
    const older = h.slack.lastEphemeral(colleague.id)!;
    expect(text(older)).toContain('newest first (older)');
    expect(text(older)).toContain('The provider’s systems provisioned *Acme Corp*');
    expect(buttonsOf(older)).toEqual([]);
  });
});

describe('the audit trail as a CSV file', () => {
  it('`audit NAME csv` uploads the whole trail into the reader’s DM; cells a spreadsheet would run are inert', async () => {
    h = await startHarness();
    await handedOver();
    const { ephemeral } = await commandShown(h, primary.id, 'audit Acme Corp csv');
    expect(text(ephemeral)).toBe('The audit trail of *Acme Corp* is on its way to your DM with Vouch as a CSV file.');

    const shared = h.slack.dm(primary.id).filter((m) => (m.files ?? []).length > 0);
    expect(shared).toHaveLength(1);
    expect(shared[0]!.text).toContain('The audit trail of *Acme Corp* as you asked for it: 10 events, oldest first');
    const file = h.slack.file(shared[0]!.files![0]!)!;
    expect(file.name).toBe('audit-Acme-Corp-2026-11-23.csv');
    // Into the DM's channel, which conversations.open gave: an upload takes no user id.
    expect(h.slack.calls('conversations.open').map((c) => c.args.users)).toEqual([primary.id]);
    expect(h.slack.calls('files.completeUploadExternal').map((c) => c.args.channel_id)).toEqual([h.slack.dmChannelId(primary.id)]);

    const rows = parseCsv(file.content.toString('utf8'));
    expect(rows[0]).toEqual(['at', 'what', 'actor', 'action', 'subject_kind', 'subject_id', 'before', 'after', 'actor_team']);
    // Every event up to the request, oldest first, the export itself included.
    expect(rows.slice(1).map((r) => r[3])).toEqual([
      'account.provisioned',
      'admin.granted',
      'setup_invitation.issued',
      'delegation.requested',
      'delegation.approved',
      'delegation.accepted',
      'admin.granted',
      'setup_invitation.handed_over',
      'setup_invitation.issued',
      'audit.exported',
    ]);
    const invited = rows.find((r) => r[3] === 'delegation.requested')!;
    // A cell that starts with @ would be a formula: it starts with an apostrophe instead.
    expect(invited[1]).toBe(`'@${primary.id} invited @${colleague.id} to set up Acme Corp (confirmation until 2026-11-24 09:00 UTC)`);
    expect(invited[2]).toBe(primary.id);
    expect(JSON.parse(invited[7]!)).toEqual({ invitee: colleague.id, confirmExpiresAt: '2026-11-24T09:00:00.000Z' });
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  it('someone who may not read the trail gets no file, and the trail records who took a copy', async () => {
    h = await startHarness();
    await provision(h);
    const { ephemeral } = await commandShown(h, other.id, 'audit Acme Corp csv');
    expect(text(ephemeral)).toContain('There is no Enterprise Account named “Acme Corp” that you can see');
    expect(h.slack.calls('files.completeUploadExternal')).toEqual([]);
    await commandShown(h, supportA.id, 'audit acme corp CSV', SUPPORT_CHANNEL);
    expect(h.slack.dm(supportA.id).filter((m) => (m.files ?? []).length > 0)).toHaveLength(1);
    const { ephemeral: page } = await commandShown(h, primary.id, 'audit Acme Corp');
    expect(text(page)).toContain(`<@${supportA.id}> took a copy of this audit trail (CSV)`);
  });
});
