import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditActionIds } from '../../src/bot/blocks/adminReplies.js';
import { callbackIds } from '../../src/bot/blocks/modals.js';
import { recoveryActionIds } from '../../src/bot/blocks/recoveryMessages.js';
import { recoveryCallbackIds, rejectReasonId } from '../../src/bot/blocks/recoveryModals.js';
import { actionIds } from '../../src/bot/blocks/setupMessages.js';
import { accounts, delegations } from '../../src/db/schema.js';
import { blocksText } from '../../src/sandbox/slack/index.js';
import { invite, people, provision, startHarness, type Harness } from '../support/harness.js';
import { capturingLogger } from '../support/logs.js';
import { blockActionsPayload, databaseSnapshot, sendEvent, sendPayload, viewSubmissionPayload } from '../support/payloads.js';

// Every id a payload carries is parsed before the database sees it: a button value or a modal's
// private_metadata that Vouch never made is answered in words, logged at warn, and changes nothing.

let h: Harness;
let log: ReturnType<typeof capturingLogger>;
beforeEach(async () => {
  log = capturingLogger('warn');
  h = await startHarness({ logger: log.logger });
  await provision(h);
  await invite(h, h.slack.lastDm(people.primary.id)!);
});
afterEach(async () => {
  await h.close();
});

const damagedValues: Array<[string, unknown]> = [
  ['not an id', 'not-a-uuid'],
  ['an id cut short', '0b0e7f1c-5d1a-4b6e-9c3e'],
  ['SQL', "' or 1=1; drop table accounts; --"],
  ['empty', ''],
  ['missing', undefined],
  ['a NUL', `${'0'.repeat(8)}\u0000-0000-0000-0000-000000000000`],
  ['a huge string', 'x'.repeat(2000)],
];

const idButtons = [
  actionIds.approve,
  actionIds.cancel,
  actionIds.accept,
  actionIds.decline,
  actionIds.setUp,
  actionIds.invite,
  actionIds.startAgain,
  recoveryActionIds.approve,
  recoveryActionIds.reject,
];

/** How many of what the person was shown (ephemeral or by DM) contain `words`. */
function timesTold(userId: string, words: string): number {
  const said = [...h.slack.ephemerals(userId), ...h.slack.dm(userId)];
  return said.filter((m) => `${m.text ?? ''} ${blocksText(m.blocks ?? [])}`.includes(words)).length;
}
const DAMAGED = 'This button is damaged; nothing was changed.';

describe('a damaged button', () => {
  for (const actionId of idButtons) {
    it(`${actionId}: every malformed value is answered "damaged", logged at warn, never a 500, nothing changed`, async () => {
      const before = await databaseSnapshot(h);
      for (const [what, value] of damagedValues) {
        const clicker = actionId.startsWith('recovery.') ? people.supportA.id : people.primary.id;
        const told = timesTold(clicker, DAMAGED);
        const response = await sendPayload(h, blockActionsPayload(h, clicker, { actionId, value }));
        expect(response.status, what).toBe(200);
        expect(timesTold(clicker, DAMAGED), what).toBe(told + 1);
        expect(log.lines().at(-1), what).toMatchObject({ level: 40, msg: 'damaged button ignored', action: actionId });
      }
      expect(await databaseSnapshot(h)).toEqual(before);
    });
  }

  it('the audit trail’s Older events: a cursor that is not ours is damaged; a well-formed one still works', async () => {
    const [account] = await h.database.db.select().from(accounts);
    const before = await databaseSnapshot(h);
    for (const value of ['{', '{"accountId":"x","olderThan":1}', JSON.stringify({ accountId: account!.id, olderThan: 'soon' }), '[]']) {
      const told = timesTold(people.primary.id, DAMAGED);
      const response = await sendPayload(h, blockActionsPayload(h, people.primary.id, { actionId: auditActionIds.older, value }));
      expect(response.status, value).toBe(200);
      expect(timesTold(people.primary.id, DAMAGED), value).toBe(told + 1);
    }
    expect(await databaseSnapshot(h)).toEqual(before);
    const good = JSON.stringify({ accountId: account!.id, olderThan: 1_000_000 });
    await sendPayload(h, blockActionsPayload(h, people.primary.id, { actionId: auditActionIds.older, value: good }));
    expect(timesTold(people.primary.id, 'Audit trail of')).toBe(1);
  });

  it('the same button with its real value still works: the refusal above is for the value alone', async () => {
    const [delegation] = await h.database.db.select().from(delegations);
    const response = await sendPayload(
      h,
      blockActionsPayload(h, people.primary.id, { actionId: actionIds.approve, value: delegation!.id }),
    );
    expect(response.status).toBe(200);
    const [after] = await h.database.db.select().from(delegations);
    expect(after?.status).not.toBe(delegation?.status);
  });
});

