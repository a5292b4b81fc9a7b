// The sandbox page: draws what the chosen person sees in their workspace (pre-rendered by the
// server) and turns what they do into calls to the page API, which plays them to Vouch as Slack would.
// Drawing lives in draw.js, the shared state and notices in view.js.

import { draw } from './draw.js';
import { $, notify, view, who, whoQuery } from './view.js';

// ---------------------------------------------------------------------------
// Talking to the page server
// ---------------------------------------------------------------------------

async function api(path, body) {
  const init = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const res = await fetch(path, init);
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(json.error ?? `The sandbox answered HTTP ${res.status}.`), { status: res.status });
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
        const state = await api(`/api/state?${whoQuery()}`);
        // A fetch begun before the person (or workspace) switched shows the wrong person: fetch again.
        if (view.person !== '' && (state.me.id !== view.person || state.me.teamId !== view.team)) again = true;
        else draw(state);
      } catch (error) {
        // Someone this browser remembers from another run of the sandbox: start with its first person.
        if (error.status === 404 && view.person !== '') {
          view.person = '';
          view.team = '';
          again = true;
        } else notify(error.message, 'error');
      }
    } while (again);
  })().finally(() => {
    pending = null;
  });
  return pending;
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
    ...who(),
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
  if (id === 'home') await act('/api/home-opened', who());
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
  const res = await fetch(`/api/upload?${whoQuery()}`, {
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
  await act('/api/submit', { ...who(), viewId, values });
  const errors = view.state.modal?.errors ?? {};
  for (const message of Object.values(errors)) notify(message, 'error');
}

async function closeModal() {
  await act('/api/close-view', { ...who(), viewId: $('modal').dataset.viewId });
}

async function sendCommand(event) {
  event.preventDefault();
  const text = $('command').value.trim();
  if (text === '') return;
  if (await act('/api/command', { ...who(), channel: currentChannel(), text })) $('command').value = '';
}

async function provision(event) {
  event.preventDefault();
  const form = Object.fromEntries(new FormData(event.target));
  // The primary contact's workspace is the account's: the provisioning API's slackTeamId.
  const chosen = $('provision-contact').selectedOptions[0];
  const workspace = view.state.workspaces.find((w) => w.id === chosen?.dataset.team);
  const contact = workspace?.people.find((p) => p.email === form.primaryContactEmail);
  const result = await act('/api/provision', { ...form, slackTeamId: workspace?.id });
  if (!result) return;
  const { status, body } = result;
  if (status === 201) notify(`Provisioned “${body.name}” in ${workspace.name}’s workspace: ${contact.realName} got the setup DM.`);
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

async function setDeactivated(event) {
  event.preventDefault();
  const chosen = $('deactivate-person').selectedOptions[0];
  const user = chosen?.value;
  const team = chosen?.dataset.team;
  const deactivated = event.submitter?.value === 'true';
  const workspace = view.state.workspaces.find((w) => w.id === team);
  const name = workspace?.people.find((p) => p.id === user)?.realName ?? user;
  if (await act('/api/deactivate', { user, team, deactivated }))
    notify(`${name}’s Slack account in ${workspace?.name} is ${deactivated ? 'deactivated' : 'active again'}; Vouch got user_change.`);
}

async function changeInstall(event) {
  event.preventDefault();
  const team = $('installs-workspace').value;
  const action = event.submitter?.value === 'install' ? 'install' : 'uninstall';
  const name = view.state.workspaces.find((w) => w.id === team)?.name ?? team;
  if (!(await act(`/api/${action}`, { team }))) return;
  if (action === 'install') notify(`Vouch is installed in ${name} again, through its install page.`);
  else notify(`Vouch is uninstalled from ${name}: it got app_uninstalled and makes no more calls there.`);
}

async function advanceClock(step, label) {
  const clock = await act('/api/clock/advance', { by: step });
  if (clock) notify(`Moved the clock ${label} ahead and ran the timers.`);
}

/** The person last chosen in each workspace, so switching back returns to them. */
const lastPerson = JSON.parse(localStorage.getItem('vouch-sandbox.people') ?? '{}');

function switchPerson(id, team = view.team) {
  view.person = id;
  view.team = team;
  lastPerson[team] = id;
  localStorage.setItem('vouch-sandbox.person', id);
  localStorage.setItem('vouch-sandbox.team', team);
  localStorage.setItem('vouch-sandbox.people', JSON.stringify(lastPerson));
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
$('workspace').addEventListener('change', (event) => {
  const workspace = view.state.workspaces.find((w) => w.id === event.target.value);
  const people = workspace?.people ?? [];
  const person = people.find((p) => p.id === lastPerson[workspace?.id]) ?? people[0];
  if (person) switchPerson(person.id, workspace.id);
});
$('composer').addEventListener('submit', sendCommand);
$('provision').addEventListener('submit', provision);
$('deactivate').addEventListener('submit', setDeactivated);
$('installs').addEventListener('submit', changeInstall);
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
