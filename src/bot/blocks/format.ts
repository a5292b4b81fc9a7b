import type { ActionsBlock, Button, ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';

/** Slack's own limits, checked where blocks are built. */
export const limits = {
  messageBlocks: 50,
  viewBlocks: 100,
  modalTitle: 24,
  buttonText: 75,
  privateMetadata: 3000,
  headerText: 150,
  sectionText: 3000,
} as const;

export interface SlackMessage {
  /** Notification and screen-reader text; Slack shows it where blocks cannot be shown. */
  text: string;
  blocks: KnownBlock[];
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const mention = (userId: string) => `<@${userId}>`;

/** A date each reader sees in their own time zone, with a UTC fallback. */
export function slackDate(at: Date): string {
  const unix = Math.floor(at.getTime() / 1000);
  const fallback = `${at.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
  return `<!date^${unix}^{date_short_pretty} at {time}|${fallback}>`;
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

export const header = (text: string): HeaderBlock => ({
  type: 'header',
  text: { type: 'plain_text', text: clip(text, limits.headerText), emoji: true },
});

export const section = (text: string, blockId?: string): SectionBlock => ({
  type: 'section',
  ...(blockId ? { block_id: blockId } : {}),
  text: { type: 'mrkdwn', text: clip(text, limits.sectionText) },
});

export const fields = (pairs: Array<[string, string]>): SectionBlock => ({
  type: 'section',
  fields: pairs.slice(0, 10).map(([label, value]) => ({ type: 'mrkdwn', text: clip(`*${label}*\n${value}`, 2000) })),
});

export const context = (text: string): ContextBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: clip(text, limits.sectionText) }],
});

export interface ButtonSpec {
  label: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
}

export const button = (spec: ButtonSpec): Button => ({
  type: 'button',
  action_id: spec.actionId,
  value: spec.value,
  text: { type: 'plain_text', text: clip(spec.label, limits.buttonText), emoji: true },
  ...(spec.style ? { style: spec.style } : {}),
});

export const actions = (blockId: string, buttons: ButtonSpec[]): ActionsBlock => ({
  type: 'actions',
  block_id: blockId,
  elements: buttons.map(button),
});

/** Keeps a message within Slack's block limit, saying so rather than failing the post. */
export function message(text: string, blocks: KnownBlock[]): SlackMessage {
  if (blocks.length <= limits.messageBlocks) return { text, blocks };
  return { text, blocks: [...blocks.slice(0, limits.messageBlocks - 1), context('…and more not shown here.')] };
}

export const modalTitle = (text: string) => ({ type: 'plain_text' as const, text: clip(text, limits.modalTitle) });
