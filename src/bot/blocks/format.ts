import type {
  ActionsBlock,
  Button,
  ConfirmationDialog,
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  SectionBlock,
} from '@slack/types';
import { clipMrkdwn, clipPlain, type Interpolated, joinMrkdwn, Mrkdwn, mrkdwn, slackDate, splitMrkdwn } from './mrkdwn.js';

export {
  channelLink,
  code,
  escapeText,
  joinMrkdwn,
  link,
  Mrkdwn,
  mention,
  mrkdwn,
  slackDate,
  type Interpolated,
} from './mrkdwn.js';

/** Slack's own limits, checked where blocks are built. */
export const limits = {
  messageBlocks: 50,
  viewBlocks: 100,
  modalTitle: 24,
  buttonText: 75,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  privateMetadata: 3000,
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  /** The notification text of a message: Slack advises 4,000 characters (and cuts at 40,000). */
  messageText: 4000,
} as const;

/** A message as the builders make it; nothing else is sent to Slack. */
export interface SlackMessage {
  /**
   * Notification and screen-reader text; Slack shows it where blocks cannot be shown, and reads
   * it as mrkdwn, so it is made like every block text.
   */
  readonly text: string;
  readonly blocks: KnownBlock[];
  /** Only `message` makes one (a type-only mark: a hand-written `{ text, blocks }` does not do). */
  readonly [built]: true;
}
declare const built: unique symbol;

/** A mrkdwn text object. `verbatim`: Slack links nothing by itself (a bare address, `#name`, `@here`). */
const text = (m: Mrkdwn, max: number): MrkdwnElement => ({ type: 'mrkdwn', text: clipMrkdwn(made(m), max).text, verbatim: true });

/** The types already refuse a raw string; this refuses one that came in through `any`. */
function made(m: Mrkdwn): Mrkdwn {
  if (!(m instanceof Mrkdwn)) throw new TypeError('Slack text must be built with the mrkdwn template');
  return m;
}