describe('a damaged form', () => {
  const forms: Array<{ callbackId: string; values: Record<string, Record<string, unknown>> }> = [
    { callbackId: callbackIds.setUp, values: { account_name: { account_name: { type: 'plain_text_input', value: 'Renamed' } } } },
    {
      callbackId: callbackIds.invite,
      values: { invitee_user: { invitee_user: { type: 'users_select', selected_user: people.other.id } } },
    },
    {
      callbackId: recoveryCallbackIds.reject,
      values: { [rejectReasonId]: { [rejectReasonId]: { type: 'plain_text_input', value: 'Not convincing.' } } },
    },
  ];
  const damagedMetadata = [
    '',
    'not json',
    '{"invitationId":"not-a-uuid","requestId":"not-a-uuid"}',
    '{"invitationId":1,"requestId":1}',
    'null',
    '[]',
  ];

  for (const form of forms) {
    it(`${form.callbackId}: private_metadata that is not ours updates the modal to "damaged", logged at warn, nothing changed`, async () => {
      const submitter = form.callbackId === recoveryCallbackIds.reject ? people.supportA.id : people.primary.id;
      const before = await databaseSnapshot(h);
      for (const privateMetadata of damagedMetadata) {
        const response = await sendPayload(h, viewSubmissionPayload(h, submitter, { ...form, privateMetadata }));
        expect(response.status, privateMetadata).toBe(200);
        expect(response.json, privateMetadata).toMatchObject({ response_action: 'update' });
        expect(JSON.stringify(response.json), privateMetadata).toContain('This form is damaged; nothing was changed.');
        expect(log.lines().at(-1), privateMetadata).toMatchObject({ level: 40, msg: 'damaged form ignored', callbackId: form.callbackId });
      }
      expect(await databaseSnapshot(h)).toEqual(before);
    });
  }
});

describe('a damaged event', () => {
  it('app_home_opened for a user id Slack never makes is ignored with a warn line, nothing stored', async () => {
    const before = await databaseSnapshot(h);
    for (const user of ['', 'not a user', `U${'1'.repeat(300)}`, "U1'; drop table accounts; --"]) {
      const response = await sendEvent(h, { type: 'app_home_opened', user, channel: 'D0FORGED', tab: 'home' });
      expect(response.status, user).toBe(200);
    }
    expect(log.lines().filter((l) => l.msg === 'app_home_opened with a malformed user ignored')).toHaveLength(4);
    expect(await databaseSnapshot(h)).toEqual(before);
  });
});

describe('a request of the wrong shape', () => {
  it('is acked and logged before Bolt reads it: no user, no action list, no view; never a 500, nothing changed', async () => {
    const before = await databaseSnapshot(h);
    const click = blockActionsPayload(h, people.primary.id, { actionId: actionIds.approve, value: 'x' });
    const submit = viewSubmissionPayload(h, people.primary.id, { callbackId: callbackIds.setUp });
    const broken = [
      { ...click, user: undefined },
      { ...click, actions: { action_id: actionIds.approve } },
      { ...click, actions: [] },
      { ...submit, view: undefined },
      { ...submit, view: { ...(submit.view as object), state: 'none' } },
    ];
    for (const payload of broken) {
      const response = await sendPayload(h, payload);
      expect(response.status, JSON.stringify(payload).slice(0, 200)).toBe(200);
    }
    expect(log.lines().filter((l) => l.msg === 'Slack request of the wrong shape ignored')).toHaveLength(broken.length);
    expect(await databaseSnapshot(h)).toEqual(before);
  });
});
