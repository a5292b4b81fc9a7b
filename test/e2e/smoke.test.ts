import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blocksText } from '../../src/sandbox/fakeSlack.js';
import { people, provision, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('smoke', () => {
  it('provision, invite, approve, accept', async () => {
    const res = await provision(h);
    expect(res.status).toBe(201);
    const setupDm = h.slack.lastDm(people.primary.id)!;
    expect(blocksText(setupDm.blocks)).toContain('Action required');
    await h.driver.click(people.primary.id, setupDm, 'Invite someone else');
    const modal = h.slack.openView(people.primary.id)!;
    expect(modal).toBeDefined();
    const sub = await h.driver.submitView(people.primary.id, modal.id, { invitee_user: { user: people.colleague.id }, invitee_email: null });
    console.log(sub.status, sub.body);
    const confirm = h.slack.lastDm(people.primary.id)!;
    console.log(blocksText(confirm.blocks));
    await h.driver.click(people.primary.id, confirm, 'Approve');
    const inviteeDm = h.slack.lastDm(people.colleague.id)!;
    console.log(blocksText(inviteeDm.blocks));
    await h.driver.click(people.colleague.id, inviteeDm, 'Accept');
    console.log(h.slack.dm(people.colleague.id).map((m) => blocksText(m.blocks)));
    console.log(h.slack.dm(people.primary.id).map((m) => blocksText(m.blocks)));
  });
});
