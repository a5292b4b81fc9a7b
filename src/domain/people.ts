import { audited, queue, type Effect } from './effects.js';
import { outboxKey } from './outboxKeys.js';

/**
 * What Vouch knows of a person's Slack account: whether it is deactivated. Slack tells with the
 * `user_change` event, and with `deleted: true` whenever Vouch reads the person (`users.info`).
 * A deactivated person keeps their memberships (reactivated, they are an admin again) but is not
 * an active admin: they count for nothing in the last-admin rule, the recovery check and the Home
 * tab's count.
 */
export interface AdminPerson {
  userId: string;
  deactivated: boolean;
}

/** The admins who can act: those whose Slack account is not deactivated. */
export const activeOnes = <P extends AdminPerson>(admins: readonly P[]): P[] => admins.filter((a) => !a.deactivated);

/** How many admins an account has, and how many of them are deactivated in Slack. */
export interface AdminCount {
  active: number;
  deactivated: number;
}

export const countAdmins = (admins: readonly AdminPerson[]): AdminCount => {
  const active = activeOnes(admins).length;
  return { active, deactivated: admins.length - active };
};

/** The flag to keep for a person (a user id in the workspace of `workspaceKey`), as Slack last said it. */
export const personStatus = (workspaceKey: string, userId: string, deactivated: boolean): Effect => ({
  type: 'person_status',
  workspaceKey,
  userId,
  deactivated,
});

/**
 * Slack says a person's account is (or is no longer) deactivated. When that changes what Vouch
 * knew, the flag is kept, and for each account the person holds `manage` on, its audit trail
 * says so and its admins' Home tabs are refreshed (they count active admins).
 */
export function decidePersonChange(
  facts: {
    /** What Vouch knew before; null when it never heard of the person. */
    wasDeactivated: boolean | null;
    /** The accounts the person holds `manage` on (accounts of their workspace), with every admin of each. */
    administered: ReadonlyArray<{ accountId: string; adminUserIds: readonly string[] }>;
  },
  /** `workspaceKey`: the person's workspace (see `workspaceKey`); '' with one workspace. */
  input: { workspaceKey: string; userId: string; deactivated: boolean },
  now: Date,
): Effect[] {
  // Nothing is stored for a person never seen deactivated: no row means active. So a profile
  // edit (Slack sends user_change for those too) writes nothing.
  if ((facts.wasDeactivated ?? false) === input.deactivated) return [];
  const effects: Effect[] = [personStatus(input.workspaceKey, input.userId, input.deactivated)];
  for (const account of facts.administered) {
    effects.push(
      audited({
        accountId: account.accountId,
        actor: 'slack',
        action: input.deactivated ? 'admin.deactivated_in_slack' : 'admin.reactivated_in_slack',
        subjectKind: 'admin',
        subjectId: input.userId,
        before: { deactivated: !input.deactivated },
        after: { deactivated: input.deactivated },
      }),
    );
  }
  for (const admin of new Set(facts.administered.flatMap((a) => a.adminUserIds))) {
    effects.push(queue(outboxKey.home(admin, input.userId, now.getTime()), { type: 'home', userId: admin }));
  }
  return effects;
}
