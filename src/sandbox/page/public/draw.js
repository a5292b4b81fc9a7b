// Drawing the chosen person's state in their workspace (pre-rendered by the server) into the page,
// redrawing only what changed.

import { $, notify, view } from './view.js';

// ---------------------------------------------------------------------------
// Drawing
// ---------------------------------------------------------------------------

export function draw(state) {
  view.state = state;
  view.person = state.me.id; // the server picks someone on a first visit
  view.team = state.me.teamId;
  drawWorkspaces(state);
  drawPeople(state);
  $('clock-now').textContent = clockText(state.clock);
  const surfaces = [...state.conversations.map((c) => c.id), 'home'];
  if (!surfaces.includes(view.surface)) view.surface = state.conversations[0].id;
  drawNav(state);
  drawSurface(state);
  drawModal(state.modal);
  announceEphemerals(state);
  document.body.dataset.person = state.me.id;
  document.body.dataset.team = state.workspace.id;
}

const kindText = { provider: 'the provider’s workspace: support', customer: 'a customer’s workspace' };

/** The workspace switcher, and the sidebar forms that name a person of any workspace. */
function drawWorkspaces(state) {
  if ($('workspace').options.length === 0) {
    for (const w of state.workspaces) {
      $('workspace').append(new Option(`${w.name} (${w.kind === 'provider' ? 'provider' : 'customer'})`, w.id));
      // Accounts belong to customers' workspaces.
      if (w.kind === 'customer') $('provision-contact').append(peopleGroup(w, (p) => [`${p.realName} <${p.email}>`, p.email]));
      $('deactivate-person').append(peopleGroup(w, (p) => [p.realName, p.id]));
    }
  }
  $('workspace').value = state.workspace.id;
  // Each workspace says whether Vouch is installed there now.
  const installs = state.workspaces.map((w) => `${w.id}:${w.installed}`).join(' ');
  if (view.drawn.get('installs') !== installs) {
    const chosen = $('installs-workspace').value;
    const label = (w) => `${w.name} (${w.installed ? 'installed' : 'not installed'})`;
    $('installs-workspace').replaceChildren(...state.workspaces.map((w) => new Option(label(w), w.id)));
    if (chosen) $('installs-workspace').value = chosen;
    view.drawn.set('installs', installs);
  }
  const index = state.workspaces.findIndex((w) => w.id === state.workspace.id);
  const card = [
    `<p class="workspace-name">${escapeText(state.workspace.name)}</p>`,
    `<p class="workspace-kind">${escapeText(kindText[state.workspace.kind])}</p>`,
    state.installed ? '' : '<p class="workspace-uninstalled">Vouch is not installed here: Slack refuses its calls.</p>',
  ].join('');
  if (redraw('workspace-card', $('workspace-card'), card)) $('workspace-card').dataset.index = String(index);
}

/** A workspace's people as an <optgroup> named after it; each option knows its workspace. */
function peopleGroup(workspace, labelAndValue) {
  const group = document.createElement('optgroup');
  group.label = workspace.name;
  for (const p of workspace.people) {
    const option = new Option(...labelAndValue(p));
    option.dataset.team = workspace.id;
    group.append(option);
  }
  return group;
}

/** The people of the chosen workspace, redrawn when the workspace changes. */
function drawPeople(state) {
  if (view.drawn.get('people-of') !== state.workspace.id) {
    $('person').replaceChildren(...state.people.map((p) => new Option(`${p.realName} (${p.role})`, p.id)));
    view.drawn.set('people-of', state.workspace.id);
  }
  $('person').value = state.me.id;
}

function clockText(clock) {
  const at = `${clock.now.replace('T', ' ').slice(0, 16)} UTC`;
  if (clock.aheadMs === 0) return at;
  const hours = Math.round(clock.aheadMs / 3_600_000);
  const ahead = hours >= 24 ? plural(Math.round((hours / 24) * 10) / 10, 'day') : plural(hours, 'hour');
  return `${at} (${ahead} ahead of real time)`;
}

const plural = (n, unit) => `${n} ${unit}${n === 1 ? '' : 's'}`;

const HOME_LABEL = 'Home tab of Vouch';
const conversationLabel = (conversation) => (conversation.kind === 'dm' ? 'Vouch (direct messages)' : conversation.name);

