// Block Kit and mrkdwn as HTML for the sandbox page. Whatever the bot wrote is HTML-escaped
// before any markup is added, so no message can inject markup or script into the page.

import { isJson, textOf, type Json, type ViewState } from '../slack/index.js';

/** Display names for mentions, where links lead, and the people a users_select offers. */
export interface Directory {
  userName(id: string): string | undefined;
  channelName(id: string): string | undefined;
  link(url: string): string;
  people: ReadonlyArray<{ id: string; realName: string }>;
}

/** What a modal's inputs show: what was typed at the last submit, and the bot's inline errors. */
export interface FormContext {
  state: ViewState['values'];
  errors: Record<string, string>;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** Slack escapes only these three in message text. */
const unescapeSlack = (text: string): string => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const EMOJI: Record<string, string> = {
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  warning: '⚠️',
  no_entry: '⛔',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  lock: '🔒',
  key: '🔑',
  wave: '👋',
  tada: '🎉',
  email: '📧',
  page_facing_up: '📄',
  paperclip: '📎',
  bust_in_silhouette: '👤',
  information_source: 'ℹ️',
  mag: '🔍',
  memo: '📝',
};

const emoji = (html: string): string => html.replace(/:([a-z0-9_+-]+):/g, (code, name: string) => EMOJI[name] ?? code);

function attributes(attrs: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(attrs)
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([key, value]) => (value === true ? ` ${key}` : ` ${key}="${escapeHtml(String(value))}"`))
    .join('');
}

const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isJson) : []);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

// ---------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------

/**
 * Slack mrkdwn, minimally: *bold*, _italic_, `code`, mentions, dates, links, a few emoji and
 * newlines. Control sequences (<…>) and code spans are set aside as placeholders first so the
 * formatting rules never see inside them.
 */
