// Workflow 1 without dead ends, as the people in it see it: one live copy of the setup message,
// a fresh invitation one click away when it expires, the setup handed to an existing admin, and
// no button left live on anything of someone removed as an admin.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slackMessages } from '../../src/db/schema.js';
import type { FakeMessage } from '../../src/sandbox/slack/index.js';
import { buttonsOf, text } from '../support/blocks.js';
import { people, provision, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const { primary } = people;
const shown = (m: FakeMessage) => h.slack.message(m.channel, m.ts)!;
const SETUP_BUTTONS = ['Set up the account', 'Invite someone else'];

describe('/enterprise setup sends the setup message again: one live copy', () => {
  it('each older copy is edited to point to the newest, with no buttons; only the newest works', async () => {
    await provision(h);
    const first = h.slack.lastDm(primary.id)!;
    await h.driver.command(primary.id, 'setup');
    const second = h.slack.lastDm(primary.id)!;
    h.clock.advance(60_000); // asked again a minute later
    await h.driver.command(primary.id, 'setup');
    const third = h.slack.lastDm(primary.id)!;
    expect(new Set([first.ts, second.ts, third.ts]).size).toBe(3);

    expect(buttonsOf(shown(third))).toEqual(SETUP_BUTTONS);
    for (const older of [first, second]) {
      expect(buttonsOf(shown(older))).toEqual([]);
      expect(text(shown(older))).toContain('You asked for this message again, so this copy no longer has buttons.');
      // The link leads to the newest copy.
      expect(text(shown(older))).toContain(`/archives/${third.channel}/p${third.ts.replace('.', '')}|the newest copy>`);
    }
    const live = h.slack.dm(primary.id).filter((m) => buttonsOf(m).length > 0);
    expect(live.map((m) => m.ts)).toEqual([third.ts]);
  });

  it('the older copies keep pointing to the newest when the invitation changes; the newest shows the change', async () => {
    await provision(h);
    const first = h.slack.lastDm(primary.id)!;
    await h.driver.command(primary.id, 'setup');
    const newest = h.slack.lastDm(primary.id)!;
    await h.driver.click(primary.id, newest, 'Set up the account');
    await h.driver.submitView(primary.id, h.slack.openView(primary.id)!.id, { account_name: 'Acme Corp' });
    expect(text(shown(newest))).toContain(`was set up by <@${primary.id}>`);
    expect(text(shown(first))).toContain('this copy no longer has buttons');
    expect(buttonsOf(shown(first))).toEqual([]);
    // Nothing is left behind for the reconciliation to redraw.
    expect(await h.vouch.context.workflows.timers.reconcile()).toBe(0);
  });

  it('an older copy whose edit failed is put right by the reconciliation', async () => {
    await provision(h);
    const first = h.slack.lastDm(primary.id)!;
    h.slack.failNext('chat.update', { error: 'message_not_found' });
    await h.driver.command(primary.id, 'setup');
    await h.vouch.idle();
    // Posted once all the same: a failed edit never posts the new copy twice.
    expect(h.slack.dm(primary.id)).toHaveLength(2);
    expect(buttonsOf(shown(first))).toEqual(SETUP_BUTTONS);
    const rows = await h.database.db.select().from(slackMessages);
    expect(rows.filter((m) => m.movedToTs !== null)).toHaveLength(1);
    await h.vouch.jobs.runReconcile();
    await h.vouch.idle();
    expect(buttonsOf(shown(first))).toEqual([]);
    expect(text(shown(first))).toContain('this copy no longer has buttons');
  });
});
