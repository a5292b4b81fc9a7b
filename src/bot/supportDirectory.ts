import type { WebClient } from '@slack/web-api';

/**
 * Who is support: the members of the support channel, asked of Slack and cached briefly so a
 * busy review does not call conversations.members on every click.
 */
export class SupportDirectory {
  private cached: { members: Set<string>; until: number } | null = null;

  constructor(
    private readonly client: WebClient,
    readonly channelId: string,
    private readonly clock: () => Date,
    private readonly ttlMs = 60_000,
  ) {}

  async isMember(userId: string): Promise<boolean> {
    return (await this.members()).has(userId);
  }

  async members(): Promise<Set<string>> {
    const now = this.clock().getTime();
    if (this.cached && now < this.cached.until) return this.cached.members;
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
  }
}
