// Block Kit helpers shared by the fake Slack server and the driver: flattening
// visible text, finding buttons and stateful elements, filling in the ids Slack
// generates, and checking the limits Slack enforces.

/** A JSON object of unknown shape: everything the bot sends arrives as parsed JSON. */
export type Json = Record<string, unknown>;

export function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `text` of a text object (`{ type: 'plain_text' | 'mrkdwn', text }`), if any. */
export function textOf(value: unknown): string | undefined {
  return isJson(value) && typeof value.text === 'string' ? value.text : undefined;
}

function jsonList(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isJson) : [];
}

// ---------------------------------------------------------------------------
// Visible text
// ---------------------------------------------------------------------------

/**
 * Flattens the text a user would see in Block Kit blocks into one string, one
 * piece per line, so tests can assert on content without caring about layout.
 */
export function blocksText(blocks: unknown): string {
  const parts: string[] = [];
  for (const block of jsonList(blocks)) collectBlockText(block, parts);
  return parts.join('\n');
}

function push(parts: string[], text: string | undefined): void {
  if (text !== undefined && text !== '') parts.push(text);
}

function collectBlockText(block: Json, parts: string[]): void {
  switch (block.type) {
    case 'header':
      push(parts, textOf(block.text));
      break;
    case 'section':
      push(parts, textOf(block.text));
      for (const field of jsonList(block.fields)) push(parts, textOf(field));
      if (isJson(block.accessory)) push(parts, elementLabel(block.accessory));
      break;
    case 'context':
      for (const element of jsonList(block.elements)) push(parts, textOf(element));
      break;
    case 'actions':
      for (const element of jsonList(block.elements)) push(parts, elementLabel(element));
      break;
    case 'input':
      push(parts, textOf(block.label));
      push(parts, textOf(block.hint));
      break;
    case 'markdown':
      if (typeof block.text === 'string') push(parts, block.text);
      break;
    case 'image':
    case 'video':
      push(parts, textOf(block.title));
      break;
    case 'rich_text':
      push(parts, richText(block.elements));
      break;
  }
}

/** Only buttons carry a label users read; menus show their placeholder or choice. */
function elementLabel(element: Json): string | undefined {
  return element.type === 'button' ? textOf(element.text) : undefined;
}

function richText(elements: unknown): string {
  let out = '';
  for (const element of jsonList(elements)) {
    if (typeof element.text === 'string') out += element.text;
    else if (element.type === 'link' && typeof element.url === 'string') out += element.url;
    else if (Array.isArray(element.elements)) out += richText(element.elements);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Buttons and stateful elements
// ---------------------------------------------------------------------------

export interface ButtonRef {
  blockId: string | undefined;
  element: Json;
  label: string;
}

/** Buttons in `actions` blocks and section accessories, in display order. */
export function findButtons(blocks: unknown): ButtonRef[] {
  const found: ButtonRef[] = [];
  for (const block of jsonList(blocks)) {
    const blockId = typeof block.block_id === 'string' ? block.block_id : undefined;
    const candidates =
      block.type === 'actions' ? jsonList(block.elements) : block.type === 'section' && isJson(block.accessory) ? [block.accessory] : [];
    for (const element of candidates) {
      if (element.type !== 'button') continue;
      found.push({ blockId, element, label: textOf(element.text) ?? '' });
    }
  }
  return found;
}

/** Element types that do not hold a value in `view.state`. */
const STATELESS_ELEMENTS = new Set(['button', 'overflow', 'image', 'workflow_button']);

export interface StatefulElementRef {
  blockId: string;
  actionId: string;
  element: Json;
}

/**
 * Elements whose values Slack reports in `state.values`: input block elements
 * plus menus/pickers placed in sections or actions blocks. Expects normalized
 * blocks (ids filled in).
 */
export function findStatefulElements(blocks: unknown): StatefulElementRef[] {
  const found: StatefulElementRef[] = [];
  for (const block of jsonList(blocks)) {
    if (typeof block.block_id !== 'string') continue;
    let candidates: Json[] = [];
    if (block.type === 'input' && isJson(block.element)) candidates = [block.element];
    else if (block.type === 'section' && isJson(block.accessory)) candidates = [block.accessory];
    else if (block.type === 'actions') candidates = jsonList(block.elements);
    for (const element of candidates) {
      if (typeof element.type !== 'string' || STATELESS_ELEMENTS.has(element.type)) continue;
      if (typeof element.action_id !== 'string') continue;
      found.push({ blockId: block.block_id, actionId: element.action_id, element });
    }
  }
  return found;
}

/**
 * Returns a deep copy of `blocks` with the `block_id`s and `action_id`s Slack
 * generates for blocks/elements that lack them, so stored blocks look like the
 * ones Slack sends back in payloads.
 */
export function normalizeBlocks(blocks: unknown[], newId: (kind: 'block' | 'action') => string): unknown[] {
  const copy = structuredClone(blocks);
  for (const block of copy) {
    if (!isJson(block)) continue;
    if (typeof block.block_id !== 'string') block.block_id = newId('block');
    const elements: Json[] = [];
    if (block.type === 'actions') elements.push(...jsonList(block.elements));
    if (block.type === 'section' && isJson(block.accessory)) elements.push(block.accessory);
    if (block.type === 'input' && isJson(block.element)) elements.push(block.element);
    for (const element of elements) {
      if (element.type !== 'image' && typeof element.action_id !== 'string') element.action_id = newId('action');
    }
  }
  return copy;
}

// ---------------------------------------------------------------------------
// Limits Slack enforces (a subset that catches real bot bugs)
// ---------------------------------------------------------------------------

/** One violation, rendered the way Slack reports it in `response_metadata.messages`. */
export interface BlockProblem {
  pointer: string;
  message: string;
}

export function formatProblems(problems: BlockProblem[]): string[] {
  return problems.map((p) => `[ERROR] ${p.message} [json-pointer:${p.pointer}]`);
}

function checkLength(problems: BlockProblem[], pointer: string, value: unknown, max: number): void {
  if (typeof value === 'string' && value.length > max) {
    problems.push({ pointer, message: `must be less than ${max + 1} characters` });
  }
}

/** Checks a `blocks` array against Slack's limits; `maxBlocks` is 50 for messages, 100 for views. */
export function blockProblems(blocks: unknown, maxBlocks: number, base = '/blocks'): BlockProblem[] {
  const problems: BlockProblem[] = [];
  if (!Array.isArray(blocks)) return [{ pointer: base, message: 'must be an array' }];
  if (blocks.length > maxBlocks) problems.push({ pointer: base, message: `no more than ${maxBlocks} items allowed` });

  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    const at = `${base}/${i}`;
    if (!isJson(block) || typeof block.type !== 'string') {
      problems.push({ pointer: `${at}/type`, message: 'missing required field: type' });
      return;
    }
    if (typeof block.block_id === 'string') {
      checkLength(problems, `${at}/block_id`, block.block_id, 255);
      if (blockIds.has(block.block_id)) problems.push({ pointer: `${at}/block_id`, message: `duplicate block_id: ${block.block_id}` });
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'header':
        if (textOf(block.text) === undefined) problems.push({ pointer: `${at}/text`, message: 'missing required field: text' });
        checkLength(problems, `${at}/text/text`, textOf(block.text), 150);
        break;
      case 'section': {
        const fields = jsonList(block.fields);
        if (textOf(block.text) === undefined && fields.length === 0) {
          problems.push({ pointer: at, message: 'must provide either text or fields' });
        }
        checkLength(problems, `${at}/text/text`, textOf(block.text), 3000);
        if (fields.length > 10) problems.push({ pointer: `${at}/fields`, message: 'no more than 10 items allowed' });
        for (const [j, field] of fields.entries()) checkLength(problems, `${at}/fields/${j}/text`, textOf(field), 2000);
        if (isJson(block.accessory)) checkElements(problems, at, [block.accessory], ['accessory']);
        break;
      }
      case 'actions': {
        const elements = jsonList(block.elements);
        if (elements.length === 0) problems.push({ pointer: `${at}/elements`, message: 'must provide at least 1 item' });
        if (elements.length > 25) problems.push({ pointer: `${at}/elements`, message: 'no more than 25 items allowed' });
        checkElements(
          problems,
          at,
          elements,
          elements.map((_, j) => `elements/${j}`),
        );
        break;
      }
      case 'context': {
        const elements = jsonList(block.elements);
        if (elements.length > 10) problems.push({ pointer: `${at}/elements`, message: 'no more than 10 items allowed' });
        break;
      }
      case 'input':
        if (textOf(block.label) === undefined) problems.push({ pointer: `${at}/label`, message: 'missing required field: label' });
        checkLength(problems, `${at}/label/text`, textOf(block.label), 2000);
        if (!isJson(block.element)) problems.push({ pointer: `${at}/element`, message: 'missing required field: element' });
        else checkElements(problems, at, [block.element], ['element']);
        break;
    }
  });
  return problems;
}