export function mrkdwn(text: string, directory: Directory): string {
  const held: string[] = [];
  const hold = (html: string) => `\uE000${held.push(html) - 1}\uE001`;
  const restore = (html: string): string => html.replace(/\uE000(\d+)\uE001/g, (_, i: string) => restore(held[Number(i)] ?? ''));

  const withControls = text
    .replace(/[\uE000\uE001]/g, '')
    .replace(/<([^<>\n]*)>/g, (_, inner: string) => hold(controlSequence(inner, directory)));
  const formatted = escapeHtml(unescapeSlack(withControls))
    .replace(/`([^`\n]+)`/g, (_, code: string) => hold(`<code>${code}</code>`))
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, '$1<strong>$2</strong>')
    .replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1<em>$2</em>');
  return restore(emoji(formatted).replace(/\n/g, '<br>'));
}

/** `<@U…>`, `<#C…>`, `<!date^…|fallback>`, `<!here>`, `<url|text>`: what Slack would show. */
function controlSequence(inner: string, directory: Directory): string {
  const cut = inner.indexOf('|');
  const target = cut < 0 ? inner : inner.slice(0, cut);
  const label = cut < 0 ? undefined : unescapeSlack(inner.slice(cut + 1));

  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `<span class="mention">@${escapeHtml(directory.userName(id) ?? label ?? id)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return `<span class="mention">#${escapeHtml(directory.channelName(id) ?? label ?? id)}</span>`;
  }
  if (target.startsWith('!date^')) {
    const seconds = Number(target.split('^')[1]);
    const datetime = Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : undefined;
    return `<time${attributes({ datetime })}>${escapeHtml(label ?? '')}</time>`;
  }
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(label ?? target.slice(1).split('^')[0]!)}</span>`;
  // Only web and mail links: a javascript: URL must never become a link.
  if (/^(https?:\/\/|mailto:)/i.test(target)) {
    const url = unescapeSlack(target);
    return `<a${attributes({ href: directory.link(url), target: '_blank', rel: 'noopener noreferrer' })}>${escapeHtml(label ?? url)}</a>`;
  }
  return escapeHtml(label ?? unescapeSlack(target));
}

/** A text object: mrkdwn, or plain text (with emoji codes shown as emoji). */
export function textObject(value: unknown, directory: Directory): string {
  const text = textOf(value);
  if (text === undefined) return '';
  if (isJson(value) && value.type === 'mrkdwn') return mrkdwn(text, directory);
  return emoji(escapeHtml(text));
}

const plain = (value: unknown): string => escapeHtml(textOf(value) ?? '');

// ---------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------

/** The blocks of a message, Home tab or modal; `form` is given for modals only. */
export function renderBlocks(blocks: unknown, directory: Directory, form?: FormContext): string {
  return list(blocks)
    .map((block) => renderBlock(block, directory, form))
    .join('');
}

function renderBlock(block: Json, directory: Directory, form: FormContext | undefined): string {
  switch (block.type) {
    case 'header':
      return `<h3 class="bk-header">${textObject(block.text, directory)}</h3>`;
    case 'section': {
      const text = block.text === undefined ? '' : `<div class="bk-text">${textObject(block.text, directory)}</div>`;
      const fields = list(block.fields).map((field) => `<div class="bk-field">${textObject(field, directory)}</div>`);
      const accessory = isJson(block.accessory) ? `<div class="bk-accessory">${renderElement(block.accessory, directory)}</div>` : '';
      return `<div class="bk-section"><div class="bk-section-body">${text}${fields.length > 0 ? `<div class="bk-fields">${fields.join('')}</div>` : ''}</div>${accessory}</div>`;
    }
    case 'context':
      return `<div class="bk-context">${list(block.elements)
        .map((element) =>
          element.type === 'image'
            ? `<span class="bk-image">[${escapeHtml(str(element.alt_text) ?? 'image')}]</span>`
            : `<span>${textObject(element, directory)}</span>`,
        )
        .join(' ')}</div>`;
    case 'divider':
      return '<hr class="bk-divider">';
    case 'actions':
      return `<div class="bk-actions" role="group">${list(block.elements)
        .map((element) => renderElement(element, directory))
        .join('')}</div>`;
    case 'input':
      return form ? renderInput(block, directory, form) : unsupported(`input outside a modal`);
    default:
      return unsupported(`${String(block.type)} block`);
  }
}

const unsupported = (what: string): string => `<p class="bk-unsupported">[The sandbox does not show this ${escapeHtml(what)}.]</p>`;

function renderElement(element: Json, directory: Directory): string {
  return element.type === 'button' ? renderButton(element, directory) : unsupported(`${String(element.type)} element`);
}

/**
 * A real <button> that names itself by label and action_id, which is all a click needs. The
 * style is shown by shape and a text marker, not by colour alone.
 */
function renderButton(element: Json, directory: Directory): string {
  const label = textOf(element.text) ?? '';
  const style = element.style === 'primary' || element.style === 'danger' ? element.style : undefined;
  const confirm = isJson(element.confirm)
    ? JSON.stringify({
        title: textOf(element.confirm.title) ?? 'Are you sure?',
        html: textObject(element.confirm.text, directory),
        confirm: textOf(element.confirm.confirm) ?? 'Yes',
        deny: textOf(element.confirm.deny) ?? 'Cancel',
      })
    : undefined;
  const marker = style === 'danger' ? '<span class="bk-marker" aria-hidden="true">⚠ </span>' : '';
  const styleText = style ? `<span class="visually-hidden"> (${style})</span>` : '';
  return `<button${attributes({
    type: 'button',
    class: `bk-button${style ? ` bk-${style}` : ''}`,
    'data-label': label,
    'data-action-id': str(element.action_id),
    'data-confirm': confirm,
  })}>${marker}${emoji(escapeHtml(label))}${styleText}</button>`;
}

// ---------------------------------------------------------------------------
// Modal inputs
// ---------------------------------------------------------------------------

function renderInput(block: Json, directory: Directory, form: FormContext): string {
  const element = isJson(block.element) ? block.element : {};
  const blockId = str(block.block_id) ?? '';
  const actionId = str(element.action_id) ?? '';
  const id = `field-${blockId}`;
  const error = form.errors[blockId];
  const hint = textOf(block.hint);
  const described = [hint !== undefined ? `${id}-hint` : undefined, error !== undefined ? `${id}-error` : undefined]
    .filter(Boolean)
    .join(' ');
  const common = {
    id,
    name: actionId,
    'aria-describedby': described || undefined,
    'aria-invalid': error !== undefined ? 'true' : undefined,
    'aria-required': block.optional === true ? undefined : 'true',
  };
  const optional = block.optional === true ? ' <span class="optional">(optional)</span>' : '';
  return `<div class="bk-input">
