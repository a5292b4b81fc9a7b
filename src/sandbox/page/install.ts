// Installing Vouch into a sandbox workspace the way a person does it in a browser, over HTTP
// through Vouch's real OAuth routes: its install page (which sets the state cookie), "Add to
// Slack" to the stand-in's authorize page, Allow, and back to Vouch's redirect URL with the code
// and the cookie, where Vouch exchanges the code with oauth.v2.access and stores the install.

import type { FakeSlack } from '../slack/index.js';

export const INSTALL_PATH = '/slack/install';

/** An install that did not complete: says which workspace, at which step, and what was answered. */
export class SandboxInstallError extends Error {}

export interface InstallRequest {
  /** Vouch's own base URL (its install page and redirect URL are under it). */
  botUrl: string;
  slack: FakeSlack;
  teamId: string;
  teamName: string;
  /** Who allows the app on the authorize page: a person of that workspace. */
  userId: string;
}

/** Runs one install; throws SandboxInstallError with the reason when any step fails. */
export async function installThroughOAuth(request: InstallRequest): Promise<void> {
  const { botUrl, slack, teamId, teamName, userId } = request;
  const failed = (step: string, detail: string) =>
    new SandboxInstallError(`Installing Vouch into the sandbox workspace “${teamName}” (${teamId}) failed at ${step}: ${detail}`);

  // 1. Vouch's install page: the state cookie, and the "Add to Slack" link.
  const installPage = await fetch(`${botUrl}${INSTALL_PATH}`, { redirect: 'manual' });
  const installHtml = await installPage.text();
  if (installPage.status !== 200)
    throw failed(`Vouch’s install page (${INSTALL_PATH})`, `HTTP ${installPage.status} ${snippet(installHtml)}`);
  // The cookie is `Secure; HttpOnly`: a browser would send it back over HTTPS only; this client
  // sends it back to Vouch on loopback, as the browser does for a deployed Vouch.
  const cookie = installPage.headers
    .getSetCookie()
    .map((header) => header.split(';')[0]!.trim())
    .filter((pair) => pair.includes('='))
    .join('; ');
  if (cookie === '') throw failed(`Vouch’s install page (${INSTALL_PATH})`, 'it set no state cookie');
  const href = /<a class="button" href="([^"]+)"/.exec(installHtml)?.[1];
  if (!href) throw failed(`Vouch’s install page (${INSTALL_PATH})`, 'it has no “Add to Slack” link');
  const authorizeLink = decodeHtml(href);
  if (!authorizeLink.startsWith(slack.authorizeUrl))
    throw failed('“Add to Slack”', `it leads to ${new URL(authorizeLink).origin}, not to the sandbox’s Slack stand-in`);

  // 2. Slack's authorize page: it must offer this workspace and person; then Allow.
  const authorizePage = await fetch(authorizeLink);
  const authorizeHtml = await authorizePage.text();
  if (authorizePage.status !== 200) throw failed('the stand-in’s authorize page', `HTTP ${authorizePage.status} ${snippet(authorizeHtml)}`);
  if (!authorizeHtml.includes(`value="${teamId}|${userId}"`))
    throw failed('the stand-in’s authorize page', `it does not offer to install as ${userId} in ${teamId}`);
  let back: string;
  try {
    back = await slack.approveInstall(authorizeLink, { teamId, userId });
  } catch (error) {
    throw failed('the stand-in’s authorize page', error instanceof Error ? error.message : String(error));
  }

  // 3. Back to Vouch's redirect URL with the code and the state cookie.
  const done = await fetch(back, { headers: { cookie }, redirect: 'manual' });
  const doneHtml = await done.text();
  if (done.status !== 200) throw failed(`Vouch’s redirect URL (${new URL(back).pathname})`, `HTTP ${done.status} ${snippet(doneHtml)}`);
}

function decodeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCharCode(Number.parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The words of an answer's page, short enough for one line of an error message. */
function snippet(html: string): string {
  const words = html
    .replace(/<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return words.length > 300 ? `${words.slice(0, 299)}…` : words;
}
