import { currentAdmins, findAccount, findAccountByName, isAdmin, lockAccount, type CurrentAdmin } from '../db/accounts.js';
import { auditPage, auditSubjects, type AuditPage, type AuditSubjects } from '../db/audit.js';
import { lockLiveDelegations, lockNextSteps, lockPendingInvitations } from '../db/invitations.js';
import type { Account } from '../db/schema.js';
import { crossWorkspaceGrants, workspaceName } from '../db/recoveryRequests.js';
import {
  checkRemoveAdmin,
  decideAuditExport,
  decideAddAdmin,
  decideRemoveAdmin,
  mayReadAccount,
  type AddAdminRefusal,
  type RemoveAdminRefusal,
} from '../domain/admins.js';
import { ok, refused, type Outcome } from '../domain/outcome.js';
import { applyEffects, effectScope } from './applyEffects.js';
import type { WorkflowDeps } from './deps.js';
import { sameWorkspace, type AdminsInWords, type Workspace } from '../domain/workspace.js';

export type AddAdminOutcome = Outcome<null, AddAdminRefusal>;
export type RemoveAdminOutcome = Outcome<null, RemoveAdminRefusal>;
/** A confirmed removal: the account it was about, whatever the answer. */
export type ConfirmedRemoveOutcome = Outcome<{ account: Account }, RemoveAdminRefusal & { account: { name: string } }>;
/** The reader is neither an admin of the account nor support, or there is no such account: the same answer. */
export type Unreadable = { reason: 'not_readable' };
type WhichAccount = { accountName: string } | { accountId: string };
/** Whether the reader is support: a Slack call, so asked only when being an admin does not settle it. */
type Reader = { userId: string; workspace?: Workspace; isSupport: () => Promise<boolean> };

