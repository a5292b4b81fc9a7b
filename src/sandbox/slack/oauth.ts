// Installing the app, as Slack does it for a distributed app: the authorize page where a person
// picks a workspace (or, in an Enterprise Grid organization, the whole organization) and allows
// the app, the one-time code it sends back to the app's redirect URL, `oauth.v2.access` (the code
// exchange and, with token rotation, the refresh), the tokens of every install, and their end:
// uninstalling or revoking refuses them with `token_revoked`, and tells the app with a signed
// event to its Request URL.

import { randomBytes, timingSafeEqual } from 'node:crypto';

import type { Json } from './blockKit.js';
import { fail, ok, str, type Reply } from './args.js';
import { signSlackRequest } from './signing.js';
import type { FakeAppConfig, FakeInstallation, InstallChoice } from './types.js';
import type { FakeWorkspace } from './workspace.js';

export const AUTHORIZE_PATH = '/oauth/v2/authorize';
const CODE_TTL_MS = 10 * 60_000;
const DEFAULT_TOKEN_LIFETIME_S = 12 * 3600;

interface Code {
  choice: Required<Pick<InstallChoice, 'userId'>> & { teamId?: string; enterpriseId?: string };
  scopes: string[];
  redirectUri: string | undefined;
  issuedAt: number;
  used: boolean;
}

type TokenRecord =
  | { kind: 'static'; teamId: string }
  | { kind: 'bot'; installKey: string; expiresAt: number | undefined }
  | { kind: 'refresh'; installKey: string; used: boolean };

/** Who a token acts for: a workspace, and the install it came from (none for a workspace's static token). */
export type TokenOwner =
  | { ok: true; workspace: FakeWorkspace; installation: FakeInstallation | undefined }
  | { ok: false; error: 'invalid_auth' | 'not_authed' | 'token_revoked' | 'token_expired' | 'team_access_not_granted' };

export interface OAuthHub {
  now(): number;
  baseUrl(): string;
  workspaces(): FakeWorkspace[];
}

export class FakeOAuth {
  private app: FakeAppConfig | undefined;
  private readonly codes = new Map<string, Code>();
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly revokedStatic = new Set<string>();
  readonly installations = new Map<string, FakeInstallation>();

  constructor(private readonly hub: OAuthHub) {}

  configure(app: FakeAppConfig): void {
    this.app = { ...app, redirectUrls: [...app.redirectUrls] };
  }

  get appConfig(): FakeAppConfig | undefined {
    return this.app;
  }

  /** A workspace's own token, valid without an install (a single-workspace app's). */
  allowStatic(token: string, teamId: string): void {
    this.tokens.set(token, { kind: 'static', teamId });
  }

  // -------------------------------------------------------------------------
  // Tokens
  // -------------------------------------------------------------------------

  /** The workspace a token acts in; an org-wide token acts in the workspace `team_id` names (else the org's first). */
  owner(token: string | undefined, args: Json): TokenOwner {
    if (!token) return { ok: false, error: 'not_authed' };
    const record = this.tokens.get(token);
    if (!record || record.kind === 'refresh') return { ok: false, error: 'invalid_auth' };
    if (record.kind === 'static') {
      const workspace = this.workspace(record.teamId);
      if (!workspace) return { ok: false, error: 'invalid_auth' };
      return this.revokedStatic.has(record.teamId)
        ? { ok: false, error: 'token_revoked' }
        : { ok: true, workspace, installation: undefined };
    }
    const installation = this.installations.get(record.installKey);
    if (!installation || installation.revoked) return { ok: false, error: 'token_revoked' };
    if (record.expiresAt !== undefined && this.hub.now() >= record.expiresAt) return { ok: false, error: 'token_expired' };
    const named = str(args, 'team_id');
    // An org-wide token acts only in its organization's workspaces.
    if (installation.isEnterpriseInstall && named && !this.orgWorkspaces(installation.enterpriseId).some((w) => w.teamId === named))
      return { ok: false, error: 'team_access_not_granted' };
    const workspace = installation.isEnterpriseInstall
      ? (this.workspace(named ?? '') ?? this.orgWorkspaces(installation.enterpriseId)[0])
      : this.workspace(installation.teamId ?? '');
    if (!workspace) return { ok: false, error: 'invalid_auth' };
    return { ok: true, workspace, installation };
  }

