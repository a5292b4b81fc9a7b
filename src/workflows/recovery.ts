import type { RecoveryQuestion, RecoveryRequest } from '../db/schema.js';
import { findAccount, isAdmin } from '../db/accounts.js';
import {
  findRecoveryQuestion,
  findRecoveryRequest,
  lockRecoveryRequest,
  lockRequestsDueForReminder,
  recoveryTarget,
  storeCrossWorkspace,
  workspaceName,
} from '../db/recoveryRequests.js';
import type { Executor } from '../db/client.js';
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
import { applyEffects, effectScope } from './applyEffects.js';
import type { WorkflowDeps } from './deps.js';
import type { PeopleDirectory, SupportChannel } from './directory.js';
import { sameWorkspace, withNames, workspaceKey, type CrossWorkspace, type Workspace } from '../domain/workspace.js';
import { statusEffects, type PersonStatus } from './people.js';
import { countAdmins } from '../domain/people.js';

export interface RecoverySettings {
  /** Distinct support members who must approve (RECOVERY_APPROVALS). */
  approvalsRequired: number;
  /** A reminder in the thread of a request open this long, once per period (RECOVERY_REMIND_AFTER). */
  remindAfterMs: number;
}

export interface RecoveryDeps extends WorkflowDeps {
  people: PeopleDirectory;
  /** Distributed: the people of one customer's workspace, asked with its token (default: `people`). */
  peopleIn?: (teamId: string) => PeopleDirectory;
  support: SupportChannel;
  recovery: RecoverySettings;
}

const notFound = refused<RecoveryRefusal>({ reason: 'not_found' });

/**
 * Admin recovery: a request filed with a signed letter, decided by support in the support
 * channel (Approve with a quorum, or Reject with a reason), and reminded while it stays open.
 * Slack is asked before a transaction opens, never while it holds a lock.
 */