<label for="${escapeHtml(id)}">${plain(block.label)}${optional}</label>
${renderControl(element, form.state[blockId]?.[actionId], common, directory)}
${hint !== undefined ? `<p class="hint" id="${escapeHtml(id)}-hint">${escapeHtml(hint)}</p>` : ''}
${error !== undefined ? `<p class="field-error" id="${escapeHtml(id)}-error"><span aria-hidden="true">⚠ </span>${escapeHtml(error)}</p>` : ''}
</div>`;
}

type Common = Record<string, string | undefined>;

/** One form control per input type; `data-field` tells the page how to read its value. */
function renderControl(element: Json, state: Json | undefined, common: Common, directory: Directory): string {
  const placeholder = textOf(element.placeholder);
  const typed = state === undefined ? str(element.initial_value) : str(state.value);
  switch (element.type) {
    case 'plain_text_input': {
      const lengths = { maxlength: numberAttr(element.max_length), minlength: numberAttr(element.min_length), placeholder };
      return element.multiline === true
        ? `<textarea${attributes({ ...common, ...lengths, rows: 4, 'data-field': 'text' })}>${escapeHtml(typed ?? '')}</textarea>`
        : `<input${attributes({ ...common, ...lengths, type: 'text', value: typed ?? '', 'data-field': 'text' })}>`;
    }
    case 'email_text_input':
      return `<input${attributes({ ...common, type: 'email', value: typed ?? '', placeholder, autocomplete: 'off', 'data-field': 'text' })}>`;
    case 'number_input':
      return `<input${attributes({
        ...common,
        type: 'number',
        value: typed ?? '',
        placeholder,
        step: element.is_decimal_allowed === true ? 'any' : '1',
        min: str(element.min_value),
        max: str(element.max_value),
        'data-field': 'text',
      })}>`;
    case 'users_select': {
      const selected = state === undefined ? str(element.initial_user) : str(state.selected_user);
      const options = directory.people.map((p) => option(p.id, escapeHtml(p.realName), p.id === selected));
      return select(common, 'user', placeholder ?? 'Choose a person', options);
    }
    case 'static_select': {
      const chosen = isJson(state?.selected_option)
        ? state.selected_option
        : state === undefined && isJson(element.initial_option)
          ? element.initial_option
          : undefined;
      const toOption = (o: Json) => option(str(o.value) ?? '', plain(o.text), o.value === chosen?.value);
      const groups = list(element.option_groups).map(
        (g) => `<optgroup label="${escapeHtml(textOf(g.label) ?? '')}">${list(g.options).map(toOption).join('')}</optgroup>`,
      );
      return select(common, 'option', placeholder ?? 'Choose an option', [...list(element.options).map(toOption), ...groups]);
    }
    case 'file_input': {
      const kept = list(state?.files).map((f) => escapeHtml(str(f.name) ?? ''));
      const accept = Array.isArray(element.filetypes) ? element.filetypes.map((t) => `.${String(t)}`).join(',') : undefined;
      const note = kept.length > 0 ? `<p class="hint">Attached: ${kept.join(', ')}. Choose a file to replace it.</p>` : '';
      const multiple = (numberAttr(element.max_files) ?? 1) > 1;
      return `<input${attributes({ ...common, type: 'file', accept, multiple, 'data-field': 'files' })}>${note}`;
    }
    default:
      return unsupported(`${String(element.type)} input`);
  }
}

const numberAttr = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

const option = (value: string, label: string, selected: boolean): string => `<option${attributes({ value, selected })}>${label}</option>`;

function select(common: Common, field: string, placeholder: string, options: string[]): string {
  return `<select${attributes({ ...common, 'data-field': field })}><option value="">${escapeHtml(placeholder)}</option>${options.join('')}</select>`;
}
