// The sandbox page: draws what the chosen person sees (pre-rendered by the server) and turns
// what they do into calls to the page API, which plays them to Vouch as Slack would.

const $ = (id) => document.getElementById(id);

const view = {
  person: localStorage.getItem('vouch-sandbox.person') ?? '',
  /** 'home' or a conversation id. */
  surface: localStorage.getItem('vouch-sandbox.surface') ?? '',
  state: null,
  /** What each region shows now, so a refresh only redraws what changed. */
  drawn: new Map(),
  /** Ephemerals already on screen, so only new ones are announced. */
  seenEphemerals: null,
};

// ---------------------------------------------------------------------------
// Talking to the page server
// ---------------------------------------------------------------------------

async function api(path, body) {
  const init = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const res = await fetch(path, init);
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error ?? `The sandbox answered HTTP ${res.status}.`);
  return json;
}

/** Runs one thing the person did, reports a failure in the notices, then shows the result. */
async function act(path, body) {
  document.body.setAttribute('aria-busy', 'true');
  try {
    return await api(path, body);
  } catch (error) {
    notify(error.message, 'error');
    return undefined;
  } finally {
    document.body.removeAttribute('aria-busy');
    await refresh();
  }
}

let pending = null;
let again = false;

/** Fetches the person's state again; calls during a fetch coalesce into one more. */
function refresh() {
  if (pending) {
    again = true;
    return pending;
  }
  pending = (async () => {
    do {
      again = false;
      try {
        const state = await api(`/api/state?user=${encodeURIComponent(view.person)}`);
        // A fetch begun before the person switched shows the wrong person: fetch again.
        if (view.person !== '' && state.me.id !== view.person) again = true;
        else draw(state);
      } catch (error) {
        notify(error.message, 'error');
      }
    } while (again);
  })().finally(() => {
    pending = null;
  });
  return pending;
}

function notify(text, kind = 'info') {
  const p = document.createElement('p');
  p.className = kind;
  p.textContent = kind === 'error' ? `Error: ${text}` : text;
  const log = $('notices');
  log.prepend(p);
  while (log.children.length > 6) log.lastElementChild.remove();
}

// ---------------------------------------------------------------------------
// Drawing
// ---------------------------------------------------------------------------

function draw(state) {
  view.state = state;
  view.person = state.me.id; // the server picks someone on a first visit
  drawPeople(state);
  $('clock-now').textContent = clockText(state.clock);
  const surfaces = [...state.conversations.map((c) => c.id), 'home'];
  if (!surfaces.includes(view.surface)) view.surface = state.conversations[0].id;
  drawNav(state);
  drawSurface(state);
  drawModal(state.modal);
  announceEphemerals(state);
  document.body.dataset.person = state.me.id;
}

function drawPeople(state) {
  if ($('person').options.length > 0) return;
  for (const p of state.people) {
    $('person').append(new Option(`${p.realName} (${p.role})`, p.id, false, p.id === state.me.id));
    $('provision-contact').append(new Option(`${p.realName} <${p.email}>`, p.email));
  }
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

// ---------------------------------------------------------------------------
// What the person does
// ---------------------------------------------------------------------------

function currentChannel() {
  const conversation = view.state.conversations.find((c) => c.id === view.surface);
  return (conversation ?? view.state.conversations[0]).id;
}

async function clickBlockButton(button) {
  const where = button.closest('[data-surface]');
  if (button.dataset.confirm && !(await confirmed(JSON.parse(button.dataset.confirm)))) return;
  const { surface, channel, ts, viewId } = where.dataset;
  await act('/api/click', {
    user: view.person,
    surface,
    channel,
    ts,
    viewId,
    label: button.dataset.label,
    actionId: button.dataset.actionId,
  });
}

/** A button's `confirm` dialog; resolves true when the person confirms. */
function confirmed(confirm) {
  const dialog = $('confirm');
  $('confirm-title').textContent = confirm.title;
  $('confirm-body').innerHTML = confirm.html;
  $('confirm-ok').textContent = confirm.confirm;
  $('confirm-deny').textContent = confirm.deny;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true }));
}

