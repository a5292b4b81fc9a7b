// An in-process stand-in for the Slack Web API. It is a real HTTP server so the
// bot talks to it through the real WebClient (serialization, retries, rate-limit
// handling included), keeps the workspace state a user would see, records every
// call, and can fail on demand. The SlackDriver plays the user side against it.
//
// The stand-in is itself a workspace (the first one, which a single-workspace app uses) and can
// keep more (`addTeam`), each with its own users, channels and tokens, for a distributed app
// that each workspace installs through OAuth (`configureApp`, the authorize page, oauth.v2.access).
//
// This class is the stand-in's one public face; the parts live beside it: a workspace
// (workspace.ts, state.ts, messages.ts, views.ts), the Web API methods by family (methods/), OAuth
// and tokens (oauth.ts), the HTTP server (http.ts), response_url (responseUrl.ts), faults
// (faults.ts) and Socket Mode.

import type { AddressInfo } from 'node:net';

import type { Json } from './blockKit.js';
import { Faults } from './faults.js';
import { SlackHttpServer } from './http.js';
import { AUTHORIZE_PATH, FakeOAuth, sendAppEvent } from './oauth.js';
import type { EnvelopeAck, EnvelopeType } from './socketMode.js';
import type {
  AddTeamInput,
  FakeAppConfig,
  FakeInstallation,
  FakeSlackChange,
  FakeSlackOptions,
  Failure,
  InstallChoice,
  RateLimitConfig,
  RecordedCall,
} from './types.js';
import { FakeWorkspace, type WorkspaceHub } from './workspace.js';

export { blocksText, type Json } from './blockKit.js';
export type * from './types.js';
export { FakeWorkspace } from './workspace.js';

/** What the stand-in's workspaces share, filled in once the stand-in exists. */
class Shared implements WorkspaceHub {
  slack!: FakeSlack;
  readonly recorded: RecordedCall[] = [];

  baseUrl(): string {
    return this.slack.baseUrl;
  }

  record(call: RecordedCall): void {
    this.recorded.push(call);
  }

  deliverEnvelope(type: EnvelopeType, payload: Json): Promise<EnvelopeAck> {
    return this.slack.deliverEnvelope(type, payload);
  }

  change(change: FakeSlackChange): void {
    this.slack.emit('change', change);
  }
}

export class FakeSlack extends FakeWorkspace {
  private readonly shared: Shared;
  private readonly options: FakeSlackOptions;
  private readonly teamMap = new Map<string, FakeWorkspace>();
  private readonly oauth: FakeOAuth;
  private readonly faults: Faults;
  private readonly http: SlackHttpServer;

  constructor(options: FakeSlackOptions = {}) {
    const shared = new Shared();
    super(shared, options);
    shared.slack = this;
    this.shared = shared;
    this.options = options;
    this.teamMap.set(this.teamId, this);
    this.oauth = new FakeOAuth({ now: this.state.now, baseUrl: () => this.baseUrl, workspaces: () => this.teams() });
    this.oauth.allowStatic(this.botToken, this.teamId);
    this.faults = new Faults(this.state.now, (channel) => this.state.channelKey(channel));
    this.http = new SlackHttpServer({
      appId: this.appId,
      appToken: this.appToken,
      now: this.state.now,
      workspaces: () => this.teams(),
      oauth: this.oauth,
      faults: this.faults,
      record: (call) => shared.record(call),
      onDownload: (fileId) => this.emit('download', fileId),
    });
  }

  // -------------------------------------------------------------------------
  // Lifecycle
  // -------------------------------------------------------------------------

