import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HTTPReceiverOptions, Installation, InstallURLOptions } from '@slack/bolt';
import type { Logger } from 'pino';

/** The pages a person sees while installing Vouch: what it asks, and what happened, in words. */

/** Bolt's callbackOptions (@slack/oauth's CallbackOptions, which Bolt does not export by name). */
type CallbackOptions = NonNullable<NonNullable<HTTPReceiverOptions['installerOptions']>['callbackOptions']>;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; color: #1d1c1d; }
a.button { display: inline-block; padding: .6rem 1.2rem; background: #4a154b; color: #fff; border-radius: .3rem; text-decoration: none; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>`;
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

/** The install page (`GET /slack/install`): what Vouch is, and the "Add to Slack" link. */
export function installPage(authorizeUrl: string): string {
  return page(
    'Add Vouch to your Slack workspace',
    `<p>Vouch runs Enterprise Account setup, invitations and admin recovery in Slack: it sends your
people their invitations and confirmations by direct message and answers <code>/enterprise</code>.</p>
<p>Slack will ask you which workspace to add it to and show what Vouch may do there.</p>
<p><a class="button" href="${escapeHtml(authorizeUrl)}">Add to Slack</a></p>
<p>The link works once, for ten minutes, in this browser.</p>`,
  );
}

/** Where the person can start again. */
const startAgain = (installPath: string) => `<p><a href="${escapeHtml(installPath)}">Start the installation again</a>.</p>`;

/** Bolt's callback pages, in words: no error codes, no stack traces. Causes are logged, not shown. */
export function installCallbacks(options: { installPath: string; logger: Logger }): CallbackOptions {
  const { installPath, logger } = options;
  return {
    success(installation: Installation, _options: InstallURLOptions, _req: IncomingMessage, res: ServerResponse) {
      const where = installation.isEnterpriseInstall
        ? `every workspace of ${installation.enterprise?.name ?? 'your organization'} you add it to`
        : (installation.team?.name ?? 'your workspace');
      const openSlack =
        !installation.isEnterpriseInstall && installation.team?.id && installation.appId
          ? `<p><a class="button" href="slack://app?team=${encodeURIComponent(installation.team.id)}&amp;id=${encodeURIComponent(installation.appId)}">Open Vouch in Slack</a></p>`
          : '';
      send(
        res,
        200,
        page(
          'Vouch is installed',
          `<p>Vouch now works in ${escapeHtml(where)}. Type <code>/enterprise help</code> in Slack to see what it does.</p>
${openSlack}<p>You can close this page.</p>`,
        ),
      );
    },
    failure(error: Error, _options: InstallURLOptions, _req: IncomingMessage, res: ServerResponse) {
      const code = (error as { code?: string }).code;
      logger.warn({ code, reason: error.message }, 'Vouch install did not complete');
      switch (code) {
        case 'slack_oauth_invalid_state':
        case 'slack_oauth_missing_state':
          return send(
            res,
            400,
            page(
              'This installation link no longer works',
              `<p>An installation link works once, for ten minutes, in the browser that opened it.
This one has expired, was used already, or was opened in another browser. Nothing was installed.</p>${startAgain(installPath)}`,
            ),
          );
        case 'slack_oauth_installer_authorization_error':
          return send(
            res,
            400,
            page(
              'Vouch was not installed',
              `<p>The installation was cancelled in Slack. Nothing was installed.</p>${startAgain(installPath)}`,
            ),
          );
        case 'slack_oauth_missing_code':
          return send(
            res,
            400,
            page(
              'Vouch was not installed',
              `<p>Slack sent you back without the permission Vouch needs. Nothing was installed.</p>${startAgain(installPath)}`,
            ),
          );
        default:
          return send(
            res,
            502,
            page(
              'Vouch could not be installed',
              `<p>Slack or Vouch did not complete the installation, and nothing was installed. Please try again
in a few minutes; if it keeps failing, tell the people who run Vouch.</p>${startAgain(installPath)}`,
            ),
          );
      }
    },
  };
}
