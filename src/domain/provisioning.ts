import { audited, type Decision } from './effects.js';
import { invalid, ok, type Outcome } from './outcome.js';
import type { Workspace } from './workspace.js';
import { issueSetupInvitation, setupInvitationExpiresAt, type AccountStatus } from './setupInvitation.js';

/** What the provisioning API and support's "New Enterprise Account" modal ask for. */
export interface ProvisionInput {
  name: string;
  contractNumber: string;
  primaryContactUserId: string;
  /** The support member who filled in the modal, or `api`. */
  actor: string;
  /** The primary contact's workspace, where the account belongs; unknown with one workspace. */
  workspace?: Workspace;
  /** The workspace of the support member who filled in the modal (distributed: the provider's). */
  actorWorkspace?: Workspace;
}

/** The account as provisioned, and the setup invitation its primary contact gets. */
export interface Provisioned {
  account: { id: string; name: string; contractNumber: string; primaryContactUserId: string; status: AccountStatus };
  invitation: { id: string; expiresAt: Date };
}

/**
 * A new Enterprise Account, waiting to be set up: its primary contact becomes its first admin
 * and gets a setup invitation valid for `setupInviteTtlMs`. Refused as `invalid` on the name when
 * another account already has it (names are unique regardless of case).
 */
export function decideProvision(
  input: ProvisionInput,
  facts: { nameTaken: boolean },
  ids: { accountId: string; invitationId: string },
  now: Date,
  setupInviteTtlMs: number,
): Outcome<Decision<Provisioned>, never, 'name'> {
  if (facts.nameTaken) return invalid({ name: 'taken' });
  const account = {
    id: ids.accountId,
    name: input.name.trim(),
    contractNumber: input.contractNumber.trim(),
    primaryContactUserId: input.primaryContactUserId,
  };
  return ok({
    next: {
      account: { ...account, status: 'pending_setup' },
      invitation: { id: ids.invitationId, expiresAt: setupInvitationExpiresAt(now, setupInviteTtlMs) },
    },
    effects: [
      {
        type: 'create_account',
        account: {
          ...account,
          createdBy: input.actor,
          ...(input.workspace ? { teamId: input.workspace.teamId, enterpriseId: input.workspace.enterpriseId } : {}),
        },
      },
      { type: 'grant_admin', accountId: account.id, userId: account.primaryContactUserId, grantedBy: input.actor },
      audited({
        accountId: account.id,
        actor: input.actor,
        action: 'account.provisioned',
        subjectKind: 'account',
        subjectId: account.id,
        after: { name: account.name, contractNumber: account.contractNumber, primaryContact: account.primaryContactUserId },
      }),
      audited({
        accountId: account.id,
        actor: input.actor,
        action: 'admin.granted',
        subjectKind: 'admin',
        subjectId: account.primaryContactUserId,
        after: { admin: true, reason: 'primary contact' },
      }),
      ...issueSetupInvitation({
        id: ids.invitationId,
        accountId: account.id,
        holderUserId: account.primaryContactUserId,
        actor: input.actor,
        now,
        ttlMs: setupInviteTtlMs,
      }),
    ],
  });
}
