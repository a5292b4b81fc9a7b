import { expect } from 'vitest';
import { blockProblems, formatProblems, viewProblems } from '../../src/sandbox/slack/index.js';

/**
 * Slack's Block Kit limits, as its reference states them. Checked against what a builder returns,
 * before Slack would refuse the call (or the stand-in would): the builders clip, and these
 * tests find the places where clipping is not enough.
 */
export const slackLimits = {
  messageBlocks: 50,
  viewBlocks: 100,
  /** Any text object: section text, context elements, labels… (fields and labels are lower). */
  text: 3000,
  /** The top-level `text` of a message: Slack advises 4,000 characters and truncates at 40,000. */
  messageText: 4000,
  headerText: 150,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  optionText: 75,
  optionValue: 150,
  placeholder: 150,
  inputLabel: 2000,
  inputHint: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  modalButton: 24,
  privateMetadataBytes: 3000,
  id: 255,
} as const;

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isJson) : []);

/** What a builder returns: a message (`text` + `blocks`) or a view (`type: 'modal' | 'home'`). */
export type Surface = { text: string; blocks: unknown[] } | { type: 'modal' | 'home'; blocks: unknown[] };

const isView = (surface: Surface): surface is Extract<Surface, { type: string }> => 'type' in surface;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

class Problems {
  readonly found: string[] = [];

  add(at: string, message: string): void {
    this.found.push(`${at}: ${message}`);
  }

  /**
   * `value` (if a string) has at most `max` characters, counted in UTF-16 units as the stand-in
   * and the builders count them (an emoji is two): the stricter reading of Slack's limits.
   */
  length(at: string, value: unknown, max: number): void {
    if (typeof value !== 'string') return;
    if (LONE_SURROGATE.test(value)) this.add(at, 'half a character (a lone UTF-16 surrogate): not well-formed Unicode');
    const n = value.length;
    if (n > max) this.add(at, `${n} characters, over ${max} by ${n - max}`);
  }

  /** A text object: present, not empty, and within `max`. */
  text(at: string, value: unknown, max: number, required = true): void {
    if (value === undefined && !required) return;
    if (!isJson(value) || typeof value.text !== 'string') {
      this.add(at, 'missing text object');
      return;
    }
    if (value.type !== 'plain_text' && value.type !== 'mrkdwn') this.add(`${at}/type`, `not a text object type: ${String(value.type)}`);
    if (value.text.length === 0) this.add(`${at}/text`, 'empty text');
    this.length(`${at}/text`, value.text, max);
  }

  plainText(at: string, value: unknown, max: number, required = true): void {
    this.text(at, value, max, required);
    if (isJson(value) && value.type !== 'plain_text') this.add(`${at}/type`, 'must be plain_text');
  }
}

function checkConfirm(p: Problems, at: string, confirm: unknown): void {
  if (confirm === undefined) return;
  if (!isJson(confirm)) {
    p.add(at, 'not an object');
    return;
  }
  p.plainText(`${at}/title`, confirm.title, slackLimits.confirmTitle);
  p.text(`${at}/text`, confirm.text, slackLimits.confirmText);
  p.plainText(`${at}/confirm`, confirm.confirm, slackLimits.confirmButton);
  p.plainText(`${at}/deny`, confirm.deny, slackLimits.confirmButton);
}

function checkOptions(p: Problems, at: string, options: unknown): void {
  for (const [i, option] of list(options).entries()) {
    p.text(`${at}/${i}/text`, option.text, slackLimits.optionText);
    p.text(`${at}/${i}/description`, option.description, slackLimits.optionText, false);
    p.length(`${at}/${i}/value`, option.value, slackLimits.optionValue);
  }
}

function checkElement(p: Problems, at: string, element: Json): void {
  p.length(`${at}/action_id`, element.action_id, slackLimits.id);
  p.plainText(`${at}/placeholder`, element.placeholder, slackLimits.placeholder, false);
  checkConfirm(p, `${at}/confirm`, element.confirm);
  checkOptions(p, `${at}/options`, element.options);
  for (const [i, group] of list(element.option_groups).entries()) {
    p.plainText(`${at}/option_groups/${i}/label`, group.label, slackLimits.optionText);
    checkOptions(p, `${at}/option_groups/${i}/options`, group.options);
  }
  switch (element.type) {
    case 'button':
      p.plainText(`${at}/text`, element.text, slackLimits.buttonText);
      p.length(`${at}/value`, element.value, slackLimits.buttonValue);
      p.length(`${at}/url`, element.url, slackLimits.url);
      if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
        p.add(`${at}/style`, `unknown style ${String(element.style)}`);
      }
      break;
    case 'plain_text_input': {
      const max = typeof element.max_length === 'number' ? element.max_length : slackLimits.text;
      if (max > slackLimits.text) p.add(`${at}/max_length`, `${max}, over ${slackLimits.text}`);
      p.length(`${at}/initial_value`, element.initial_value, max);
      break;
    }
  }
}

