import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditActionIds } from '../../src/bot/blocks/adminReplies.js';
import { callbackIds, fieldIds } from '../../src/bot/blocks/modals.js';
import { recoveryActionIds } from '../../src/bot/blocks/recoveryMessages.js';
import { recoveryCallbackIds, recoveryFieldIds, rejectReasonId } from '../../src/bot/blocks/recoveryModals.js';
import { actionIds } from '../../src/bot/blocks/setupMessages.js';
import { delegations, setupInvitations } from '../../src/db/schema.js';
import type { DriverResponse, RecordedCall } from '../../src/sandbox/slack/index.js';
import { invite, people, provision, PROVISIONING_TOKEN, startHarness, SUPPORT_CHANNEL, type Harness } from '../support/harness.js';
import { liveMarkupProblems, workspaceOf } from '../support/liveMarkup.js';
import {
  blockActionsPayload,
  commandFields,
  databaseSnapshot,
  sendPayload,
  sendSignedForm,
  viewSubmissionPayload,
} from '../support/payloads.js';

// Hostile and malformed requests at every edge, sent signed to the real app over HTTP. Whatever
// arrives, Vouch never answers 500, a request that may change nothing changes nothing (every
// table's rows compared), and no markup typed by the sender goes live in what Vouch sends Slack.
// The seed is fixed so that a failure repeats; FUZZ_SEED and FUZZ_RUNS explore further.

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

/** Markup a sender may type; Vouch must pass it on escaped, never live. */
const hostileMarkup = [
  '<!here>',
  '<!channel>',
  '<!everyone>',
  '<!subteam^S0FUZZ>',
  '<https://evil.example|click>',
  '<@U0FUZZED>',
  '<#C0FUZZED>',
];

let h: Harness;
/** Ids of real rows, to be sent where they do not belong. */
const real: { invitationId: string; delegationId: string } = { invitationId: '', delegationId: '' };

beforeAll(async () => {
  h = await startHarness();
  await provision(h);
  await invite(h, h.slack.lastDm(people.primary.id)!);
  const [invitation] = await h.database.db.select().from(setupInvitations);
  const [delegation] = await h.database.db.select().from(delegations);
  real.invitationId = invitation!.id;
  real.delegationId = delegation!.id;
});
afterAll(async () => {
  await h?.close();
});

const controlChar = fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c));
/** Strings a hostile or careless sender produces. */
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(...hostileMarkup),
  fc.array(fc.oneof(fc.string({ maxLength: 8 }), controlChar, fc.constantFrom(...hostileMarkup)), { maxLength: 8 }).map((p) => p.join('')),
  fc.constantFrom('x'.repeat(5000), '\u0000', '\u202e', "'; drop table accounts; --", '{"invitationId":"x"}', '%00', '\\'),
  fc.uuid(),
  fc.constant(() => real.invitationId).map((f) => f()),
  fc.constant(() => real.delegationId).map((f) => f()),
);
/** Any JSON value where a string was expected. */
const wrongType = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string()),
);
const anyValue = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 1, arbitrary: wrongType },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** People who may do none of what they try here: not an admin, not support, not an invitee. */
const outsider = people.other.id;

const knownActions = [...Object.values(actionIds), ...Object.values(recoveryActionIds), auditActionIds.older];
const knownCallbacks = [...Object.values(callbackIds), ...Object.values(recoveryCallbackIds)];
const fieldIdsAll = [...Object.values(fieldIds), ...Object.values(recoveryFieldIds), rejectReasonId];

/** Live markup in the calls Vouch made since `from`, and in its HTTP answer (a command's reply, a modal's update). */
function markupSent(from: number, answer?: DriverResponse): string[] {
  const calls: RecordedCall[] = h.slack.calls().slice(from);
  const json = answer?.json;
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const args = json as Record<string, unknown>;
    calls.push({
      method: 'view' in args ? 'response_action' : 'command_response',
      args: args as never,
      at: 0,
      status: 200,
      response: null,
    });
  }
  return liveMarkupProblems(calls, workspaceOf(h.slack, [SUPPORT_CHANNEL]));
}

/** Sends what `fn` sends and holds Vouch to the rules: below 500, nothing changed, nothing live. */
async function checked(fn: () => Promise<DriverResponse>): Promise<void> {
  const callsBefore = h.slack.calls().length;
  const before = await databaseSnapshot(h);
  const response = await fn();
  expect(response.status, response.body.slice(0, 300)).toBeLessThan(500);
  expect(await databaseSnapshot(h)).toEqual(before);
  expect(markupSent(callsBefore, response)).toEqual([]);
}

const runs = (share: number) => ({ seed: SEED, numRuns: Math.max(5, Math.round(RUNS * share)), endOnFailure: true });