async function openSurface(id) {
  view.surface = id;
  localStorage.setItem('vouch-sandbox.surface', id);
  if (id === 'home') await act('/api/home-opened', { user: view.person });
  else await refresh();
  $('surface').focus();
}

/** Reads the modal's inputs the way Slack reports them; files are uploaded first. */
async function modalValues(form) {
  const values = {};
  for (const input of form.querySelectorAll('[data-field]')) {
    const value = input.value;
    switch (input.dataset.field) {
      case 'text':
        values[input.name] = value === '' ? null : value;
        break;
      case 'user':
        values[input.name] = value ? { user: value } : null;
        break;
      case 'option':
        values[input.name] = value ? { option: value } : null;
        break;
      case 'files':
        // No new file chosen: leave it out, and Slack keeps what was attached before.
        if (input.files.length > 0) values[input.name] = { files: await Promise.all([...input.files].map(upload)) };
        break;
    }
  }
  return values;
}

async function upload(file) {
  const res = await fetch(`/api/upload?user=${encodeURIComponent(view.person)}`, {
    method: 'POST',
    headers: { 'content-type': file.type || 'application/octet-stream', 'x-file-name': encodeURIComponent(file.name) },
    body: file,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(json.error);
  return json;
}

async function submitModal(event) {
  event.preventDefault();
  const viewId = $('modal').dataset.viewId;
  let values;
  try {
    values = await modalValues(event.target);
  } catch (error) {
    notify(`The file could not be attached: ${error.message}`, 'error');
    return;
  }
  await act('/api/submit', { user: view.person, viewId, values });
  const errors = view.state.modal?.errors ?? {};
  for (const message of Object.values(errors)) notify(message, 'error');
}

async function closeModal() {
  await act('/api/close-view', { user: view.person, viewId: $('modal').dataset.viewId });
}

async function sendCommand(event) {
  event.preventDefault();
  const text = $('command').value.trim();
  if (text === '') return;
  if (await act('/api/command', { user: view.person, channel: currentChannel(), text })) $('command').value = '';
}

async function provision(event) {
  event.preventDefault();
  const form = Object.fromEntries(new FormData(event.target));
  const contact = view.state.people.find((p) => p.email === form.primaryContactEmail);
  const result = await act('/api/provision', form);
  if (!result) return;
  const { status, body } = result;
  if (status === 201) notify(`Provisioned “${body.name}”: ${contact.realName} got the setup DM.`);
  else
    notify(
      `Not provisioned (HTTP ${status}): ${
        body.message ??
        Object.entries(body.fields ?? {})
          .map(([k, v]) => `${k} ${v}`)
          .join('; ')
      }`,
      'error',
    );
}

async function advanceClock(step, label) {
  const clock = await act('/api/clock/advance', { by: step });
  if (clock) notify(`Moved the clock ${label} ahead and ran the timers.`);
}

function switchPerson(id) {
  view.person = id;
  localStorage.setItem('vouch-sandbox.person', id);
  view.seenEphemerals = null;
  view.drawn.clear();
  if (view.surface === 'home') void openSurface('home');
  else void refresh();
}

// ---------------------------------------------------------------------------
// Wiring
// ---------------------------------------------------------------------------

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const blockButton = target?.closest('button.bk-button');
  if (blockButton) return void clickBlockButton(blockButton);
  const navButton = target?.closest('button[data-surface-id]');
  if (navButton) return void openSurface(navButton.dataset.surfaceId);
  const stepButton = target?.closest('button[data-step]');
  if (stepButton) return void advanceClock(stepButton.dataset.step, stepButton.textContent.replace('+', ''));
});
$('person').addEventListener('change', (event) => switchPerson(event.target.value));
$('composer').addEventListener('submit', sendCommand);
$('provision').addEventListener('submit', provision);
$('modal-form').addEventListener('submit', submitModal);
$('modal-close').addEventListener('click', closeModal);
// Escape closes a Slack modal the same way its close button does.
$('modal').addEventListener('cancel', (event) => {
  event.preventDefault();
  void closeModal();
});
new EventSource('/api/events').addEventListener('change', () => void refresh());

void (async () => {
  await refresh();
  if (view.surface === 'home') await openSurface('home');
})();