/** `/enterprise admins`, `add-admin`, `remove-admin`, `audit`, and the audit trail's "Older events". */
export function createAdminsWorkflow({ db, clock, workspaces = 'one' }: WorkflowDeps) {
  /** Whether `actor` of `workspace` is an admin of the account: the same user id in another workspace is someone else. */
  const adminOf = async (account: Account, actor: string, workspace: Workspace | undefined) =>
    sameWorkspace(workspaces, account, workspace) && (await isAdmin(db, account.id, actor));
  const scope = (account: Account, workspace: Workspace | undefined) => effectScope(workspaces, account.teamId, workspace?.teamId ?? null);

  /**
   * Distributed, who in the admins' list is of another workspace than the reader's: the support
   * member who added an admin through a recovery request (for readers in the account's workspace),
   * or the account's people (for support, in the provider's).
   */
  async function adminsInWords(account: Account, reader: Reader): Promise<AdminsInWords> {
    const grants = await crossWorkspaceGrants(db, account.id);
    const words: AdminsInWords = { readerTeamId: reader.workspace?.teamId ?? null, grantedBySupport: {} };
    for (const g of grants) words.grantedBySupport[g.addedUserId] = g.cross.support;
    if (awayReader(account, reader) && account.teamId)
      words.account = await accountInWords(
        account.teamId,
        grants.map((g) => g.cross.requester.names),
      );
    return words;
  }

  /** Distributed, the reader's workspace when it is not the account's (support, reading from the provider's); else null. */
  const awayReader = (account: Account, reader: Reader): string | null => {
    const readerTeamId = reader.workspace?.teamId ?? null;
    return workspaces === 'many' && readerTeamId && account.teamId && readerTeamId !== account.teamId ? readerTeamId : null;
  };

  /** The account's workspace (`teamId`) in words, with the Slack names Vouch keeps of its people. */
  const accountInWords = async (teamId: string, names: Array<Record<string, string | null>>) => ({
    teamId,
    teamName: await workspaceName(db, teamId),
    names: Object.assign({}, ...names) as Record<string, string | null>,
  });

  /** The account, if `reader` may read its admins and audit trail. */
  async function readable(which: WhichAccount, reader: Reader): Promise<Account | null> {
    const account = 'accountId' in which ? await findAccount(db, which.accountId) : await findAccountByName(db, which.accountName);
    if (!account) return null;
    const admin = await adminOf(account, reader.userId, reader.workspace);
    return mayReadAccount({ isAdmin: admin, isSupport: !admin && (await reader.isSupport()) }) ? account : null;
  }

  return {
    /** The account named, if `actor` is one of its admins (who alone may change them). */
    async administered(input: { accountName: string; actor: string; workspace?: Workspace }): Promise<Account | null> {
      const account = await findAccountByName(db, input.accountName);
      return account && (await adminOf(account, input.actor, input.workspace)) ? account : null;
    },

    /** The account's admins, for its admins and support. */
    async list(
      input: WhichAccount & { reader: Reader },
    ): Promise<Outcome<{ account: Account; admins: CurrentAdmin[]; words?: AdminsInWords }, Unreadable>> {
      const account = await readable(input, input.reader);
      if (!account) return refused({ reason: 'not_readable' });
      const admins = await currentAdmins(db, account.id);
      if (workspaces !== 'many') return ok({ account, admins });
      return ok({ account, admins, words: await adminsInWords(account, input.reader) });
    },

    /** A page of the account's audit trail, newest first, older than `beforeSeq` if given. */
    async audit(
      input: WhichAccount & { reader: Reader; beforeSeq: number | null },
    ): Promise<Outcome<{ account: Account; page: AuditPage; subjects: AuditSubjects }, Unreadable>> {
      const account = await readable(input, input.reader);
      if (!account) return refused({ reason: 'not_readable' });
      const page = await auditPage(db, account.id, input.beforeSeq);
      const subjects = await auditSubjects(db, page.events);
      const readerTeamId = awayReader(account, input.reader);
      if (readerTeamId && account.teamId) {
        // Its people's mentions would not resolve in the reader's workspace: they are named in words.
        const names = Object.values(subjects.recoveries).flatMap((r) =>
          r.crossWorkspace?.requester.teamId === account.teamId ? [r.crossWorkspace.requester.names] : [],
        );
        subjects.readAway = { readerTeamId, account: await accountInWords(account.teamId, names) };
      }
      return ok({ account, page, subjects });
    },

    /** The account's whole audit trail as a CSV file in the reader's DM (queued; the outbox uploads it). */
    async exportAudit(input: WhichAccount & { reader: Reader }): Promise<Outcome<{ account: Account }, Unreadable>> {
      const account = await readable(input, input.reader);
      if (!account) return refused({ reason: 'not_readable' });
      const now = clock();
      await db.transaction((tx) =>
        // The file goes to the reader's DM, in the reader's workspace (support's: the provider's).
        applyEffects(
          tx,
          decideAuditExport(account, input.reader.userId, now),
          now,
          effectScope(workspaces, input.reader.workspace?.teamId ?? account.teamId, input.reader.workspace?.teamId ?? null),
        ),
      );
      return ok({ account });
    },

    /** An admin gives `manage` to someone else; they are told by DM. */
    add(input: { accountId: string; userId: string; actor: string; workspace?: Workspace }): Promise<AddAdminOutcome> {
      const now = clock();
      return db.transaction(async (tx): Promise<AddAdminOutcome> => {
        const account = await lockAccount(tx, input.accountId);
        if (!account || !sameWorkspace(workspaces, account, input.workspace)) return refused({ reason: 'not_allowed' });
        const [actorIsAdmin, targetIsAdmin] = await Promise.all([
          isAdmin(tx, account.id, input.actor),
          isAdmin(tx, account.id, input.userId),
        ]);
        const decision = decideAddAdmin({ account, actorIsAdmin, targetIsAdmin }, input, now);
        if (decision.kind !== 'ok') return decision;
        await applyEffects(tx, decision.value.effects, now, scope(account, input.workspace));
        return ok(null);
      });
    },

    /** Whether `actor` may remove `userId` now, before they are asked to confirm; changes nothing. */
    async checkRemove(input: { accountId: string; userId: string; actor: string }): Promise<RemoveAdminOutcome> {
      const refusal = checkRemoveAdmin(await currentAdmins(db, input.accountId), input);
      return refusal ? refused(refusal) : ok(null);
    },

    /** Removes `manage` from someone (never the last admin), and what they held with it. */
    remove(input: { accountId: string; userId: string; actor: string; workspace?: Workspace }): Promise<ConfirmedRemoveOutcome> {
      const now = clock();
      return db.transaction(async (tx): Promise<ConfirmedRemoveOutcome> => {
        const account = await lockAccount(tx, input.accountId);
        if (!account) return refused({ reason: 'not_allowed', account: { name: 'this account' } });
        if (!sameWorkspace(workspaces, account, input.workspace))
          return refused({ reason: 'not_allowed', account: { name: account.name } });
        const [admins, held, delegations, nextSteps] = await Promise.all([
          currentAdmins(tx, account.id),
          lockPendingInvitations(tx, account.id, input.userId),
          lockLiveDelegations(tx, account.id, input.userId),
          lockNextSteps(tx, account.id, input.userId),
        ]);
        const decision = decideRemoveAdmin({ account, admins, held, delegations, nextSteps }, input, now);
        if (decision.kind !== 'ok') return refused({ ...decision.refusal, account: { name: account.name } });
        await applyEffects(tx, decision.value.effects, now, scope(account, input.workspace));
        return ok({ account });
      });
    },
  };
}

export type AdminsWorkflow = ReturnType<typeof createAdminsWorkflow>;