/** 30 days, 24 hours, 15 minutes: how long something works, in words. */
export function describeDuration(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${Math.round(ms / 1000)} seconds`;
}

/**
 * A period in words, rounded to the unit that reads best: days from two days up, hours from two
 * hours up, else minutes (or less than a minute); "about" when rounding moved it by more than 1%. `more`: "3 more days".
 */
export function describePeriod(ms: number, { more = false } = {}): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  if (ms < 60_000) return more ? 'less than a minute more' : 'less than a minute';
  const [size, name] = units.find(([unit]) => ms >= 2 * unit) ?? [60_000, 'minute'];
  const n = Math.max(1, Math.round(ms / size));
  const words = `${n} ${more ? 'more ' : ''}${name}${n === 1 ? '' : 's'}`;
  return Math.abs(n * size - ms) > ms / 100 ? `about ${words}` : words;
}

/** "for 30 days, until <date>": how long something works from `from`, and until when, in each reader's time zone. */
export const validFor = (from: Date, until: Date): Mrkdwn =>
  mrkdwn`for ${describePeriod(until.getTime() - from.getTime())}, until ${slackDate(until)}`;

/** "for 3 more days, until <date>": what is left at `now` of something that ends at `until`. */
export const validForMore = (now: Date, until: Date): Mrkdwn =>
  mrkdwn`for ${describePeriod(Math.max(0, until.getTime() - now.getTime()), { more: true })}, until ${slackDate(until)}`;

/** Plain text: Slack shows it as it is, so it needs no escaping, only Slack's length. */
export const header = (plain: string): HeaderBlock => ({
  type: 'header',
  text: { type: 'plain_text', text: clipPlain(plain, limits.headerText), emoji: true },
});

/** One section; a text over Slack's 3,000 characters is cut with an ellipsis (see `sections`). */
export const section = (m: Mrkdwn, blockId?: string): SectionBlock => ({
  type: 'section',
  ...(blockId ? { block_id: blockId } : {}),
  text: text(m, limits.sectionText),
});

/** A text people must read whole (a reason): as many sections as it needs, none cut. */
export const sections = (m: Mrkdwn): SectionBlock[] => splitMrkdwn(made(m), limits.sectionText).map((piece) => section(piece));

/** Up to ten labelled values side by side; the label is Vouch's, the value escaped or made. */
export const fields = (pairs: Array<[string, Interpolated]>): SectionBlock => ({
  type: 'section',
  fields: pairs.slice(0, 10).map(([label, value]) => text(mrkdwn`*${label}*\n${value}`, limits.fieldText)),
});

/**
 * Labelled values side by side, each shown whole: a value too long for a field (2,000 characters
 * of markup) gets sections of its own below the others instead of being cut.
 */
export function wholeFields(pairs: Array<[string, Interpolated]>): SectionBlock[] {
  const labelled = pairs.map(([label, value]) => mrkdwn`*${label}*\n${value}`);
  const fit = labelled.filter((m) => m.text.length <= limits.fieldText);
  const long = labelled.filter((m) => m.text.length > limits.fieldText);
  const grid: SectionBlock[] = [];
  for (let i = 0; i < fit.length; i += 10)
    grid.push({ type: 'section', fields: fit.slice(i, i + 10).map((m) => text(m, limits.fieldText)) });
  return [...grid, ...long.flatMap(sections)];
}

export const context = (m: Mrkdwn): ContextBlock => ({
  type: 'context',
  elements: [text(m, limits.sectionText)],
});

/**
 * The dialog Slack shows before it sends a click: Slack's own "are you sure?", for the clicks that
 * grant or remove admin rights. Plain text throughout, so what people typed shows as typed.
 */
export interface ConfirmSpec {
  title: string;
  text: string;
  confirm: string;
  deny: string;
  style?: 'primary' | 'danger';
}

export interface ButtonSpec {
  label: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmSpec;
}

export const confirmDialog = (spec: ConfirmSpec): ConfirmationDialog => ({
  title: { type: 'plain_text', text: clipPlain(spec.title, limits.confirmTitle) },
  text: { type: 'plain_text', text: clipPlain(spec.text, limits.confirmText) },
  confirm: { type: 'plain_text', text: clipPlain(spec.confirm, limits.confirmButton) },
  deny: { type: 'plain_text', text: clipPlain(spec.deny, limits.confirmButton) },
  ...(spec.style ? { style: spec.style } : {}),
});

export const button = (spec: ButtonSpec): Button => ({
  type: 'button',
  action_id: spec.actionId,
  value: spec.value,
  text: { type: 'plain_text', text: clipPlain(spec.label, limits.buttonText), emoji: true },
  ...(spec.style ? { style: spec.style } : {}),
  ...(spec.confirm ? { confirm: confirmDialog(spec.confirm) } : {}),
});

export const actions = (blockId: string, buttons: ButtonSpec[]): ActionsBlock => ({
  type: 'actions',
  block_id: blockId,
  elements: buttons.map(button),
});

/**
 * A message: its notification text (cut to the 4,000 characters Slack advises, with an ellipsis)
 * and its blocks, kept within Slack's block limit, saying so rather than failing the post.
 */
export function message(notification: Mrkdwn, blocks: KnownBlock[]): SlackMessage {
  const shown =
    blocks.length <= limits.messageBlocks
      ? blocks
      : [...blocks.slice(0, limits.messageBlocks - 1), context(mrkdwn`…and more not shown here.`)];
  return { text: clipMrkdwn(made(notification), limits.messageText).text, blocks: shown } as SlackMessage;
}

/** What a person typed, as a quote: every line marked, nothing in it live. */
export const quoted = (typed: string): Mrkdwn =>
  joinMrkdwn(
    typed.split('\n').map((line) => mrkdwn`>${line}`),
    '\n',
  );

/** A message that is one text: a reply or a notice of a line or two. */
export const textMessage = (m: Mrkdwn): SlackMessage => message(m, [section(m)]);

export const modalTitle = (plain: string) => ({ type: 'plain_text' as const, text: clipPlain(plain, limits.modalTitle) });