  /** auth.test for an org-wide install's token. */
  orgAuthTest(installation: FakeInstallation, workspace: FakeWorkspace): Json {
    return ok({
      url: `${this.hub.baseUrl()}/`,
      team: workspace.enterpriseName ?? installation.enterpriseId,
      user: 'vouch',
      team_id: installation.enterpriseId,
      user_id: workspace.botUserId,
      bot_id: workspace.botId,
      enterprise_id: installation.enterpriseId,
      is_enterprise_install: true,
    });
  }

  // -------------------------------------------------------------------------
  // The authorize page
  // -------------------------------------------------------------------------

  /** GET: the page where a person signed in to Slack picks a workspace and allows the app. */
  authorizePage(query: URLSearchParams): Reply {
    const problem = this.checkAuthorizeRequest(query);
    if (problem) return page(400, 'This link cannot install the app', `<p>${escapeHtml(problem)}</p>`);
    const scopes = (query.get('scope') ?? '').split(',').filter(Boolean);
    const hidden = [...query].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
    const wanted = query.get('team');
    const options = this.hub
      .workspaces()
      .filter((w) => !wanted || w.teamId === wanted)
      .flatMap((w) =>
        w
          .users()
          .filter((u) => !u.isBot && !u.deleted)
          .map((u) => `<option value="${w.teamId}|${u.id}">${escapeHtml(w.teamName)}: ${escapeHtml(u.realName)}</option>`),
      );
    const orgs = [...new Set(this.hub.workspaces().flatMap((w) => (w.enterpriseId ? [w.enterpriseId] : [])))];
    const orgOptions = orgs.flatMap((e) =>
      this.orgWorkspaces(e).flatMap((w) =>
        w
          .users()
          .filter((u) => !u.isBot && !u.deleted)
          .map(
            (u) =>
              `<option value="${e}|${u.id}">Whole organization ${escapeHtml(w.enterpriseName ?? e)}: ${escapeHtml(u.realName)}</option>`,
          ),
      ),
    );
    return page(
      200,
      `${this.app?.clientId ?? 'An app'} is requesting permission`,
      `<p>It asks for: ${scopes.map(escapeHtml).join(', ') || 'no scopes'}.</p>
<form method="post" action="${AUTHORIZE_PATH}">${hidden}
<label>Install into, as <select name="install_as">${[...options, ...orgOptions].join('')}</select></label>
<button name="decision" value="allow">Allow</button> <button name="decision" value="cancel">Cancel</button>
</form>`,
    );
  }

  /** POST: the person's answer; sends them back to the app's redirect URL with a code and the state. */
  decide(form: URLSearchParams): Reply {
    const problem = this.checkAuthorizeRequest(form);
    if (problem) return page(400, 'This link cannot install the app', `<p>${escapeHtml(problem)}</p>`);
    const redirectUri = form.get('redirect_uri') ?? undefined;
    const back = new URL(redirectUri ?? this.app!.redirectUrls[0]!);
    const state = form.get('state');
    if (form.get('decision') !== 'allow') {
      back.searchParams.set('error', 'access_denied');
      if (state !== null) back.searchParams.set('state', state);
      return redirect(back.toString());
    }
    const [target = '', userId = ''] = (form.get('install_as') ?? '').split('|');
    const isOrg = target.startsWith('E');
    const workspace = isOrg ? this.orgWorkspaces(target).find((w) => w.user(userId)) : this.workspace(target);
    if (!workspace?.user(userId)) return page(400, 'Unknown workspace or person', `<p>${escapeHtml(target)} / ${escapeHtml(userId)}</p>`);
    const code = `${randomBytes(4).toString('hex')}.${randomBytes(12).toString('hex')}`;
    this.codes.set(code, {
      choice: isOrg ? { enterpriseId: target, userId } : { teamId: target, userId },
      scopes: (form.get('scope') ?? '').split(',').filter(Boolean),
      redirectUri,
      issuedAt: this.hub.now(),
      used: false,
    });
    back.searchParams.set('code', code);
    if (state !== null) back.searchParams.set('state', state);
    return redirect(back.toString());
  }