function drawNav(state) {
  const entries = [...state.conversations.map((c) => ({ id: c.id, label: conversationLabel(c) })), { id: 'home', label: HOME_LABEL }];
  const html = entries
    .map(
      (e) =>
        `<li><button type="button" data-surface-id="${e.id}"${e.id === view.surface ? ' aria-current="page"' : ''}>${escapeText(e.label)}</button></li>`,
    )
    .join('');
  redraw('nav', $('nav'), html);
}

function drawSurface(state) {
  const conversation = state.conversations.find((c) => c.id === view.surface);
  $('surface-title').textContent = conversation ? conversationLabel(conversation) : HOME_LABEL;
  const html = conversation
    ? conversationHtml(conversation)
    : (state.home?.html ?? '<p class="empty">Vouch has not published a Home tab for you yet.</p>');
  const surface = $('surface');
  const atBottom = surface.scrollHeight - surface.scrollTop - surface.clientHeight < 80;
  const switched = view.drawn.get('surface-id') !== view.surface;
  view.drawn.set('surface-id', view.surface);
  // Like a chat: show the newest message, unless the person scrolled up to read older ones.
  if (redraw('surface', surface, html) && conversation && (atBottom || switched)) surface.scrollTop = surface.scrollHeight;
}

function conversationHtml(conversation) {
  if (conversation.items.length === 0) return '<p class="empty">No messages yet.</p>';
  const item = (i) =>
    `<li>${i.html}${
      i.replies.length > 0
        ? `<p class="thread-label">${i.replies.length} ${i.replies.length === 1 ? 'reply' : 'replies'} in the thread</p><ol class="thread">${i.replies.map(item).join('')}</ol>`
        : ''
    }</li>`;
  return `<ol class="messages">${conversation.items.map(item).join('')}</ol>`;
}

/** Replaces a region's HTML only when it changed, keeping keyboard focus on the same button. */
function redraw(key, element, html) {
  if (view.drawn.get(key) === html) return false;
  const focused = focusKey(document.activeElement);
  element.innerHTML = html;
  view.drawn.set(key, html);
  if (focused && !element.contains(document.activeElement)) {
    [...element.querySelectorAll('button')].find((b) => focusKey(b) === focused)?.focus();
  }
  return true;
}

function focusKey(element) {
  if (!(element instanceof HTMLButtonElement)) return null;
  const where = element.closest('[data-surface]');
  return [
    where?.dataset.surface,
    where?.dataset.ts ?? where?.dataset.viewId,
    element.dataset.actionId,
    element.dataset.label ?? element.dataset.surfaceId,
  ].join('|');
}

function drawModal(modal) {
  const dialog = $('modal');
  if (!modal) {
    view.drawn.delete('modal');
    if (dialog.open) dialog.close();
    return;
  }
  const version = `${modal.id}:${modal.version}`;
  if (view.drawn.get('modal') === version) return;
  view.drawn.set('modal', version);
  dialog.dataset.viewId = modal.id;
  $('modal-title').innerHTML = modal.title;
  $('modal-body').innerHTML = modal.html;
  $('modal-close').innerHTML = modal.close;
  $('modal-submit').hidden = modal.submit === null;
  if (modal.submit !== null) $('modal-submit').innerHTML = modal.submit;
  if (!dialog.open) dialog.showModal();
  // Focus the first field the bot found a problem with, else the first field, else the way out.
  const field = dialog.querySelector('[aria-invalid="true"]') ?? dialog.querySelector('input, select, textarea');
  (field ?? (modal.submit === null ? $('modal-close') : $('modal-submit'))).focus();
}

function announceEphemerals(state) {
  const all = state.conversations.flatMap((c) => c.items.flatMap((i) => [i, ...i.replies])).filter((i) => i.ephemeral);
  const fresh = view.seenEphemerals ? all.filter((i) => !view.seenEphemerals.has(i.key)) : [];
  view.seenEphemerals = new Set(all.map((i) => i.key));
  for (const item of fresh) notify(`Only visible to you: ${summary(item.html)}`);
}

/** A message's first line as plain text: enough to announce it. */
function summary(html) {
  const template = document.createElement('template'); // inert: nothing in it loads or runs
  template.innerHTML = html;
  const text = template.content.querySelector('.bk-header, .bk-text')?.textContent ?? '';
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

function escapeText(text) {
  const span = document.createElement('span');
  span.textContent = text;
  return span.innerHTML;
}
