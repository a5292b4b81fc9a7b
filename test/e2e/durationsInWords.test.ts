import { afterEach, describe, expect, it } from 'vitest';
import { buttonsOf, text } from '../support/blocks.js';
import { DAY, HOUR } from '../support/clock.js';
import { commandShown, invite, people, provision, startHarness, type Harness } from '../support/harness.js';

// How long each thing works, in words and with a date each reader sees in their own time zone
// (Slack's `<!date^…|fallback>`, the fallback in UTC), with the configured TTLs: what each person
// reads in their DMs, the invite form, their reminders and their Home tab.

let h: Harness;
afterEach(async () => {
  await h.close();
});

const { primary, colleague } = people;

/** Slack's date token for `iso`, as Vouch writes it: the reader's time zone, UTC as fallback. */
const date = (iso: string) => {
  const at = new Date(iso);
  return `<!date^${at.getTime() / 1000}^{date_short_pretty} at {time}|${iso.replace('T', ' ').slice(0, 16)} UTC>`;
};

describe('durations in words, with the configured TTLs', () => {
  it('the setup DM, the invite form, the confirmation, the invitee and the Home tab say for how long and until when', async () => {
    h = await startHarness(); // clock at 2026-11-23 09:00 UTC; SETUP_INVITE_TTL 30d, CONFIRM_TTL 24h
    expect((await provision(h)).status).toBe(201);
    const setupDm = h.slack.lastDm(primary.id)!;
    expect(text(setupDm)).toContain(`This invitation works for 30 days, until ${date('2026-12-23T09:00')}.`);
    expect(setupDm.text).toBe(
      `Action required: set up “Acme Corp” Enterprise Account. It works for 30 days, until ${date('2026-12-23T09:00')}.`,
    );

    await h.driver.click(primary.id, setupDm, 'Invite someone else');
    const form = h.slack.openView(primary.id)!;
    expect(text(form.view as never)).toContain('Next, you will get a DM asking you to confirm. It works for 24 hours from then.');
    expect(text(form.view as never)).not.toContain('limited time');
    await h.driver.submitView(primary.id, form.id, { invitee_user: { user: colleague.id } });
    const confirmation = h.slack.lastDm(primary.id)!;
    expect(text(confirmation)).toContain(`This confirmation works for 24 hours, until ${date('2026-11-24T09:00')}.`);

    await h.driver.appHomeOpened(primary.id);
    const home = text(h.slack.homeView(primary.id)?.view as never);
    expect(home).toContain(`*Acme Corp*: your setup invitation works for 30 days, until ${date('2026-12-23T09:00')}.`);
    expect(home).toContain(`This confirmation works for 24 hours, until ${date('2026-11-24T09:00')}.`);

    // Approved an hour later: the invitee has what is left of the setup invitation.
    h.clock.advance(HOUR);
    await h.driver.click(primary.id, confirmation, 'Approve');
    expect(text(h.slack.message(confirmation.channel, confirmation.ts))).toContain(
      `has been asked to accept; the invitation works for 30 days, until ${date('2026-12-23T09:00')}.`,
    );
    const inviteeDm = h.slack.lastDm(colleague.id)!;
    expect(buttonsOf(inviteeDm)).toEqual(['Accept', 'Decline']);
    expect(text(inviteeDm)).toContain(`This invitation works for 30 days, until ${date('2026-12-23T09:00')}.`);
  });

  it('the configured TTLs, not fixed words: a 7-day invitation and a 90-minute confirmation', async () => {
    h = await startHarness({ setupInviteTtlMs: 7 * DAY, confirmTtlMs: 90 * 60_000 });
    await provision(h);
    const setupDm = h.slack.lastDm(primary.id)!;
    expect(text(setupDm)).toContain(`This invitation works for 7 days, until ${date('2026-11-30T09:00')}.`);
    await h.driver.click(primary.id, setupDm, 'Invite someone else');
    expect(text(h.slack.openView(primary.id)!.view as never)).toContain('It works for 90 minutes from then.');
    const { confirmation } = await invite(h, setupDm);
    expect(text(confirmation)).toContain(`This confirmation works for 90 minutes, until ${date('2026-11-23T10:30')}.`);
  });

  it('reminders say how long is left and until when; /enterprise setup too', async () => {
    h = await startHarness();
    await provision(h);
    const { confirmation } = await invite(h, h.slack.lastDm(primary.id)!);
    // CONFIRM_REMIND_BEFORE is 2 hours: the reminder comes 22 hours in.
    h.clock.advance(22 * HOUR);
    await h.vouch.jobs.runReminders();
    expect(text(h.slack.lastDm(primary.id))).toBe(
      `:hourglass: Reminder: confirm that <@${colleague.id}> should get manage permissions on *Acme Corp*. The confirmation works for 2 more hours, until ${date('2026-11-24T09:00')}, then it expires.`,
    );
    expect(text(h.slack.message(confirmation.channel, confirmation.ts))).toContain('for 24 hours, until');

    // SETUP_REMIND_BEFORE is 3 days: 27 days after it was issued.
    h.clock.set('2026-12-20T09:00:00Z');
    await h.vouch.jobs.runReminders();
    expect(text(h.slack.lastDm(primary.id))).toContain(
      `Reminder: your invitation to set up *Acme Corp* works for 3 more days, until ${date('2026-12-23T09:00')}.`,
    );

    h.clock.set('2026-12-21T09:00:00Z');
    const { ephemeral } = await commandShown(h, primary.id, 'setup');
    expect(text(ephemeral)).toContain(
      `your setup message is in your DMs again; it works for 2 more days, until ${date('2026-12-23T09:00')}.`,
    );
  });
});