  private checkAuthorizeRequest(params: URLSearchParams): string | undefined {
    if (!this.app) return 'The app has no OAuth settings (configureApp was not called).';
    if (params.get('client_id') !== this.app.clientId) return 'Invalid client_id parameter.';
    const redirectUri = params.get('redirect_uri');
    if (redirectUri !== null && !this.app.redirectUrls.includes(redirectUri)) {
      return 'redirect_uri did not match any configured URIs.';
    }
    if (this.app.redirectUrls.length === 0) return 'The app has no redirect URL.';
    return undefined;
  }

  // -------------------------------------------------------------------------
  // oauth.v2.access
  // -------------------------------------------------------------------------

  /** The code exchange, or with `grant_type=refresh_token` a rotating token's refresh. */
  access(args: Json, basic: { id: string; secret: string } | undefined): Json {
    const app = this.app;
    if (!app) return fail('invalid_client_id');
    const clientId = basic?.id ?? str(args, 'client_id');
    const clientSecret = basic?.secret ?? str(args, 'client_secret');
    if (clientId !== app.clientId) return fail('invalid_client_id');
    if (!clientSecret || !sameText(clientSecret, app.clientSecret)) return fail('bad_client_secret');
    if (str(args, 'grant_type') === 'refresh_token') return this.refresh(str(args, 'refresh_token'));
    return this.exchange(str(args, 'code'), str(args, 'redirect_uri'));
  }

  private exchange(codeText: string | undefined, redirectUri: string | undefined): Json {
    const code = codeText ? this.codes.get(codeText) : undefined;
    if (!code || code.used || this.hub.now() - code.issuedAt > CODE_TTL_MS) return fail('invalid_code');
    if (code.redirectUri !== undefined && code.redirectUri !== redirectUri) return fail('bad_redirect_uri');
    code.used = true;
    const { teamId, enterpriseId, userId } = code.choice;
    const key = enterpriseId ? `enterprise:${enterpriseId}` : `team:${teamId}`;
    const previous = this.installations.get(key);
    const installation: FakeInstallation = {
      key,
      ...(teamId ? { teamId } : {}),
      ...(enterpriseId ? { enterpriseId } : teamId ? withEnterprise(this.workspace(teamId)) : {}),
      isEnterpriseInstall: Boolean(enterpriseId),
      installerUserId: userId,
      scopes: code.scopes,
      botToken: '',
      revoked: false,
      installs: (previous?.installs ?? 0) + 1,
      refreshes: previous?.refreshes ?? 0,
    };
    // A reinstall replaces the tokens: the old ones stop working.
    if (previous) this.forgetTokens(key);
    this.installations.set(key, installation);
    this.issue(installation);
    return this.tokenAnswer(installation, { authed_user: { id: userId } });
  }

  private refresh(refreshToken: string | undefined): Json {
    const record = refreshToken ? this.tokens.get(refreshToken) : undefined;
    if (record?.kind !== 'refresh' || record.used) return fail('invalid_refresh_token');
    const installation = this.installations.get(record.installKey);
    if (!installation || installation.revoked) return fail('invalid_refresh_token');
    // The refresh token is spent; the access token it replaces keeps working until it expires.
    record.used = true;
    installation.refreshes += 1;
    this.issue(installation);
    return this.tokenAnswer(installation, {});
  }

  /** New tokens for an install: a long-lived `xoxb-`, or with rotation an expiring `xoxe.xoxb-1-` and a refresh token. */
  private issue(installation: FakeInstallation): void {
    const rotation = this.app?.tokenRotation === true;
    const lifetimeMs = (this.app?.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_S) * 1000;
    const secret = () => randomBytes(16).toString('hex');
    installation.botToken = rotation ? `xoxe.xoxb-1-${secret()}` : `xoxb-${secret()}`;
    const expiresAt = rotation ? this.hub.now() + lifetimeMs : undefined;
    this.tokens.set(installation.botToken, { kind: 'bot', installKey: installation.key, expiresAt });
    if (rotation) {
      installation.refreshToken = `xoxe-1-${secret()}`;
      installation.expiresAt = expiresAt;
      this.tokens.set(installation.refreshToken, { kind: 'refresh', installKey: installation.key, used: false });
    } else {
      delete installation.refreshToken;
      delete installation.expiresAt;
    }
  }