/** Element checks; action_ids must be unique within their block. */
function checkElements(problems: BlockProblem[], blockAt: string, elements: Json[], paths: string[]): void {
  const actionIds = new Set<string>();
  elements.forEach((element, j) => {
    const at = `${blockAt}/${paths[j]}`;
    if (typeof element.action_id === 'string') {
      checkLength(problems, `${at}/action_id`, element.action_id, 255);
      if (actionIds.has(element.action_id))
        problems.push({ pointer: `${at}/action_id`, message: `duplicate action_id: ${element.action_id}` });
      actionIds.add(element.action_id);
    }
    if (element.type === 'button') {
      if (textOf(element.text) === undefined) problems.push({ pointer: `${at}/text`, message: 'missing required field: text' });
      checkLength(problems, `${at}/text/text`, textOf(element.text), 75);
      checkLength(problems, `${at}/value`, element.value, 2000);
      checkLength(problems, `${at}/url`, element.url, 3000);
    }
  });
}

/** Checks a view object (`views.open/push/update/publish`, `response_action` update/push). */
export function viewProblems(view: unknown, expectedType: 'modal' | 'home'): BlockProblem[] {
  if (!isJson(view)) return [{ pointer: '/view', message: 'must be an object' }];
  const problems: BlockProblem[] = [];
  if (view.type !== expectedType) problems.push({ pointer: '/view/type', message: `must be '${expectedType}'` });
  if (expectedType === 'modal') {
    if (textOf(view.title) === undefined) problems.push({ pointer: '/view/title', message: 'missing required field: title' });
    checkLength(problems, '/view/title/text', textOf(view.title), 24);
    checkLength(problems, '/view/submit/text', textOf(view.submit), 24);
    checkLength(problems, '/view/close/text', textOf(view.close), 24);
    const hasInput = jsonList(view.blocks).some((b) => b.type === 'input');
    if (hasInput && textOf(view.submit) === undefined) {
      problems.push({ pointer: '/view/submit', message: 'must provide submit when the view contains input blocks' });
    }
  }
  checkLength(problems, '/view/private_metadata', view.private_metadata, 3000);
  checkLength(problems, '/view/callback_id', view.callback_id, 255);
  checkLength(problems, '/view/external_id', view.external_id, 255);
  problems.push(...blockProblems(view.blocks, 100, '/view/blocks'));
  return problems;
}
