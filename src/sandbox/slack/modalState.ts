// A modal's `view.state` as Slack builds it when the person submits: every stateful element
// appears, with what they typed, picked or uploaded, else what they typed before, else the
// element's initial value, else null / [].

import { findStatefulElements, isJson, textOf, type Json } from './blockKit.js';
import type { FakeWorkspace } from './workspace.js';
import type { FakeView, ViewState } from './types.js';

/** A value typed into a modal input, keyed by the input's action_id in submitView. */
export type FieldValue =
  | string
  | { user: string }
  | { users: string[] }
  | { files: Array<{ id: string; name: string; mimetype?: string }> }
  | { option: string }
  | { options: string[] }
  | null;

/** Element types whose single value is a plain string in `state.values`, and its key. */
const SCALAR_KEYS: Record<string, string> = {
  plain_text_input: 'value',
  email_text_input: 'value',
  url_text_input: 'value',
  number_input: 'value',
  users_select: 'selected_user',
  conversations_select: 'selected_conversation',
  channels_select: 'selected_channel',
  datepicker: 'selected_date',
  timepicker: 'selected_time',
  datetimepicker: 'selected_date_time',
};
const LIST_KEYS: Record<string, string> = {
  multi_users_select: 'selected_users',
  multi_conversations_select: 'selected_conversations',
  multi_channels_select: 'selected_channels',
};
const SINGLE_OPTION_TYPES = new Set(['static_select', 'external_select', 'radio_buttons']);
const MULTI_OPTION_TYPES = new Set(['multi_static_select', 'multi_external_select', 'checkboxes']);
/** state key → the element field holding its initial value. */
const INITIAL_FIELDS: Record<string, string> = {
  value: 'initial_value',
  selected_user: 'initial_user',
  selected_conversation: 'initial_conversation',
  selected_channel: 'initial_channel',
  selected_date: 'initial_date',
  selected_time: 'initial_time',
  selected_date_time: 'initial_date_time',
  selected_users: 'initial_users',
  selected_conversations: 'initial_conversations',
  selected_channels: 'initial_channels',
};

/** `view.state` as Slack builds it: every stateful element appears, unset ones as null/[]. */
export function buildViewState(slack: FakeWorkspace, view: FakeView, values: Record<string, FieldValue>, userId: string): ViewState {
  const elements = findStatefulElements(view.view.blocks);
  const known = elements.map((e) => e.actionId);
  const unknown = Object.keys(values).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new Error(`View ${view.id} has no input with action_id ${unknown.join(', ')}; inputs: ${known.join(', ') || '(none)'}`);
  }
  const state: ViewState = { values: {} };
  for (const { blockId, actionId, element } of elements) {
    let entry: Json;
    if (Object.hasOwn(values, actionId)) {
      const value = values[actionId];
      entry = value === null || value === undefined ? emptyState(element, false) : fieldState(slack, element, actionId, value, userId);
    } else {
      entry = view.state.values[blockId]?.[actionId] ?? emptyState(element, true);
    }
    state.values[blockId] ??= {};
    state.values[blockId][actionId] = entry;
  }
  return state;
}

function fieldState(slack: FakeWorkspace, element: Json, actionId: string, value: Exclude<FieldValue, null>, userId: string): Json {
  const type = String(element.type);
  const mismatch = (): Error => new Error(`Input "${actionId}" is a ${type}; it cannot take ${JSON.stringify(value)}`);

  if (typeof value === 'string') {
    const scalarKey = SCALAR_KEYS[type];
    if (scalarKey) return { type, [scalarKey]: type === 'datetimepicker' ? Number(value) : value };
    if (SINGLE_OPTION_TYPES.has(type)) return { type, selected_option: findOption(element, value, actionId) };
    if (MULTI_OPTION_TYPES.has(type)) return { type, selected_options: [findOption(element, value, actionId)] };
    if (type === 'rich_text_input') return { type, rich_text_value: richTextValue(value) };
    if (type in LIST_KEYS || type === 'file_input') throw mismatch();
    return { type, value };
  }
  if ('user' in value) {
    if (type !== 'users_select') throw mismatch();
    return { type, selected_user: value.user };
  }
  if ('users' in value) {
    if (type !== 'multi_users_select') throw mismatch();
    return { type, selected_users: [...value.users] };
  }
  if ('option' in value) {
    if (!SINGLE_OPTION_TYPES.has(type)) throw mismatch();
    return { type, selected_option: findOption(element, value.option, actionId) };
  }
  if ('options' in value) {
    if (!MULTI_OPTION_TYPES.has(type)) throw mismatch();
    return { type, selected_options: value.options.map((o) => findOption(element, o, actionId)) };
  }
  if (type !== 'file_input') throw mismatch();
  // Files picked in a file_input already exist in Slack; register unknown ones so files.info works.
  const files = value.files.map((f) => {
    if (!slack.file(f.id)) {
      slack.addFile({
        id: f.id,
        name: f.name,
        mimetype: f.mimetype ?? 'application/octet-stream',
        content: Buffer.alloc(0),
        user: userId,
      });
    }
    return slack.fileObject(f.id)!;
  });
  return { type, files };
}

/** Unset elements: Slack reports null / [] (or the initial value while untouched). */
function emptyState(element: Json, useInitial: boolean): Json {
  const type = String(element.type);
  const initial = (key: string, fallback: unknown): unknown => {
    const field = INITIAL_FIELDS[key];
    return useInitial && field !== undefined && element[field] !== undefined ? structuredClone(element[field]) : fallback;
  };
  const scalarKey = SCALAR_KEYS[type];
  if (scalarKey) return { type, [scalarKey]: initial(scalarKey, null) };
  const listKey = LIST_KEYS[type];
  if (listKey) return { type, [listKey]: initial(listKey, []) };
  if (SINGLE_OPTION_TYPES.has(type)) {
    return { type, selected_option: useInitial && element.initial_option !== undefined ? structuredClone(element.initial_option) : null };
  }
  if (MULTI_OPTION_TYPES.has(type)) {
    return { type, selected_options: useInitial && Array.isArray(element.initial_options) ? structuredClone(element.initial_options) : [] };
  }
  if (type === 'file_input') return { type, files: [] };
  if (type === 'rich_text_input')
    return { type, rich_text_value: useInitial && element.initial_value !== undefined ? element.initial_value : null };
  return { type, value: null };
}

/** Finds an option by value, then by visible text; external selects accept anything. */
function findOption(element: Json, wanted: string, actionId: string): Json {
  const options: Json[] = [];
  if (Array.isArray(element.options)) options.push(...element.options.filter(isJson));
  if (Array.isArray(element.option_groups)) {
    for (const group of element.option_groups.filter(isJson)) {
      if (Array.isArray(group.options)) options.push(...group.options.filter(isJson));
    }
  }
  const match = options.find((o) => o.value === wanted) ?? options.find((o) => textOf(o.text) === wanted);
  if (match) return structuredClone(match);
  if (String(element.type).includes('external')) return { text: { type: 'plain_text', text: wanted, emoji: true }, value: wanted };
  const present = options.map((o) => `${String(o.value)} ("${textOf(o.text) ?? ''}")`).join(', ') || 'none';
  throw new Error(`Input "${actionId}" has no option "${wanted}"; options: ${present}`);
}

function richTextValue(text: string): Json {
  return { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }] };
}
