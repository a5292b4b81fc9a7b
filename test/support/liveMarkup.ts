import type { FakeSlack, RecordedCall } from '../../src/sandbox/slack/index.js';

/**
 * Finds markup Slack would bring to life that Vouch did not mean to write: a `<!here>`, a link or a
 * mention that came from what someone typed. Everything Vouch shows comes from its own builders,
 * which escape every value they did not make themselves; so in whatever Vouch sends, a `<…>` can
 * only be one of the few sequences Vouch writes on purpose:
 *
 * - `<@U…>`: a mention of someone in the workspace (Vouch mentions people it was given, never an
 *   id made up by someone typing; the hostile texts of the tests use ids no one has),
 * - `<#C…>`: a channel of the workspace,
 * - `<!date^…>`: a date in the reader's time zone, or the date whose fallback shows a formatting
 *   character as typed,
 * - `<https://…/files/…|name>`: the letter, at the address Slack gave it,
 * - `<https://…/archives/…|the newest copy>`: a message, at the permalink Slack gave it.
 *
 * Any other `<…>`, or a `<`, `>` or `&` left bare, is a problem. Every mrkdwn text object must also
 * be `verbatim`, so that Slack does not turn a bare address, a `#channel` or an `@here` typed by a
 * person into a link or a mention of its own.
 */

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Methods whose arguments carry a message: `text` is mrkdwn unless `mrkdwn: false`, and `blocks`. */
const MESSAGE_METHODS = new Set([
  'chat.postMessage',
  'chat.postEphemeral',
  'chat.update',
  'chat.scheduleMessage',
  'response_url',
  'command_response',
]);
/** Methods whose arguments carry a view. */
const VIEW_METHODS = new Set(['views.open', 'views.push', 'views.update', 'views.publish', 'response_action']);

export interface Workspace {
  userIds: ReadonlySet<string>;
  channelIds: ReadonlySet<string>;
  /** Where Slack keeps files and messages: the only links Vouch writes lead there. */
  filesUrl: string;
  archivesUrl: string;
}

export function workspaceOf(slack: FakeSlack, channelIds: string[]): Workspace {
  return {
    userIds: new Set([...slack.users().map((u) => u.id), slack.botUserId]),
    channelIds: new Set(channelIds),
    filesUrl: `${slack.baseUrl}/files/`,
    archivesUrl: `${slack.baseUrl}/archives/`,
  };
}

const DATE = /^!date\^\d+\^\{date_short_pretty\} at \{time\}\|\d{4}-\d\d-\d\d \d\d:\d\d UTC$/;
const FORMATTING_AS_TYPED = /^!date\^00000000\^\{_\}\|[*_~`]+$/;

/** What is wrong with the sequence `<inner>`, or null when Vouch writes it on purpose. */
function sequenceProblem(inner: string, workspace: Workspace): string | null {
  if (DATE.test(inner) || FORMATTING_AS_TYPED.test(inner)) return null;
  const user = /^@([UW][A-Z0-9]+)$/.exec(inner);
  if (user) return workspace.userIds.has(user[1]!) ? null : `a mention of ${user[1]}, who is not in the workspace`;
  const channel = /^#(C[A-Z0-9]+)$/.exec(inner);
  if (channel) return workspace.channelIds.has(channel[1]!) ? null : `a link to channel ${channel[1]}, not one of the workspace's`;
  const link = /^([^|]*)\|(.*)$/.exec(inner);
  const linked = link?.[1] ?? '';
  if (link && (linked.startsWith(workspace.filesUrl) || linked.startsWith(workspace.archivesUrl)) && !/[\s<>]/.test(linked)) return null;
  return 'live markup Vouch did not write';
}

/** The problems of one mrkdwn string, each as `where: what`. */
export function mrkdwnProblems(text: string, where: string, workspace: Workspace): string[] {
  const problems: string[] = [];
  const rest = text.replace(/<([^<>]*)>/g, (whole, inner: string) => {
    const problem = sequenceProblem(inner, workspace);
    if (problem) problems.push(`${where}: ${problem}: ${whole}`);
    return '';
  });
  for (const bare of rest.match(/[<>]|&(?!(?:amp|lt|gt);)/g) ?? []) problems.push(`${where}: a bare ${bare} in ${JSON.stringify(text)}`);
  return problems;
}

const parsed = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

/** Every text object below `value`: mrkdwn ones are checked, plain_text is never parsed by Slack. */
function walk(value: unknown, where: string, workspace: Workspace, problems: string[]): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) walk(item, `${where}/${i}`, workspace, problems);
    return;
  }
  if (!isJson(value)) return;
  if (value.type === 'mrkdwn' && typeof value.text === 'string') {
    problems.push(...mrkdwnProblems(value.text, where, workspace));
    if (value.verbatim !== true)
      problems.push(`${where}: a mrkdwn text that is not verbatim, so Slack would link bare addresses and names`);
    return;
  }
  for (const [key, child] of Object.entries(value)) walk(child, `${where}/${key}`, workspace, problems);
}

/** Every problem in every message and view of `calls`, as `method #n/path: what`. */
export function liveMarkupProblems(calls: readonly RecordedCall[], workspace: Workspace): string[] {
  const problems: string[] = [];
  for (const [n, call] of calls.entries()) {
    const where = `${call.method} #${n}`;
    if (MESSAGE_METHODS.has(call.method)) {
      if (typeof call.args.text === 'string' && call.args.mrkdwn !== false) {
        problems.push(...mrkdwnProblems(call.args.text, `${where}/text`, workspace));
      }
      walk(parsed(call.args.blocks), `${where}/blocks`, workspace, problems);
      walk(parsed(call.args.attachments), `${where}/attachments`, workspace, problems);
    } else if (VIEW_METHODS.has(call.method)) {
      walk(parsed(call.args.view), `${where}/view`, workspace, problems);
    } else if (call.method === 'files.completeUploadExternal' && typeof call.args.initial_comment === 'string') {
      // A file shared with a comment: the comment is a message's text.
      problems.push(...mrkdwnProblems(call.args.initial_comment, `${where}/initial_comment`, workspace));
    }
  }
  return problems;
}
