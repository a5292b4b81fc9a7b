/**
 * Mrkdwn, the markup Slack reads in a message's `text` and in every `mrkdwn` text object, made so
 * that what people typed can only ever be shown as typed.
 *
 * A `Mrkdwn` value is markup Vouch vouches for. Only this module makes one: the `mrkdwn` template
 * (whose literal parts are Vouch's own words and markup, and whose every interpolated value is
 * escaped unless it already is a `Mrkdwn`), and the few helpers that write Slack's control
 * sequences on purpose (`mention`, `slackDate`, `channelLink`, `link`, `code`). The block builders
 * take nothing else, so a raw string in a block does not compile, and one interpolated into the
 * template is escaped: forgetting is not possible.
 */

/** The key to the constructor; not exported, so no other module can make a `Mrkdwn`. */
const trusted: unique symbol = Symbol('trusted mrkdwn');

export class Mrkdwn {
  readonly #text: string;

  constructor(key: typeof trusted, text: string) {
    if (key !== trusted) throw new TypeError('Mrkdwn is made by the mrkdwn template and its helpers only');
    this.#text = text;
  }

  /** The markup, as Slack receives it. */
  get text(): string {
    return this.#text;
  }

  /**
   * A plain template literal would turn this into a string that no builder takes, and a second
   * template would then escape it; refusing is clearer than either.
   */
  toString(): never {
    throw new TypeError('interpolate Mrkdwn into the mrkdwn template, not into a plain string');
  }

  toJSON(): string {
    return this.#text;
  }
}

const make = (text: string) => new Mrkdwn(trusted, text);

export type Interpolated = Mrkdwn | string | number;

/**
 * Slack's formatting characters: bold, italic, strikethrough and code. Slack has no escape
 * character for them (a backslash is shown, and formats anyway), and only `&`, `<` and `>` have
 * entities it decodes (it shows `&#42;` as typed). What does work in Slack is the fallback text of
 * a date it cannot format: `<!date^00000000^{_}|*>` has no valid format token, so Slack shows the
 * fallback `*`, as plain text, outside the formatting rules, which never look inside `<…>`. This
 * is how Block Kit libraries (jsx-slack's Escape, for one) keep user text literal. Zero-width
 * characters next to the mark do not: Slack treats a zero-width space as a word boundary, so it
 * can even turn formatting on.
 */
