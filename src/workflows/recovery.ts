import type { RecoveryQuestion, RecoveryRequest } from '../db/schema.js';
import { findAccount, isAdmin } from '../db/accounts.js';
import {
  findRecoveryQuestion,
  findRecoveryRequest,
  lockRecoveryRequest,
  lockRequestsDueForReminder,
  recoveryTarget,
} from '../db/recoveryRequests.js';
import { answerOr, noAnswer } from '../domain/directory.js';
import {
  decideRecoveryFiling,
  officerIsRequester,
  type RecoveryEvent,
  type RecoveryForm,
  type RecoveryLetter,
  type RecoveryRefusal,
} from '../domain/recovery.js';
import { checkRecoveryRejection, decideRecoveryApproval, decideRecoveryRejection } from '../domain/recoveryDecisions.js';
import {
  checkRecoveryAnswer,
  checkRecoveryQuestion,
  decideRecoveryAnswer,
  decideRecoveryQuestion,
  decideRecoveryReminder,
} from '../domain/recoveryQuestions.js';
import { ok, refused, type Outcome } from '../domain/outcome.js';
import { applyEffects } from './applyEffects.js';
import type { WorkflowDeps } from './deps.js';
import type { PeopleDirectory, SupportChannel } from './directory.js';

export interface RecoverySettings {
  /** Distinct support members who must approve (RECOVERY_APPROVALS). */
  approvalsRequired: number;
  /** A reminder in the thread of a request open this long, once per period (RECOVERY_REMIND_AFTER). */
  remindAfterMs: number;
}

export interface RecoveryDeps extends WorkflowDeps {
  people: PeopleDirectory;
  support: SupportChannel;
  recovery: RecoverySettings;
}

const notFound = refused<RecoveryRefusal>({ reason: 'not_found' });

/**
 * Admin recovery: a request filed with a signed letter, decided by support in the support
 * channel (Approve with a quorum, or Reject with a reason), and reminded while it stays open.
 * Slack is asked before a transaction opens, never while it holds a lock.
 */