  private tokenAnswer(installation: FakeInstallation, extra: Json): Json {
    const workspace = installation.isEnterpriseInstall
      ? this.orgWorkspaces(installation.enterpriseId)[0]
      : this.workspace(installation.teamId ?? '');
    const enterpriseName = workspace?.enterpriseName ?? installation.enterpriseId;
    return ok({
      app_id: workspace?.appId,
      scope: installation.scopes.join(','),
      token_type: 'bot',
      access_token: installation.botToken,
      bot_user_id: workspace?.botUserId,
      team: installation.isEnterpriseInstall ? null : { id: installation.teamId, name: workspace?.teamName },
      enterprise: installation.enterpriseId ? { id: installation.enterpriseId, name: enterpriseName } : null,
      is_enterprise_install: installation.isEnterpriseInstall,
      ...(installation.refreshToken !== undefined && installation.expiresAt !== undefined
        ? { refresh_token: installation.refreshToken, expires_in: Math.round((installation.expiresAt - this.hub.now()) / 1000) }
        : {}),
      ...extra,
    });
  }

  // -------------------------------------------------------------------------
  // The end of an install
  // -------------------------------------------------------------------------

  /** Every token of the install (and the workspace's own static token) is refused from now on. */
  revoke(key: string): FakeInstallation | undefined {
    const installation = this.installations.get(key);
    if (installation) installation.revoked = true;
    const teamId = key.startsWith('team:') ? key.slice('team:'.length) : undefined;
    if (teamId) this.revokedStatic.add(teamId);
    return installation;
  }

  private forgetTokens(key: string): void {
    for (const [token, record] of this.tokens) {
      if (record.kind !== 'static' && record.installKey === key) this.tokens.delete(token);
    }
  }

  // -------------------------------------------------------------------------
  // Workspaces
  // -------------------------------------------------------------------------

  workspace(teamId: string): FakeWorkspace | undefined {
    return this.hub.workspaces().find((w) => w.teamId === teamId);
  }

  orgWorkspaces(enterpriseId: string | undefined): FakeWorkspace[] {
    return enterpriseId ? this.hub.workspaces().filter((w) => w.enterpriseId === enterpriseId) : [];
  }
}

/**
 * An event the app receives about its install (app_uninstalled, tokens_revoked), in Slack's
 * event_callback envelope, posted to the app's Request URL and signed with its signing secret.
 */
export async function sendAppEvent(
  app: FakeAppConfig | undefined,
  installation: FakeInstallation,
  workspace: FakeWorkspace,
  event: Json,
): Promise<{ status: number; body: string }> {
  if (!app?.eventsUrl) throw new Error('The app has no events URL: configureApp({ eventsUrl }) first');
  const nowSeconds = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({
    token: 'fake-verification-token',
    team_id: installation.isEnterpriseInstall ? installation.enterpriseId : installation.teamId,
    ...(installation.enterpriseId ? { enterprise_id: installation.enterpriseId } : {}),
    api_app_id: workspace.appId,
    event: { ...event, event_ts: `${nowSeconds}.000100` },
    type: 'event_callback',
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: nowSeconds,
    authorizations: [
      {
        enterprise_id: installation.enterpriseId ?? null,
        team_id: installation.isEnterpriseInstall ? null : (installation.teamId ?? null),
        user_id: workspace.botUserId,
        is_bot: true,
        is_enterprise_install: installation.isEnterpriseInstall,
      },
    ],
    is_ext_shared_channel: false,
    ...(installation.isEnterpriseInstall ? { is_enterprise_install: true } : {}),
  });
  const res = await fetch(app.eventsUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...signSlackRequest(app.signingSecret, body, nowSeconds),
    },
    body,
  });
  return { status: res.status, body: await res.text() };
}

function withEnterprise(workspace: FakeWorkspace | undefined): { enterpriseId?: string } {
  return workspace?.enterpriseId ? { enterpriseId: workspace.enterpriseId } : {};
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function redirect(location: string): Reply {
  return { status: 302, headers: { location }, raw: { body: '', contentType: 'text/plain' } };
}

function page(status: number, title: string, body: string): Reply {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  return { status, raw: { body: html, contentType: 'text/html; charset=utf-8' } };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