export function createRecoveryWorkflow({
  db,
  clock,
  newId,
  people: provider,
  peopleIn,
  support,
  recovery,
  workspaces = 'one',
}: RecoveryDeps) {
  const channel = support.channelId;
  /** The requester's workspace: where the new admin and the officer are looked up, and told. */
  const requesterWorkspace = (request: RecoveryRequest): Workspace => ({
    teamId: request.requesterTeamId,
    enterpriseId: request.requesterEnterpriseId,
  });
  const peopleOf = (teamId: string | null | undefined) => (peopleIn && teamId ? peopleIn(teamId) : provider);
  /** The decision's messages go to the requester's workspace (the support channel's to the provider's). */
  const scope = (request: RecoveryRequest, workspace: Workspace | undefined) =>
    effectScope(workspaces, request.requesterTeamId, workspace?.teamId ?? null);
  /** Support acts from the provider's workspace only. */
  const supportWorkspace = (workspace: Workspace | undefined) => support.inSupportWorkspace?.(workspace) ?? true;

  /**
   * Distributed, a request filed from a customer's workspace (not the provider's): each side's
   * people are named in words for the other, their names asked of their own workspace now.
   */
  const supportTeamId = workspaces === 'many' ? (support.teamId ?? null) : null;
  const crossingFrom = (teamId: string | null | undefined) => supportTeamId !== null && !!teamId && teamId !== supportTeamId;
  /** A support member's Slack name, for a request read across workspaces (undefined: not needed, or not asked). */
  const supportName = async (request: RecoveryRequest, actor: string): Promise<string | null | undefined> =>
    request.crossWorkspace && provider.nameOf ? answerOr(await provider.nameOf(actor), null) : undefined;
  /**
   * The locked request's names with those just found, for the decision to read; stored with the
   * decision (`saveNames`). Nothing to do for a request not read across workspaces.
   */
  const addNames = (
    request: RecoveryRequest,
    found: { requester?: Record<string, string | null | undefined>; support?: Record<string, string | null | undefined> },
  ) => {
    const cross = request.crossWorkspace;
    if (!cross) return;
    request.crossWorkspace = {
      requester: withNames(cross.requester, found.requester ?? {}),
      support: withNames(cross.support, found.support ?? {}),
    };
  };
  const saveNames = async (tx: Executor, request: RecoveryRequest) => {
    if (request.crossWorkspace) await storeCrossWorkspace(tx, request.id, request.crossWorkspace);
  };

  /**
   * The names of a request filed across workspaces: the requester's (asked of their workspace, by
   * users.info) and both workspaces' (as their installs say). A name Slack does not give is shown
   * as the user id with the workspace's name: never as a mention the other workspace cannot resolve.
   */
  const crossWorkspaceOf = async (
    people: PeopleDirectory,
    requester: string,
    requesterTeamId: string,
    supportTeam: string,
  ): Promise<CrossWorkspace> => {
    const [name, requesterTeamName, supportTeamName] = await Promise.all([
      people.nameOf ? people.nameOf(requester) : noAnswer,
      workspaceName(db, requesterTeamId),
      workspaceName(db, supportTeam),
    ]);
    return {
      requester: withNames({ teamId: requesterTeamId, teamName: requesterTeamName, names: {} }, { [requester]: answerOr(name, null) }),
      support: { teamId: supportTeam, teamName: supportTeamName, names: {} },
    };
  };

  /** Who the e-mail to add belongs to, and whether the actor is support, for a rejection or a question. */
  const rejectionFacts = async (request: RecoveryRequest, actor: string, workspace: Workspace | undefined) => {
    const [actorIsSupport, newAdmin] = await Promise.all([
      support.isMember(actor, workspace),
      peopleOf(request.requesterTeamId).userOfEmail(request.emailToAdd),
    ]);
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
      workspace?: Workspace;
      form: RecoveryForm;
      letter: RecoveryLetter;
    }): Promise<Outcome<{ id: string }>> {
      const { form, requester } = input;
      const people = peopleOf(input.workspace?.teamId);
      const requesterTeamId = input.workspace?.teamId ?? null;
      const crossing = crossingFrom(requesterTeamId);
      const [requesterEmail, officer, found, cross] = await Promise.all([
        people.emailOf(requester),
        people.userOfEmail(form.officerEmail.trim()),
        recoveryTarget(db, { accountName: form.accountName, emailToAdd: form.emailToAdd }),
        crossing && requesterTeamId && supportTeamId ? crossWorkspaceOf(people, requester, requesterTeamId, supportTeamId) : null,
      ]);
      // The primary contact is a person of the account's workspace, asked there; so are its admins:
      // each one's Slack account as Slack says it now (users.info), else as Vouch last heard.
      const accountPeople = found.account ? peopleOf(found.account.teamId) : people;
      const [primaryContactEmail, fresh] = await Promise.all([
        found.account ? accountPeople.emailOf(found.account.primaryContactUserId) : noAnswer,
        Promise.all(found.admins.map((a) => accountPeople.isDeactivated(a.userId))),
      ]);
      const seen: PersonStatus[] = found.admins.flatMap((a, i) => {
        const said = fresh[i];
        return said?.answered && said.value !== null ? [{ userId: a.userId, deactivated: said.value }] : [];
      });
      const admins = found.admins.map((a) => ({
        ...a,
        deactivated: seen.find((s) => s.userId === a.userId)?.deactivated ?? a.deactivated,
      }));
      const requesterAddress = answerOr(requesterEmail, null);
      const now = clock();
      const id = newId();
      const decision = decideRecoveryFiling({
        id,
        reference: input.reference,
        requesterUserId: requester,
        ...(input.workspace ? { requesterWorkspace: input.workspace } : {}),
        form,
        letter: input.letter,
        accountId: found.account?.id ?? null,
        facts: {
          account: found.account && {
            name: found.account.name,
            contractNumber: found.account.contractNumber,
            admins: countAdmins(admins),
            primaryContactEmail: answerOr(primaryContactEmail, null),
          },
          ...(workspaces === 'many' && found.account
            ? { requesterInAccountWorkspace: sameWorkspace(workspaces, found.account, input.workspace) }
            : {}),
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
      await db.transaction(async (tx) => {
        await applyEffects(
          tx,
          decision.effects,
          now,
          effectScope(workspaces, input.workspace?.teamId ?? null, input.workspace?.teamId ?? null),
        );
        // What Slack said of the account's admins, people of the account's workspace: kept under it,
        // and their Home tabs refreshed there.
        if (found.account && seen.length > 0)
          await applyEffects(
            tx,
            await statusEffects(tx, workspaceKey(workspaces, found.account), seen, now),
            now,
            effectScope(workspaces, found.account.teamId, null),
          );
        if (cross) await storeCrossWorkspace(tx, id, cross);
      });
      return ok({ id });
    },

    /**
     * One support member approves. The support channel's members are read from Slack now (not
     * from a cache) and the e-mail to add is resolved to a Slack user, both before the request is
     * locked; when Slack does not answer, the approval is refused and nothing is recorded.
     */
    async approve(input: {
      requestId: string;
      actor: string;
      workspace?: Workspace;
    }): Promise<Outcome<{ event: RecoveryEvent }, RecoveryRefusal>> {
      const seen = await findRecoveryRequest(db, input.requestId);
      if (!seen) return notFound;
      if (!supportWorkspace(input.workspace)) return refused({ reason: 'not_support' });
      const people = peopleOf(seen.requesterTeamId);
      const [supportMembers, newAdmin, officer, actorName] = await Promise.all([
        support.membersNow(),
        people.userOfEmail(seen.emailToAdd),
        people.userOfEmail(seen.officerEmail),
        supportName(seen, input.actor),
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
        const newAdminPerson = answerOr(newAdmin, null);
        addNames(request, {
          requester: {
            ...(newAdminPerson ? { [newAdminPerson.userId]: newAdminPerson.name } : {}),
            ...(officerPerson ? { [officerPerson.userId]: officerPerson.name } : {}),
          },
          support: { [input.actor]: actorName },
        });
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
        await saveNames(tx, request);
        await applyEffects(tx, decision.value.effects, now, scope(request, input.workspace));
        return ok({ event: decision.value.event });
      });
    },

    /** Whether `actor` may reject the request: asked before the reason form opens, so nobody writes a reason in vain. */
    async mayReject(input: {
      requestId: string;
      actor: string;
      workspace?: Workspace;
    }): Promise<Outcome<RecoveryRequest, RecoveryRefusal>> {
      const request = await findRecoveryRequest(db, input.requestId);
      if (!request) return notFound;
      const refusal = checkRecoveryRejection(
        { request, approverUserIds: [], question: null },
        input.actor,
        await rejectionFacts(request, input.actor, input.workspace),
      );
      return refusal ? refused(refusal) : ok(request);
    },

    /** A support member rejects the request with a reason for the requester. */
    async reject(input: {
      requestId: string;
      actor: string;
      workspace?: Workspace;
      reason: string;
    }): Promise<Outcome<{ event: RecoveryEvent }, RecoveryRefusal>> {
      const seen = await findRecoveryRequest(db, input.requestId);
      if (!seen) return notFound;
      const [facts, actorName] = await Promise.all([rejectionFacts(seen, input.actor, input.workspace), supportName(seen, input.actor)]);
      const now = clock();
      return db.transaction(async (tx) => {
        const state = await lockRecoveryRequest(tx, input.requestId);
        if (!state) return notFound;
        addNames(state.request, { support: { [input.actor]: actorName } });
        const decision = decideRecoveryRejection(state, input.actor, facts, input.reason, now, channel);
        if (decision.kind !== 'ok') return decision;
        await saveNames(tx, state.request);
        await applyEffects(tx, decision.value.effects, now, scope(state.request, input.workspace));
        return ok({ event: decision.value.event });
      });
    },

    /** Whether `actor` may ask the requester for more information: asked before the question form opens. */
    async mayAsk(input: { requestId: string; actor: string; workspace?: Workspace }): Promise<Outcome<RecoveryRequest, RecoveryRefusal>> {
      const request = await findRecoveryRequest(db, input.requestId);
      if (!request) return notFound;
      const refusal = checkRecoveryQuestion(
        { request, approverUserIds: [], question: null },
        input.actor,
        await rejectionFacts(request, input.actor, input.workspace),
      );
      return refusal ? refused(refusal) : ok(request);
    },

    /** A support member asks the requester for more information; the request waits for the answer. */
    async ask(input: {
      requestId: string;
      actor: string;
      workspace?: Workspace;
      question: string;
    }): Promise<Outcome<{ questionId: string }, RecoveryRefusal>> {
      const seen = await findRecoveryRequest(db, input.requestId);
      if (!seen) return notFound;
      const [facts, actorName] = await Promise.all([rejectionFacts(seen, input.actor, input.workspace), supportName(seen, input.actor)]);
      const now = clock();
      const questionId = newId();
      return db.transaction(async (tx) => {
        const state = await lockRecoveryRequest(tx, input.requestId);
        if (!state) return notFound;
        addNames(state.request, { support: { [input.actor]: actorName } });
        const decision = decideRecoveryQuestion(state, input.actor, facts, { questionId, question: input.question }, now, channel);
        if (decision.kind !== 'ok') return decision;
        await saveNames(tx, state.request);
        await applyEffects(tx, decision.value.effects, now, scope(state.request, input.workspace));
        return ok({ questionId });
      });
    },

    /** Whether `actor` may answer the question: asked before the answer form opens. */
    async mayAnswer(input: {
      questionId: string;
      actor: string;
      workspace?: Workspace;
    }): Promise<Outcome<{ question: RecoveryQuestion; request: RecoveryRequest }, RecoveryRefusal>> {
      const found = await findRecoveryQuestion(db, input.questionId);
      if (!found) return notFound;
      if (!sameWorkspace(workspaces, requesterWorkspace(found.request), input.workspace)) return refused({ reason: 'not_requester' });
      const refusal = checkRecoveryAnswer({ request: found.request, approverUserIds: [], question: null }, found.question, input.actor);
      return refusal ? refused(refusal) : ok(found);
    },

    /** The requester answers support's question, perhaps with a corrected letter; the request goes back to support. */
    async answer(input: {
      questionId: string;
      actor: string;
      workspace?: Workspace;
      answer: string;
      letter: RecoveryLetter | null;
    }): Promise<Outcome<{ event: RecoveryEvent }, RecoveryRefusal>> {
      const found = await findRecoveryQuestion(db, input.questionId);
      if (!found) return notFound;
      if (!sameWorkspace(workspaces, requesterWorkspace(found.request), input.workspace)) return refused({ reason: 'not_requester' });
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
        await applyEffects(tx, decision.value.effects, now, scope(state.request, input.workspace));
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
          await applyEffects(tx, decision.effects, now, effectScope(workspaces, request.requesterTeamId, null));
          sent++;
        }
        return sent;
      });
    },
  };
}

export type RecoveryWorkflow = ReturnType<typeof createRecoveryWorkflow>;