function checkBlocks(p: Problems, base: string, blocks: unknown[], maxBlocks: number): void {
  if (blocks.length > maxBlocks) p.add(base, `${blocks.length} blocks, over ${maxBlocks} by ${blocks.length - maxBlocks}`);
  const blockIds = new Set<string>();
  for (const [i, block] of blocks.entries()) {
    const at = `${base}/${i}`;
    if (!isJson(block)) {
      p.add(at, 'not an object');
      continue;
    }
    if (typeof block.block_id === 'string') {
      p.length(`${at}/block_id`, block.block_id, slackLimits.id);
      if (blockIds.has(block.block_id)) p.add(`${at}/block_id`, `duplicate block_id ${block.block_id}`);
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'header':
        p.plainText(`${at}/text`, block.text, slackLimits.headerText);
        break;
      case 'section': {
        const fields = list(block.fields);
        if (block.text === undefined && fields.length === 0) p.add(at, 'neither text nor fields');
        p.text(`${at}/text`, block.text, slackLimits.text, fields.length === 0);
        if (fields.length > slackLimits.sectionFields) p.add(`${at}/fields`, `${fields.length} fields, over ${slackLimits.sectionFields}`);
        for (const [j, field] of fields.entries()) p.text(`${at}/fields/${j}`, field, slackLimits.fieldText);
        if (isJson(block.accessory)) checkElement(p, `${at}/accessory`, block.accessory);
        break;
      }
      case 'context': {
        const elements = list(block.elements);
        if (elements.length === 0) p.add(`${at}/elements`, 'no elements');
        if (elements.length > slackLimits.contextElements) p.add(`${at}/elements`, `${elements.length} elements, over 10`);
        for (const [j, element] of elements.entries()) {
          if (element.type !== 'image') p.text(`${at}/elements/${j}`, element, slackLimits.text);
        }
        break;
      }
      case 'actions': {
        const elements = list(block.elements);
        if (elements.length === 0) p.add(`${at}/elements`, 'no elements');
        if (elements.length > slackLimits.actionsElements) p.add(`${at}/elements`, `${elements.length} elements, over 25`);
        const actionIds = new Set<string>();
        for (const [j, element] of elements.entries()) {
          checkElement(p, `${at}/elements/${j}`, element);
          if (typeof element.action_id !== 'string') continue;
          if (actionIds.has(element.action_id)) p.add(`${at}/elements/${j}/action_id`, `duplicate action_id ${element.action_id}`);
          actionIds.add(element.action_id);
        }
        break;
      }
      case 'input':
        p.plainText(`${at}/label`, block.label, slackLimits.inputLabel);
        p.plainText(`${at}/hint`, block.hint, slackLimits.inputHint, false);
        if (isJson(block.element)) checkElement(p, `${at}/element`, block.element);
        else p.add(`${at}/element`, 'missing element');
        break;
      case 'divider':
        break;
      default:
        p.add(`${at}/type`, `a block type these checks do not know: ${String(block.type)}`);
    }
  }
}

/** Every way `surface` breaks one of Slack's limits, as `json-pointer: what`; empty when it fits. */
export function slackLimitProblems(surface: Surface): string[] {
  const p = new Problems();
  const blocks = Array.isArray(surface.blocks) ? surface.blocks : [];
  if (isView(surface)) {
    const view = surface as Json;
    if (view.type === 'modal') {
      p.plainText('/view/title', view.title, slackLimits.modalTitle);
      p.plainText('/view/submit', view.submit, slackLimits.modalButton, false);
      p.plainText('/view/close', view.close, slackLimits.modalButton, false);
    }
    if (typeof view.private_metadata === 'string') {
      const bytes = Buffer.byteLength(view.private_metadata, 'utf8');
      if (bytes > slackLimits.privateMetadataBytes) {
        p.add(
          '/view/private_metadata',
          `${bytes} bytes, over ${slackLimits.privateMetadataBytes} by ${bytes - slackLimits.privateMetadataBytes}`,
        );
      }
    }
    p.length('/view/callback_id', view.callback_id, slackLimits.id);
    p.length('/view/external_id', view.external_id, slackLimits.id);
    checkBlocks(p, '/view/blocks', blocks, slackLimits.viewBlocks);
    // The stand-in's own checks: what it would refuse, Slack would too.
    p.found.push(...formatProblems(viewProblems(view, view.type === 'home' ? 'home' : 'modal')));
  } else {
    if (surface.text.length === 0) p.add('/text', 'empty notification text');
    p.length('/text', surface.text, slackLimits.messageText);
    checkBlocks(p, '/blocks', blocks, slackLimits.messageBlocks);
    p.found.push(...formatProblems(blockProblems(blocks, slackLimits.messageBlocks)));
  }
  return p.found;
}

/** Fails the test, naming every limit broken, unless Slack would take `surface` as it is. */
export function assertWithinSlackLimits(surface: Surface): void {
  const problems = slackLimitProblems(surface);
  expect(problems, `Slack limits broken:\n${problems.join('\n')}`).toEqual([]);
}