const FORMATTING_RUN = /[*_~`]+/g;
const asTyped = (marks: string) => `<!date^00000000^{_}|${marks}>`;
/** `:white_check_mark:`: an emoji's name keeps its underscores, so the emoji still shows. */
const EMOJI_NAME = /(:[a-z0-9+'-](?:[a-z0-9_+'-]*[a-z0-9+'-])?:)/;
/**
 * A `>` at the start of a line makes a quote, and Slack reads `&gt;` there too (that is how it
 * stores one); an invisible soft hyphen in front of it keeps it a character.
 */
const LINE_START_QUOTE = /(^|\n)([ \t]*)&gt;/g;

const escapeEntities = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * What someone typed, as mrkdwn that shows it exactly as typed: no mention, link or channel ping
 * can come alive, and no formatting applies.
 */
export function escapeText(typed: string): string {
  const marked = escapeEntities(typed)
    .split(EMOJI_NAME)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(FORMATTING_RUN, asTyped)))
    .join('');
  return marked.replace(LINE_START_QUOTE, '$1$2\u00AD&gt;');
}

const markup = (value: Interpolated): string => (value instanceof Mrkdwn ? value.text : escapeText(String(value)));

/**
 * Vouch's words with values in them: `mrkdwn\`*${account.name}* was set up by ${mention(id)}\``.
 * Each value is escaped (a string or number) or kept (a `Mrkdwn`). The words themselves may
 * format (`*`, `_`, `` ` ``), but a `&`, `<` or `>` in them is a character too: every `<…>`
 * sequence comes from one of the helpers below, none is written by hand.
 */
export function mrkdwn(strings: TemplateStringsArray, ...values: Interpolated[]): Mrkdwn {
  // Only a template's own literal parts are trusted: an array passed by hand is not one.
  if (!Array.isArray((strings as { raw?: unknown }).raw)) throw new TypeError('mrkdwn is a template tag');
  let text = escapeEntities(strings[0] ?? '');
  values.forEach((value, i) => {
    text += markup(value) + escapeEntities(strings[i + 1] ?? '');
  });
  return make(text);
}

/** `parts` one after another, with `separator` (escaped like any value) between them. */
export function joinMrkdwn(parts: readonly Mrkdwn[], separator: Interpolated = ''): Mrkdwn {
  return make(parts.map((p) => p.text).join(markup(separator)));
}

const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

/** A mention of a person by their Slack id; anything that is not an id is shown as text. */
export function mention(userId: string): Mrkdwn {
  return USER_ID.test(userId) ? make(`<@${userId}>`) : make(escapeText(userId || 'someone'));
}

export function channelLink(channelId: string): Mrkdwn {
  return CHANNEL_ID.test(channelId) ? make(`<#${channelId}>`) : make(escapeText(channelId));
}

/** A date each reader sees in their own time zone, with a UTC fallback. */
export function slackDate(at: Date): Mrkdwn {
  const unix = Math.floor(at.getTime() / 1000);
  const fallback = `${at.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
  return make(`<!date^${unix}^{date_short_pretty} at {time}|${fallback}>`);
}

/**
 * Formatting characters inside a link's label cannot use a date (a link cannot hold one), so they
 * become their look-alikes there.
 */
const LOOKALIKES: Record<string, string> = { '*': '∗', _: 'ˍ', '~': '∼', '`': 'ˋ' };

/**
 * A link to a web address (one Slack gave Vouch, such as a file's permalink), labelled with text
 * shown as typed. Any other scheme, or an address that could break out of the link, is shown as
 * no link at all.
 */
export function link(url: string, label: string): Mrkdwn {
  const shown = escapeEntities(label.replace(/[\r\n]+/g, ' ')).replace(/[*_~`]/g, (c) => LOOKALIKES[c] ?? c);
  if (!/^https?:\/\/[^\s<>|]+$/.test(url)) return make(escapeText(label));
  return make(`<${url.replace(/&/g, '&amp;')}|${shown}>`);
}

/**
 * Text in a code span (at most `max` characters with its backticks), such as a word someone typed quoted back: in code Slack applies no
 * formatting, so only `&`, `<`, `>` are escaped, and a backtick, which would end the span, is
 * shown as its look-alike.
 */
export function code(text: string, max = Number.POSITIVE_INFINITY): Mrkdwn {
  const inner = escapeEntities(text.replace(/[\r\n]+/g, ' ').replace(/`/g, 'ˋ')) || ' ';
  // Cut, if it must be, inside the span, so that it still closes.
  return make(`\`${inner.length + 2 <= max ? inner : clipMrkdwn(make(inner), max - 2).text}\``);
}

// ---------------------------------------------------------------------------
// Length: Slack's limits count characters of the markup, so cutting happens there, between
// whole pieces: never inside a `<…>` sequence or an entity, and never inside a character
// (an emoji is one or more code points and two or more UTF-16 units).
// ---------------------------------------------------------------------------

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const SEQUENCE = /<[^<>]*>|&(?:amp|lt|gt);/g;

/** The pieces of `text` that can be cut between. */
export function units(text: string): string[] {
  const out: string[] = [];
  let last = 0;
  const free = (s: string) => {
    for (const { segment } of graphemes.segment(s)) out.push(segment);
  };
  for (const match of text.matchAll(SEQUENCE)) {
    free(text.slice(last, match.index));
    out.push(match[0]);
    last = match.index + match[0].length;
  }
  free(text.slice(last));
  return out;
}

/**
 * Plain text (no markup) cut to at most `max` UTF-16 units, ending in an ellipsis when cut; never
 * inside a character.
 */
export function clipPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length > max - 1) break;
    kept += segment;
  }
  return `${kept}…`;
}

/** `m` cut to at most `max` characters of markup, ending in an ellipsis when cut. */
export function clipMrkdwn(m: Mrkdwn, max: number): Mrkdwn {
  if (m.text.length <= max) return m;
  let kept = '';
  for (const unit of units(m.text)) {
    if (kept.length + unit.length > max - 1) break;
    kept += unit;
  }
  return make(`${kept.trimEnd()}…`);
}

/** Where to end a piece: the last line break in its second half, else the last space there. */
function breakIndex(piece: readonly string[]): number {
  let offset = piece.join('').length;
  const half = offset / 2;
  let space = -1;
  for (let i = piece.length - 1; i > 0; i--) {
    offset -= piece[i]!.length;
    if (offset < half) break;
    if (piece[i] === '\n') return i;
    if (space < 0 && /^[ \t]$/.test(piece[i]!)) space = i;
  }
  return space > 0 ? space : piece.length;
}

/**
 * `m` in pieces of at most `max` characters, each whole markup, cut at a line break where one is
 * near, else at a space: for long texts that people must read whole.
 */
export function splitMrkdwn(m: Mrkdwn, max: number): Mrkdwn[] {
  if (m.text.length <= max) return [m];
  const pieces: string[] = [];
  let current: string[] = [];
  let length = 0;
  const push = (unit: string) => {
    // A piece after the first starts a line of its own: no leading blank, and a `>` there stays a
    // character rather than a quote.
    if (pieces.length > 0 && current.length === 0) {
      if (/^\s$/.test(unit)) return;
      if (unit === '&gt;') push('\u00AD');
    }
    current.push(unit);
    length += unit.length;
  };
  const flush = (upTo: number) => {
    pieces.push(current.slice(0, upTo).join('').trimEnd());
    const rest = current.slice(upTo);
    current = [];
    length = 0;
    for (const unit of rest) push(unit);
  };
  for (const unit of units(m.text)) {
    if (current.length > 0 && length + unit.length > max) {
      flush(breakIndex(current));
      if (current.length > 0 && length + unit.length > max) flush(current.length);
    }
    push(unit);
  }
  if (current.length > 0) flush(current.length);
  return pieces.filter((p) => p.length > 0).map(make);
}
