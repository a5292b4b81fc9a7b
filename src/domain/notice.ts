/**
 * One-off messages that tell someone the outcome of another person's action. They carry names
 * and facts, not wording: the bot renders the words when it delivers them.
 */
export type Notice =
  | { kind: 'invitee_accepted'; accountName: string; inviteeUserId: string; at: string }
  | { kind: 'invitee_declined'; accountName: string; inviteeUserId: string; at: string }
  | { kind: 'invitation_expired_unanswered'; accountName: string; inviteeUserId: string; at: string }
  | { kind: 'account_set_up'; accountName: string; byUserId: string; at: string };
