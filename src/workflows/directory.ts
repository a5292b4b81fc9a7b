import type { Answer, DirectoryPerson } from '../domain/directory.js';
import type { Workspace } from '../domain/workspace.js';

/**
 * What workflows ask Slack about people. `src/bot` implements these ports on the Web API; a
 * workflow never names Slack, and tests give it plain objects. Every question may come back
 * unanswered (`{ answered: false }`) when Slack is rate limited, down or too slow.
 */
export interface PeopleDirectory {
  /** A person's e-mail address (null when Slack knows none, or no such person). */
  emailOf(userId: string): Promise<Answer<string | null>>;
  /** Whether the person's Slack account is deactivated (`users.info`'s `deleted`); null when there is no such person. */
  isDeactivated(userId: string): Promise<Answer<boolean | null>>;
  /** The Slack user with this e-mail address (null when nobody has it). */
  userOfEmail(email: string): Promise<Answer<DirectoryPerson | null>>;
  /** A person's Slack name (real name, else display name); null when Slack knows none, or no such person. */
  nameOf?(userId: string): Promise<Answer<string | null>>;
}

/** Support is the members of the support channel. */
export interface SupportChannel {
  readonly channelId: string;
  /** Distributed: the provider's workspace (SUPPORT_TEAM_ID), where the channel is. */
  readonly teamId?: string | null;
  /**
   * Whether the person is a member (from a short-lived cache). Distributed, only people of the
   * provider's workspace can be: someone of another `workspace` never is, whatever their id.
   */
  isMember(userId: string, workspace?: Workspace): Promise<Answer<boolean>>;
  /** The members as Slack lists them now, for decisions that must not rest on a cache. */
  membersNow(): Promise<Answer<ReadonlySet<string>>>;
  /** Whether someone of `workspace` may be support at all (always, with one workspace). */
  inSupportWorkspace?(workspace: Workspace | undefined): boolean;
}
