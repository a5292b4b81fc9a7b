import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { judgeSupportChannel, type SupportChannelInfo, type SupportChannelVerdict } from '../domain/supportChannel.js';
import { isWorkspaceUnavailable } from './installations/errors.js';
import type { Workspace } from '../domain/workspace.js';

function slackErrorCode(error: unknown): string {
  const e = error as { data?: { error?: string }; code?: string };
  if (e.data?.error) return e.data.error;
  return e.code === 'slack_webapi_rate_limited_error' ? 'ratelimited' : 'unreachable';
}

/**
 * Who is support: the members of the support channel, asked of Slack and cached briefly so a
 * busy review does not call conversations.members on every click. The channel must be private
 * (see `judgeSupportChannel`): while it is not, no one is support.
 */
export class SupportDirectory {
  private cached: { members: Set<string>; until: number } | null = null;
  private checked: { verdict: SupportChannelVerdict; until: number } | null = null;
  private readonly allowPublic: boolean;
  private readonly ttlMs: number;
  private readonly logger: Logger | undefined;
  /** Distributed: the provider's workspace (SUPPORT_TEAM_ID), the only one whose people can be support. */
  readonly teamId: string | null;

  constructor(
    private readonly client: WebClient,
    readonly channelId: string,
    private readonly clock: () => Date,
    options: { allowPublic?: boolean; ttlMs?: number; logger?: Logger; teamId?: string } = {},
  ) {
    this.teamId = options.teamId ?? null;
    this.allowPublic = options.allowPublic ?? false;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.logger = options.logger;
  }

  /**
   * Whether the person is support. Distributed, only a member of the channel in the provider's
   * workspace: a person of a customer's workspace is never support, whatever their user id, so
   * their workspace must be given and be SUPPORT_TEAM_ID.
   */
  async isMember(userId: string, workspace?: Workspace): Promise<boolean> {
    if (!this.inSupportWorkspace(workspace)) return false;
    return (await this.members()).has(userId);
  }

  /** Whether someone of `workspace` may be support at all (always, with one workspace). */
  inSupportWorkspace(workspace: Workspace | undefined): boolean {
    return this.teamId === null || workspace?.teamId === this.teamId;
  }

  /** The channel as Slack describes it now, judged; an answer is kept as long as the members are. */
  async verdict(): Promise<SupportChannelVerdict> {
    const now = this.clock().getTime();
    if (this.checked && now < this.checked.until) return this.checked.verdict;
    let info: SupportChannelInfo;
    try {
      const { channel } = await this.client.conversations.info({ channel: this.channelId });
      info = { name: channel?.name ?? this.channelId, isPrivate: channel?.is_private === true, isArchived: channel?.is_archived === true };
    } catch (error) {
      // Distributed: the provider's workspace has not installed Vouch (yet), or no longer has it.
      if (isWorkspaceUnavailable(error)) {
        return {
          ok: false,
          isPrivate: null,
          permanent: false,
          problem: `SUPPORT_CHANNEL_ID ${this.channelId} cannot be read: ${error.message}. Install Vouch into the provider’s workspace (SUPPORT_TEAM_ID) from /slack/install first; until then no one is support.`,
        };
      }
      info = { error: slackErrorCode(error) };
    }
    const verdict = judgeSupportChannel(this.channelId, info, this.allowPublic);
    // Slack not answering is asked again next time; an answer is kept for a while.
    this.checked = verdict.ok || verdict.permanent ? { verdict, until: now + this.ttlMs } : null;
    return verdict;
  }

  async members(): Promise<Set<string>> {
    const now = this.clock().getTime();
    if (this.cached && now < this.cached.until) return this.cached.members;
    const verdict = await this.verdict();
    if (!verdict.ok) {
      if (!verdict.permanent) throw new Error(verdict.problem);
      this.logger?.error({ channel: this.channelId }, `${verdict.problem} Until this is fixed, no one is support.`);
      this.cached = { members: new Set(), until: now + this.ttlMs };
      return this.cached.members;
    }
    const members = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.client.conversations.members({ channel: this.channelId, limit: 200, ...(cursor ? { cursor } : {}) });
      for (const id of page.members ?? []) members.add(id);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    this.cached = { members, until: now + this.ttlMs };
    return members;
  }

  forget(): void {
    this.cached = null;
    this.checked = null;
  }
}