  start(port = 0): Promise<void> {
    return this.http.start(port);
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  /** Where the stand-in listens (loopback only). */
  get address(): AddressInfo {
    return this.http.address;
  }

  get baseUrl(): string {
    const port = this.http.port;
    if (port === undefined) throw new Error('FakeSlack is not started');
    return `http://127.0.0.1:${port}`;
  }

  /** What `new WebClient(token, { slackApiUrl })` expects: ends with `/api/`. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  // -------------------------------------------------------------------------
  // Several workspaces
  // -------------------------------------------------------------------------

  /**
   * Another workspace beside the first, with its own users, channels, files and bot user (the
   * same app). Its users' ids may repeat another workspace's, as in Slack they are only unique
   * within one. It has no token until the app is installed into it (unless `botToken` is given).
   */
  addTeam(input: AddTeamInput): FakeWorkspace {
    if (this.teamMap.has(input.teamId)) throw new Error(`Team ${input.teamId} exists already`);
    const suffix = input.teamId.replace(/^T/, '');
    const workspace = new FakeWorkspace(
      {
        baseUrl: () => this.baseUrl,
        record: (call) => this.shared.record(call),
        deliverEnvelope: (type, payload) => this.deliverEnvelope(type, payload),
        change: (change) => this.emit('change', { ...change, team: input.teamId }),
      },
      {
        teamId: input.teamId,
        teamDomain: input.teamDomain ?? input.teamId.toLowerCase(),
        teamName: input.teamName ?? input.teamId,
        ...(input.enterpriseId ? { enterpriseId: input.enterpriseId, enterpriseName: input.enterpriseName ?? input.enterpriseId } : {}),
        botUserId: input.botUserId ?? `U${suffix}BOT`,
        botId: input.botId ?? `B${suffix}`,
        appId: this.appId,
        appToken: this.appToken,
        botToken: input.botToken ?? `xoxb-unusable-${suffix}`,
        ...(this.options.now ? { now: this.options.now } : {}),
        ...(this.options.triggerTtlMs !== undefined ? { triggerTtlMs: this.options.triggerTtlMs } : {}),
      },
    );
    if (input.botToken) this.oauth.allowStatic(input.botToken, input.teamId);
    this.teamMap.set(input.teamId, workspace);
    return workspace;
  }

  /** A workspace by its team id (the stand-in itself for the first one). */
  team(teamId: string): FakeWorkspace | undefined {
    return this.teamMap.get(teamId);
  }

  /** Every workspace, the first one first. */
  teams(): FakeWorkspace[] {
    return [...this.teamMap.values()];
  }

  // -------------------------------------------------------------------------
  // Distribution: the app's OAuth settings, installs, and their end
  // -------------------------------------------------------------------------

  /** The app's settings at api.slack.com: client id and secret, redirect URLs, Request URL, token rotation. */
  configureApp(app: FakeAppConfig): void {
    this.oauth.configure(app);
  }

  /** Slack's authorize page, where "Add to Slack" leads (`installerOptions.authorizationUrl`). */
  get authorizeUrl(): string {
    return `${this.baseUrl}${AUTHORIZE_PATH}`;
  }

  /**
   * A person's answer on the authorize page the app's install link leads to (Allow, or Cancel),
   * sent over HTTP as the page's form would. Returns where Slack sends the browser back: the
   * app's redirect URL with a code and the state (or `error=access_denied`).
   */
  async approveInstall(installLink: string, choice: InstallChoice): Promise<string> {
    const link = new URL(installLink);
    const form = new URLSearchParams(link.searchParams);
    form.set('install_as', `${choice.enterpriseId ?? choice.teamId ?? this.teamId}|${choice.userId}`);
    form.set('decision', choice.cancel ? 'cancel' : 'allow');
    const res = await fetch(this.authorizeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
    });
    const location = res.headers.get('location');
    if (res.status !== 302 || !location) throw new Error(`The authorize page refused: ${res.status} ${await res.text()}`);
    return location;
  }

  /** The app's install in a workspace (or org-wide, by the organization's id), as Slack keeps it. */
  installation(teamOrEnterpriseId: string): FakeInstallation | undefined {
    const key = teamOrEnterpriseId.startsWith('E') ? `enterprise:${teamOrEnterpriseId}` : `team:${teamOrEnterpriseId}`;
    const found = this.oauth.installations.get(key);
    return found ? structuredClone(found) : undefined;
  }

