// The workspace the stand-in keeps: the team and the bot's identity, users, channels and DMs,
// files, and the ids, timestamps and hashes Slack would hand out. Messages and views are kept
// beside it (messages.ts, views.ts); every change is announced through `onChange`.

import { randomBytes } from 'node:crypto';

import { normalizeBlocks, type Json } from './blockKit.js';
import type {
  AddChannelInput,
  AddFileInput,
  AddUserInput,
  FakeChannel,
  FakeFile,
  FakeSlackChange,
  FakeSlackOptions,
  FakeUser,
  PendingUpload,
} from './types.js';

export interface SlackStateOptions extends FakeSlackOptions {
  /** Where the stand-in listens (file URLs, permalinks); throws while it is not started. */
  baseUrl: () => string;
  onChange: (change: FakeSlackChange) => void;
}

export class SlackState {
  readonly teamId: string;
  readonly teamDomain: string;
  readonly teamName: string;
  /** The Enterprise Grid organization the workspace belongs to, if any. */
  readonly enterpriseId: string | undefined;
  readonly enterpriseName: string | undefined;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly now: () => number;
  readonly triggerTtlMs: number;

  readonly userMap = new Map<string, FakeUser>();
  readonly channelMap = new Map<string, FakeChannel>();
  readonly fileMap = new Map<string, FakeFile>();
  /** Uploads begun with files.getUploadURLExternal, by upload id, until completed. */
  readonly uploads = new Map<string, PendingUpload>();

  private readonly baseUrlOf: () => string;
  private readonly onChange: (change: FakeSlackChange) => void;
  private seq = 0;
  private lastTsMicros = 0n;

  constructor(options: SlackStateOptions) {
    this.teamId = options.teamId ?? 'T0VOUCH';
    this.teamDomain = options.teamDomain ?? 'vouch-sandbox';
    this.teamName = options.teamName ?? 'Vouch Sandbox';
    this.enterpriseId = options.enterpriseId;
    this.enterpriseName = options.enterpriseId ? (options.enterpriseName ?? options.enterpriseId) : undefined;
    this.botUserId = options.botUserId ?? 'U0VOUCHBOT';
    this.botId = options.botId ?? 'B0VOUCH';
    this.appId = options.appId ?? 'A0VOUCH';
    this.botToken = options.botToken ?? 'xoxb-fake';
    this.appToken = options.appToken ?? 'xapp-fake';
    this.now = options.now ?? Date.now;
    this.triggerTtlMs = options.triggerTtlMs ?? 3000;
    this.baseUrlOf = options.baseUrl;
    this.onChange = options.onChange;
    // The bot exists as a user so users.info / cannot_dm_bot behave like Slack.
    this.addUser({ id: this.botUserId, name: 'vouch', realName: 'Vouch', isBot: true });
  }

  get baseUrl(): string {
    return this.baseUrlOf();
  }

  change(change: FakeSlackChange): void {
    this.onChange(change);
  }

  // -------------------------------------------------------------------------
  // Ids, timestamps, hashes
  // -------------------------------------------------------------------------

  nextId(prefix: string): string {
    return prefix + this.nextSeq().toString(36).toUpperCase().padStart(8, '0');
  }

  /** The counter behind ids and trigger ids. */
  nextSeq(): number {
    return ++this.seq;
  }

  /** Unique, increasing ts derived from the clock (µs precision, like Slack's). */
  nextTs(): string {
    let micros = BigInt(Math.floor(this.now())) * 1000n;
    if (micros <= this.lastTsMicros) micros = this.lastTsMicros + 1n;
    this.lastTsMicros = micros;
    return `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}`;
  }

  newHash(): string {
    return `${Math.floor(this.now() / 1000)}.${randomBytes(4).toString('hex')}`;
  }

  /** Fills in the block_id / action_id Slack generates where the bot left them out. */
  normalize(blocks: unknown[]): Json[] {
    return normalizeBlocks(blocks, (kind) => (kind === 'block' ? this.nextId('b') : this.nextId('a')).toLowerCase()) as Json[];
  }

  // -------------------------------------------------------------------------
  // Users
  // -------------------------------------------------------------------------

