import type { WorkspaceInWords } from './workspace.js';

/** Why an approval stopped counting towards a recovery request's quorum. */
export type ApprovalWithdrawal = 'left_support' | 'is_person_to_add' | 'letter_replaced';

/**
 * One-off messages that tell someone the outcome of another person's action. They carry names
 * and facts, not wording: the bot renders the words when it delivers them.
 */
export type Notice =
  | { kind: 'invitee_accepted'; accountName: string; inviteeUserId: string; at: string }
  | { kind: 'invitee_declined'; accountName: string; inviteeUserId: string; at: string }
  | { kind: 'invitation_expired_unanswered'; accountName: string; inviteeUserId: string; at: string }
  | { kind: 'account_set_up'; accountName: string; byUserId: string; at: string }
  // `at`: when the reminder was decided, so it can say how long is left (absent in reminders queued before it was added).
  | { kind: 'setup_reminder'; accountName: string; expiresAt: string; at?: string }
  | { kind: 'confirmation_reminder'; accountName: string; inviteeUserId: string; expiresAt: string; at?: string }
  | { kind: 'admin_added'; accountName: string; byUserId: string }
  | { kind: 'admin_removed'; accountName: string; byUserId: string }
  // Recovery, in the request's thread in the support channel:
  | { kind: 'recovery_vote'; reference: string; byUserId: string; approvals: number; required: number }
  | {
      kind: 'recovery_approved';
      reference: string;
      byUserId: string;
      addedUserId: string;
      accountName: string;
      /** Told by DM, as the new admin too when they asked for their own address. */
      requesterUserId: string;
      /** The officer's Slack user, told by DM; or their address when they are not in the workspace. */
      officer: { userId: string } | { email: string };
      /** Distributed, from a customer's workspace: its people (requester, new admin, officer) in words. */
      requesterWorkspace?: WorkspaceInWords;
    }
  | { kind: 'recovery_blocked'; reference: string; problem: string }
  | { kind: 'recovery_approval_withdrawn'; reference: string; approverUserId: string; why: ApprovalWithdrawal }
  | { kind: 'recovery_rejected'; reference: string; byUserId: string; reason: string }
  | { kind: 'recovery_reminder'; reference: string; openSince: string }
  | {
      kind: 'recovery_info_requested';
      reference: string;
      byUserId: string;
      requesterUserId: string;
      question: string;
      /** Distributed, from a customer's workspace: the requester in words. */
      requesterWorkspace?: WorkspaceInWords;
    }
  | {
      kind: 'recovery_info_provided';
      reference: string;
      requesterUserId: string;
      askedBy: string;
      question: string;
      answer: string;
      /** The corrected letter that came with the answer (uploaded below it), if any. */
      letter: { name: string; sha256: string } | null;
      /** Approvals given for the previous letter, which no longer count. */
      withdrawnApprovers: string[];
      /** Distributed, from a customer's workspace: the requester in words. */
      requesterWorkspace?: WorkspaceInWords;
    }
  // Recovery, by DM:
  | {
      kind: 'recovery_granted';
      audience: 'requester' | 'new_admin' | 'officer';
      reference: string;
      accountName: string;
      addedUserId: string;
      requesterUserId: string;
      officerName: string;
    }
  | { kind: 'recovery_declined'; reference: string; accountName: string; reason: string }
  | { kind: 'recovery_info_reminder'; reference: string; askedAt: string };