export function createRecoveryWorkflow({ db, clock, newId, people, support, recovery }: RecoveryDeps) {
  const channel = support.channelId;

  /** Who the e-mail to add belongs to, and whether the actor is support, for a rejection or a question. */
  const rejectionFacts = async (request: RecoveryRequest, actor: string) => {
    const [actorIsSupport, newAdmin] = await Promise.all([support.isMember(actor), people.userOfEmail(request.emailToAdd)]);
    return { actorIsSupport, newAdmin };
  };

  return {
    /**
     * Files a request whose form is valid and whose letter was read: looks up what support would
     * check by hand (the account, its admins, an earlier open request, the requester's and the
     * primary contact's addresses, whether the requester is the officer), stores it with those
     * checks, and posts it to the support channel.
     */
    async file(input: {
      reference: string;
      requester: string;
      form: RecoveryForm;
      letter: RecoveryLetter;
    }): Promise<Outcome<{ id: string }>> {
      const { form, requester } = input;
      const [requesterEmail, officer, found] = await Promise.all([
        people.emailOf(requester),
        people.userOfEmail(form.officerEmail.trim()),
        recoveryTarget(db, { accountName: form.accountName, emailToAdd: form.emailToAdd }),
      ]);
      const primaryContactEmail = found.account ? await people.emailOf(found.account.primaryContactUserId) : noAnswer;
      const requesterAddress = answerOr(requesterEmail, null);
      const now = clock();
      const id = newId();
      const decision = decideRecoveryFiling({
        id,
        reference: input.reference,
        requesterUserId: requester,
        form,
        letter: input.letter,
        accountId: found.account?.id ?? null,
        facts: {
          account: found.account && {
            name: found.account.name,
            contractNumber: found.account.contractNumber,
            activeAdmins: found.activeAdmins,
            primaryContactEmail: answerOr(primaryContactEmail, null),
          },
          earlierOpenReference: found.earlierOpenReference,
          requesterEmail: requesterAddress,
          officerIsRequester: officerIsRequester({
            requesterUserId: requester,
            requesterEmail: requesterAddress,
            officerEmail: form.officerEmail,
            officer,
          }),
        },
        approvalsRequired: recovery.approvalsRequired,
        supportChannelId: channel,
      });
      await db.transaction((tx) => applyEffects(tx, decision.effects, now));
      return ok({ id });
    },

    /**
     * One support member approves. The support channel's members are read from Slack now (not
     * from a cache) and the e-mail to add is resolved to a Slack user, both before the request is
     * locked; when Slack does not answer, the approval is refused and nothing is recorded.
     */
    async approve(input: { requestId: string; actor: string }): Promise<Outcome<{ event: RecoveryEvent }, RecoveryRefusal>> {
      const seen = await findRecoveryRequest(db, input.requestId);
      if (!seen) return notFound;
      const [supportMembers, newAdmin, officer] = await Promise.all([
        support.membersNow(),
        people.userOfEmail(seen.emailToAdd),
        people.userOfEmail(seen.officerEmail),
      ]);
      const now = clock();
      return db.transaction(async (tx) => {
        const state = await lockRecoveryRequest(tx, input.requestId);
        if (!state) return notFound;
        const { request } = state;
        const newAdminUserId = newAdmin.answered ? (newAdmin.value?.userId ?? null) : null;
        const [account, newAdminIsAdmin] = await Promise.all([
          request.accountId ? findAccount(tx, request.accountId) : undefined,
          request.accountId && newAdminUserId ? isAdmin(tx, request.accountId, newAdminUserId) : false,
        ]);
        const officerPerson = answerOr(officer, null);
        const decision = decideRecoveryApproval(
          state,
          input.actor,
          {
            supportMembers,
            newAdmin,
            officerUserId: officerPerson && !officerPerson.deactivated && !officerPerson.isBot ? officerPerson.userId : null,
            accountName: account?.name ?? request.accountName,
            newAdminIsAdmin,
          },
          now,
          channel,
        );
        if (decision.kind !== 'ok') return decision;
        await applyEffects(tx, decision.value.effects, now);
        return ok({ event: decision.value.event });
      });
    },

    /** Whether `actor` may reject the request: asked before the reason form opens, so nobody writes a reason in vain. */
    async mayReject(input: { requestId: string; actor: string }): Promise<Outcome<RecoveryRequest, RecoveryRefusal>> {
      const request = await findRecoveryRequest(db, input.requestId);
      if (!request) return notFound;
      const refusal = checkRecoveryRejection(
        { request, approverUserIds: [], question: null },
        input.actor,
        await rejectionFacts(request, input.actor),
      );
      return refusal ? refused(refusal) : ok(request);
    },

    /** A support member rejects the request with a reason for the requester. */
    async reject(input: { requestId: string; actor: string; reason: string }): Promise<Outcome<{ event: RecoveryEvent }, RecoveryRefusal>> {
      const seen = await findRecoveryRequest(db, input.requestId);
      if (!seen) return notFound;
      const facts = await rejectionFacts(seen, input.actor);
      const now = clock();
      return db.transaction(async (tx) => {
        const state = await lockRecoveryRequest(tx, input.requestId);
        if (!state) return notFound;
        const decision = decideRecoveryRejection(state, input.actor, facts, input.reason, now, channel);
        if (decision.kind !== 'ok') return decision;
        await applyEffects(tx, decision.value.effects, now);
        return ok({ event: decision.value.event });
      });
    },

    /** Whether `actor` may ask the requester for more information: asked before the question form opens. */
    async mayAsk(input: { requestId: string; actor: string }): Promise<Outcome<RecoveryRequest, RecoveryRefusal>> {
      const request = await findRecoveryRequest(db, input.requestId);
      if (!request) return notFound;
      const refusal = checkRecoveryQuestion(
        { request, approverUserIds: [], question: null },
        input.actor,
        await rejectionFacts(request, input.actor),
      );
      return refusal ? refused(refusal) : ok(request);
    },

    /** A support member asks the requester for more information; the request waits for the answer. */
    async ask(input: { requestId: string; actor: string; question: string }): Promise<Outcome<{ questionId: string }, RecoveryRefusal>> {
      const seen = await findRecoveryRequest(db, input.requestId);
      if (!seen) return notFound;
      const facts = await rejectionFacts(seen, input.actor);
      const now = clock();
      const questionId = newId();
      return db.transaction(async (tx) => {
        const state = await lockRecoveryRequest(tx, input.requestId);
        if (!state) return notFound;
        const decision = decideRecoveryQuestion(state, input.actor, facts, { questionId, question: input.question }, now, channel);
        if (decision.kind !== 'ok') return decision;
        await applyEffects(tx, decision.value.effects, now);
        return ok({ questionId });
      });
    },

    /** Whether `actor` may answer the question: asked before the answer form opens. */
    async mayAnswer(input: {
      questionId: string;
      actor: string;
    }): Promise<Outcome<{ question: RecoveryQuestion; request: RecoveryRequest }, RecoveryRefusal>> {
      const found = await findRecoveryQuestion(db, input.questionId);
      if (!found) return notFound;
      const refusal = checkRecoveryAnswer({ request: found.request, approverUserIds: [], question: null }, found.question, input.actor);
      return refusal ? refused(refusal) : ok(found);
    },

    /** The requester answers support's question, perhaps with a corrected letter; the request goes back to support. */
    async answer(input: {
      questionId: string;
      actor: string;
      answer: string;
      letter: RecoveryLetter | null;
    }): Promise<Outcome<{ event: RecoveryEvent }, RecoveryRefusal>> {
      const found = await findRecoveryQuestion(db, input.questionId);
      if (!found) return notFound;
      const now = clock();
      return db.transaction(async (tx) => {
        const state = await lockRecoveryRequest(tx, found.request.id);
        // Read under the request's lock: a question waiting for its answer is locked with it, a closed one changes no more.
        const current = await findRecoveryQuestion(tx, input.questionId);
        if (!state || !current) return notFound;
        const decision = decideRecoveryAnswer(
          state,
          current.question,
          input.actor,
          { answer: input.answer, letter: input.letter },
          now,
          channel,
        );
        if (decision.kind !== 'ok') return decision;
        await applyEffects(tx, decision.value.effects, now);
        return ok({ event: decision.value.event });
      });
    },

    /**
     * One reminder per period for every request still waiting after it: in the thread while it
     * waits for support, by DM while it waits for the requester's answer. Returns how many went out.
     */
    remindOpen(): Promise<number> {
      const now = clock();
      return db.transaction(async (tx) => {
        let sent = 0;
        for (const request of await lockRequestsDueForReminder(tx, now, recovery.remindAfterMs)) {
          const decision = decideRecoveryReminder(request, now, recovery.remindAfterMs, channel);
          if (!decision) continue;
          await applyEffects(tx, decision.effects, now);
          sent++;
        }
        return sent;
      });
    },
  };
}

export type RecoveryWorkflow = ReturnType<typeof createRecoveryWorkflow>;