  addUser(input: AddUserInput): FakeUser {
    const user: FakeUser = {
      id: input.id,
      name: input.name,
      realName: input.realName ?? input.name,
      displayName: input.displayName ?? input.name,
      isBot: input.isBot ?? false,
      deleted: input.deleted ?? false,
      ...(input.email !== undefined ? { email: input.email } : {}),
    };
    this.userMap.set(user.id, user);
    return user;
  }

  /** A user as users.info, users.list and users.lookupByEmail show them. */
  userPayload(user: FakeUser): Json {
    return {
      id: user.id,
      team_id: this.teamId,
      name: user.name,
      real_name: user.realName,
      deleted: user.deleted,
      is_bot: user.isBot,
      is_app_user: false,
      profile: {
        email: user.email,
        real_name: user.realName,
        display_name: user.displayName,
        display_name_normalized: user.displayName,
        ...(user.isBot ? { bot_id: this.botId } : {}),
      },
    };
  }

  // -------------------------------------------------------------------------
  // Channels and DMs
  // -------------------------------------------------------------------------

  addChannel(input: AddChannelInput): FakeChannel {
    const channel: FakeChannel = {
      id: input.id,
      name: input.name,
      kind: input.isPrivate ? 'private' : 'channel',
      members: [...input.members],
    };
    this.channelMap.set(channel.id, channel);
    return channel;
  }

  setChannelMembers(id: string, members: string[]): void {
    const channel = this.channelMap.get(id);
    if (!channel) throw new Error(`Unknown channel ${id}`);
    channel.members = [...members];
  }

  setChannelPrivate(id: string, isPrivate: boolean): void {
    const channel = this.channelMap.get(id);
    if (!channel || (channel.kind !== 'channel' && channel.kind !== 'private')) throw new Error(`Unknown channel ${id}`);
    channel.kind = isPrivate ? 'private' : 'channel';
  }

  /** The channel a call names: a user id stands for the DM with them. */
  channelKey(channel: string): string {
    return /^[UW]/.test(channel) ? this.dmIdFor(channel) : channel;
  }

  dmIdFor(userId: string): string {
    return /^[UW]/.test(userId) ? `D${userId.slice(1)}` : `D${userId}`;
  }

  ensureDm(userId: string): FakeChannel {
    const id = this.dmIdFor(userId);
    let channel = this.channelMap.get(id);
    if (!channel) {
      channel = { id, name: userId, kind: 'im', members: [userId, this.botUserId], user: userId };
      this.channelMap.set(id, channel);
    }
    return channel;
  }

  canSee(channel: FakeChannel, userId: string): boolean {
    return channel.kind === 'im' ? channel.user === userId : channel.members.includes(userId);
  }

  // -------------------------------------------------------------------------
  // Files
  // -------------------------------------------------------------------------

  addFile(input: AddFileInput): FakeFile {
    const file: FakeFile = {
      id: input.id ?? this.nextId('F'),
      name: input.name,
      mimetype: input.mimetype,
      size: input.content.length,
      content: input.content,
      user: input.user,
      created: Math.floor(this.now() / 1000),
      ...(input.serving ? { serving: input.serving } : {}),
    };
    this.fileMap.set(file.id, file);
    return file;
  }

  /** The file as Slack's API (files.info, file_input state) shows it. */
  fileObject(id: string): Json | undefined {
    const file = this.fileMap.get(id);
    if (!file) return undefined;
    const foreign = file.serving?.url;
    const urlPrivate = foreign ?? `${this.baseUrl}/files/${file.id}/${encodeURIComponent(file.name)}`;
    return {
      id: file.id,
      created: file.created,
      timestamp: file.created,
      name: file.name,
      title: file.name,
      mimetype: file.mimetype,
      filetype: file.name.includes('.') ? file.name.split('.').pop() : 'binary',
      user: file.user,
      size: file.serving?.declaredSize ?? file.size,
      mode: foreign ? 'external' : 'hosted',
      is_external: Boolean(foreign),
      is_public: false,
      url_private: urlPrivate,
      url_private_download: foreign ?? `${urlPrivate}?download=1`,
      permalink: `${this.baseUrl}/files/${file.user}/${file.id}/${encodeURIComponent(file.name)}`,
    };
  }
}