  /**
   * Someone removes the app from a workspace (or an organization): its tokens are refused with
   * `token_revoked` from now on, and the app gets `app_uninstalled` at its Request URL. Returns
   * the app's HTTP answer.
   */
  uninstall(teamOrEnterpriseId: string): Promise<{ status: number; body: string }> {
    const { installation, workspace } = this.endInstall(teamOrEnterpriseId);
    return sendAppEvent(this.oauth.appConfig, installation, workspace, { type: 'app_uninstalled' });
  }

  /**
   * The bot's tokens in a workspace are revoked (an admin, or Slack's security team): refused
   * with `token_revoked`, and the app gets `tokens_revoked` naming its bot user.
   */
  revokeTokens(teamOrEnterpriseId: string): Promise<{ status: number; body: string }> {
    const { installation, workspace } = this.endInstall(teamOrEnterpriseId);
    return sendAppEvent(this.oauth.appConfig, installation, workspace, {
      type: 'tokens_revoked',
      tokens: { oauth: [], bot: [workspace.botUserId] },
    });
  }

  private endInstall(teamOrEnterpriseId: string): { installation: FakeInstallation; workspace: FakeWorkspace } {
    const isOrg = teamOrEnterpriseId.startsWith('E');
    const key = isOrg ? `enterprise:${teamOrEnterpriseId}` : `team:${teamOrEnterpriseId}`;
    const workspace = isOrg ? this.oauth.orgWorkspaces(teamOrEnterpriseId)[0] : this.team(teamOrEnterpriseId);
    if (!workspace) throw new Error(`Unknown team or organization ${teamOrEnterpriseId}`);
    // A single-workspace app has no install record, only the workspace's own token.
    const installation = this.oauth.revoke(key) ?? {
      key,
      teamId: workspace.teamId,
      ...(workspace.enterpriseId ? { enterpriseId: workspace.enterpriseId } : {}),
      isEnterpriseInstall: false,
      installerUserId: '',
      scopes: [],
      botToken: workspace.botToken,
      revoked: true,
      installs: 0,
      refreshes: 0,
    };
    return { installation, workspace };
  }

  // -------------------------------------------------------------------------
  // Recording and fault injection
  // -------------------------------------------------------------------------

  /** Every call, of every workspace (each names its `team`); with `method`, that method's. */
  calls(method?: string): RecordedCall[] {
    const recorded = this.shared.recorded;
    return method === undefined ? [...recorded] : recorded.filter((c) => c.method === method);
  }

  /** Bytes a misbehaving file's streamed download has sent so far. */
  servedBytes(fileId: string): number {
    return this.http.servedBytes(fileId);
  }

  /** Sends a payload over the app's Socket Mode connection, as Slack does once one is open. */
  override deliverEnvelope(type: EnvelopeType, payload: Json): Promise<EnvelopeAck> {
    const socketMode = this.http.socketMode;
    if (!socketMode) throw new Error('FakeSlack is not started');
    return socketMode.deliver(type, payload);
  }

  /** Open Socket Mode connections. */
  get socketConnections(): number {
    return this.http.socketMode?.connections ?? 0;
  }

  clearCalls(): void {
    this.shared.recorded.length = 0;
  }

  /**
   * The next `times` calls to `method` (or `response_url`, `file_download`, `file_upload`) fail
   * without touching state; with `where.channel`, only calls into that channel (a user id means
   * their DM); with `where.team`, only calls acting in that workspace.
   */
  failNext(method: string, failure: Failure, times = 1, where: { channel?: string; team?: string } = {}): void {
    this.faults.failNext(method, failure, times, where);
  }

  /** Delays answers to `method` by `ms` real milliseconds (0 removes the delay). */
  setDelay(method: string, ms: number): void {
    this.faults.setDelay(method, ms);
  }

  /** Answers 429 + Retry-After when a sliding window (per workspace) is exceeded; `{}` turns limits off. */
  setRateLimit(config: RateLimitConfig): void {
    this.faults.setRateLimit(config);
  }
}
