import { classifySlackError } from './retry.js';

/** What `conversations.info` said about the support channel, or the error it answered with. */
export type SupportChannelInfo = { name: string; isPrivate: boolean; isArchived: boolean } | { error: string };

/**
 * Whether the support channel may stand for support. Its members approve recoveries and read
 * every account's admins and audit trail, so it must be private: in a public channel anyone can
 * join. `permanent` problems are configuration errors; the others (Slack did not answer) may pass.
 */
export type SupportChannelVerdict =
  | { ok: true; isPrivate: boolean; warning: string | null }
  | { ok: false; isPrivate: boolean | null; permanent: boolean; problem: string };

export function judgeSupportChannel(channelId: string, info: SupportChannelInfo, allowPublic: boolean): SupportChannelVerdict {
  if ('error' in info) {
    const permanent = classifySlackError(info.error).kind === 'permanent';
    return {
      ok: false,
      isPrivate: null,
      permanent,
      problem: permanent
        ? `SUPPORT_CHANNEL_ID ${channelId} cannot be read (${info.error}): check the id, and invite the bot to the channel (Slack shows a private channel only to its members).`
        : `SUPPORT_CHANNEL_ID ${channelId} could not be checked: Slack did not answer (${info.error}).`,
    };
  }
  if (info.isArchived) {
    return {
      ok: false,
      isPrivate: info.isPrivate,
      permanent: true,
      problem: `SUPPORT_CHANNEL_ID ${channelId} (#${info.name}) is archived: choose the channel support works in now.`,
    };
  }
  if (info.isPrivate) return { ok: true, isPrivate: true, warning: null };
  const risk = `anyone in the workspace who joins it becomes support, who approve admin recoveries and read every account’s admins and audit trail`;
  if (allowPublic) {
    return {
      ok: true,
      isPrivate: false,
      warning: `SUPPORT_CHANNEL_ID ${channelId} (#${info.name}) is a public channel and SUPPORT_CHANNEL_ALLOW_PUBLIC=true: ${risk}.`,
    };
  }
  return {
    ok: false,
    isPrivate: false,
    permanent: true,
    problem: `SUPPORT_CHANNEL_ID ${channelId} (#${info.name}) is a public channel: ${risk}. Make it private (or use a private channel), or set SUPPORT_CHANNEL_ALLOW_PUBLIC=true to accept this deliberately.`,
  };
}
