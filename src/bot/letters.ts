import { createHash } from 'node:crypto';
import type { WebClient } from '@slack/web-api';

const MAX_LETTER_BYTES = 20 * 1024 * 1024;

export interface Letter {
  fileId: string;
  name: string;
  permalink: string | null;
  sha256: string;
}

/**
 * Reads the uploaded letter with the bot token and fingerprints its bytes, so support can tell
 * later that the file they saw is the file that was approved.
 */
export async function fingerprintLetter(client: WebClient, fileId: string): Promise<Letter> {
  const { file } = await client.files.info({ file: fileId });
  const url = file?.url_private_download ?? file?.url_private;
  if (!file || !url) throw new Error(`file ${fileId} has no download URL`);
  const response = await fetch(url, { headers: { authorization: `Bearer ${client.token}` } });
  if (!response.ok) throw new Error(`downloading the letter failed with HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length > MAX_LETTER_BYTES) throw new Error('the letter is larger than 20 MB');
  return {
    fileId,
    name: file.name ?? fileId,
    permalink: file.permalink ?? null,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** A Slack user's e-mail address, or null when Slack does not know it. */
export async function emailOf(client: WebClient, userId: string): Promise<string | null> {
  try {
    return (await client.users.info({ user: userId })).user?.profile?.email ?? null;
  } catch {
    return null;
  }
}

/** The active person with this e-mail address, or why there is none. */
export async function userByEmail(client: WebClient, email: string): Promise<{ userId: string } | { problem: string }> {
  try {
    const { user } = await client.users.lookupByEmail({ email });
    if (!user?.id) return { problem: `No one in this workspace has the e-mail address ${email}.` };
    if (user.deleted) return { problem: `The Slack account with ${email} is deactivated.` };
    if (user.is_bot) return { problem: `${email} belongs to an app, not a person.` };
    return { userId: user.id };
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code === 'users_not_found')
      return { problem: `No one in this workspace has the e-mail address ${email}. Ask them to join Slack, then approve again.` };
    return { problem: `Slack could not look up ${email} (${code ?? 'unreachable'}). Try approving again in a moment.` };
  }
}
