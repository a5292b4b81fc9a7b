import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEvents } from '../../src/db/schema.js';
import { text } from '../support/blocks.js';
import { commandShown, people, provision, startHarness, type Harness } from '../support/harness.js';
import { channelMessage, requestAccess } from '../support/recovery.js';

// A person whose Slack account is deactivated is not an active admin. Slack says so with the
// user_change event and with `deleted: true` from users.info; the stand-in deactivates people the
// way a workspace admin would, and the driver sends the event.

let h: Harness;
afterEach(async () => {
  await h.close();
});

const { primary, colleague, other } = people;

describe('deactivated people are not admins', () => {
  it('user_change: the admins list, the Home tab and the audit trail say so, and the last active admin stays', async () => {
    h = await startHarness();
    await provision(h);
    await commandShown(h, primary.id, `add-admin Acme Corp <@${colleague.id}|cole>`);
    await h.driver.appHomeOpened(primary.id);
    expect(text(h.slack.homeView(primary.id)?.view as never)).toContain('*Acme Corp* (not yet set up), contract C-1001: 2 admins');

    const event = await h.driver.setDeactivated(colleague.id);
    expect(event.status).toBe(200);
    const { ephemeral: listed } = await commandShown(h, primary.id, 'admins Acme Corp');
    expect(text(listed)).toContain('*Admins of Acme Corp* (2 admins, 1 of them deactivated in Slack)');
    expect(text(listed)).toContain(`<@${colleague.id}>, since`);
    expect(text(listed)).toContain('_deactivated in Slack: not an active admin_');
    // Their Home tab was refreshed with the count.
    expect(text(h.slack.homeView(primary.id)?.view as never)).toContain(
      '*Acme Corp* (not yet set up), contract C-1001: 2 admins, 1 of them deactivated in Slack',
    );

    // Removing the last active admin is refused (before any confirmation is asked).
    const { ephemeral: refused } = await commandShown(h, primary.id, `remove-admin Acme Corp <@${primary.id}|pat>`);
    expect(text(refused)).toContain(
      'You are the last active admin of *Acme Corp*, so you cannot remove yourself: the other admin is deactivated in Slack.',
    );
    const trail = await h.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'admin.deactivated_in_slack'));
    expect(trail).toMatchObject([{ actor: 'slack', subjectId: colleague.id, after: { deactivated: true } }]);
    const { ephemeral: audit } = await commandShown(h, primary.id, 'audit Acme Corp');
    expect(text(audit)).toContain(`<@${colleague.id}>’s Slack account was deactivated: not an active admin while it is`);

    // Reactivated in Slack: an active admin again.
    await h.driver.setDeactivated(colleague.id, false);
    const { ephemeral: again } = await commandShown(h, primary.id, 'admins Acme Corp');
    expect(text(again)).toContain('*Admins of Acme Corp* (2 admins)');
    expect(text(again)).not.toContain('deactivated');
  });

  it('users.info: the recovery check shown to support says “1 admin, deactivated in Slack”, and recovery is the way back', async () => {
    h = await startHarness();
    await provision(h);
    // Deactivated in Slack with no event reaching Vouch: the filing asks users.info.
    h.slack.setDeactivated(primary.id, true);
    const { res } = await requestAccess(h, other.id);
    expect(res.status).toBe(200);
    expect(h.slack.calls('users.info').map((c) => c.args.user)).toContain(primary.id);
    const shown = text(channelMessage(h));
    expect(shown).toContain('OK: *Active admins*: None active: 1 admin, deactivated in Slack. Recovery is the way back.');

    // What Slack said is kept: the admins list says it too.
    const { ephemeral } = await commandShown(h, people.supportA.id, 'admins Acme Corp');
    expect(text(ephemeral)).toContain('(1 admin, deactivated in Slack)');
  });
});