describe(`fuzzing the edges (seed ${SEED}; FUZZ_SEED=${SEED} repeats it)`, () => {
  it('block_actions: wrong, foreign or missing values and broken shapes, from someone with no rights, change nothing', {
    timeout: 180_000,
  }, async () => {
    const action = fc.record({
      actionId: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...knownActions) }, { weight: 1, arbitrary: hostileString }),
      value: anyValue,
    });
    const mutation = fc.constantFrom('none', 'no actions', 'empty actions', 'no container', 'no channel', 'actions not a list', 'no user');
    await fc.assert(
      fc.asyncProperty(action, mutation, async ({ actionId, value }, mutate) => {
        const payload = blockActionsPayload(h, outsider, { actionId, value });
        if (mutate === 'no actions') delete payload.actions;
        if (mutate === 'empty actions') payload.actions = [];
        if (mutate === 'no container') delete payload.container;
        if (mutate === 'no channel') delete payload.channel;
        if (mutate === 'actions not a list') payload.actions = { action_id: actionId };
        if (mutate === 'no user') delete payload.user;
        await checked(() => sendPayload(h, payload));
      }),
      runs(1),
    );
  });

  it('block_actions: an admin’s own buttons with values that are not ids change nothing', { timeout: 180_000 }, async () => {
    const notAnId = anyValue.filter((v) => v !== real.invitationId && v !== real.delegationId);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...knownActions), notAnId, async (actionId, value) => {
        await checked(() => sendPayload(h, blockActionsPayload(h, people.primary.id, { actionId, value })));
      }),
      runs(0.5),
    );
  });

  it('view_submission: other people’s forms, damaged metadata and hostile fields change nothing', { timeout: 180_000 }, async () => {
    const state = fc.dictionary(
      fc.constantFrom(...fieldIdsAll),
      fc.oneof(
        hostileString.map((value) => ({ type: 'plain_text_input', value })),
        wrongType.map((value) => ({ type: 'plain_text_input', value })),
        hostileString.map((selected_user) => ({ type: 'users_select', selected_user })),
        anyValue.map((id) => ({ type: 'file_input', files: [{ id, name: '<!here>' }] })),
        wrongType,
      ),
      { maxKeys: 4 },
    );
    const metadata = fc.oneof(
      hostileString,
      wrongType,
      fc.constant(JSON.stringify({ invitationId: 'x' })).map(() => JSON.stringify({ invitationId: real.invitationId })),
      fc.uuid().map((id) => JSON.stringify({ invitationId: id, requestId: id })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...knownCallbacks) }, { weight: 1, arbitrary: hostileString }),
        metadata,
        state,
        fc.constantFrom('none', 'no view', 'no state', 'view not an object', 'no user'),
        async (callbackId, privateMetadata, values, mutate) => {
          const shaped = Object.fromEntries(Object.entries(values).map(([id, v]) => [id, { [id]: v }]));
          const payload = viewSubmissionPayload(h, outsider, { callbackId, privateMetadata, values: shaped as never });
          const view = payload.view as Record<string, unknown>;
          if (mutate === 'no view') delete payload.view;
          if (mutate === 'no state') delete view.state;
          if (mutate === 'view not an object') payload.view = callbackId;
          if (mutate === 'no user') delete payload.user;
          await checked(() => sendPayload(h, payload));
        },
      ),
      runs(1),
    );
  });

  it('slash commands: any text from someone with no rights changes nothing and shows nothing live', { timeout: 180_000 }, async () => {
    const words = fc.constantFrom('', 'help', 'setup', 'create', 'recover', 'admins', 'add-admin', 'remove-admin', 'audit', 'HELP');
    const text = fc
      .tuple(
        words,
        fc.array(fc.oneof(hostileString, fc.constantFrom('Acme Corp', '"Acme Corp"', `<@${people.primary.id}>`)), { maxLength: 4 }),
      )
      .map(([word, rest]) => [word, ...rest].join(' '));
    await fc.assert(
      fc.asyncProperty(text, fc.constantFrom('none', 'no text', 'no user'), async (t, mutate) => {
        const fields = commandFields(h, outsider, t);
        if (mutate === 'no text') delete (fields as Partial<typeof fields>).text;
        if (mutate === 'no user') delete (fields as Partial<typeof fields>).user_id;
        await checked(() => sendSignedForm(h, fields));
      }),
      runs(1),
    );
  });

  it('provisioning API: a wrong token changes nothing; with the right one, a body that is refused changes nothing', {
    timeout: 180_000,
  }, async () => {
    const body = fc.oneof(
      fc.record(
        { name: anyValue, contractNumber: anyValue, primaryContactEmail: anyValue, primaryContactUserId: anyValue },
        { requiredKeys: [] },
      ),
      wrongType,
      hostileString,
    );
    const token = fc.oneof({ weight: 3, arbitrary: fc.constant(PROVISIONING_TOKEN) }, { weight: 1, arbitrary: hostileString });
    await fc.assert(
      fc.asyncProperty(body, token, async (b, t) => {
        const callsBefore = h.slack.calls().length;
        const before = await databaseSnapshot(h);
        const res = await fetch(`${h.baseUrl}/api/accounts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${t.replace(/[^\x20-\x7e]/g, '')}`, 'content-type': 'application/json' },
          body: typeof b === 'string' ? b : JSON.stringify(b),
        });
        await h.vouch.idle();
        const text = await res.text();
        expect(res.status, text.slice(0, 300)).toBeLessThan(500);
        if (res.status !== 201) expect(await databaseSnapshot(h)).toEqual(before);
        if (t !== PROVISIONING_TOKEN) expect(res.status).toBe(401);
        expect(markupSent(callsBefore)).toEqual([]);
      }),
      runs(1),
    );
  });
});
