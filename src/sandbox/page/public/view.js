// The sandbox page's shared state: who is looking (in which workspace), at what, what is on screen;
// and the notices.

export const $ = (id) => document.getElementById(id);

export const view = {
  /** Who is looking: a user in a workspace (user ids are only unique within one). */
  team: localStorage.getItem('vouch-sandbox.team') ?? '',
  person: localStorage.getItem('vouch-sandbox.person') ?? '',
  /** 'home' or a conversation id. */
  surface: localStorage.getItem('vouch-sandbox.surface') ?? '',
  state: null,
  /** What each region shows now, so a refresh only redraws what changed. */
  drawn: new Map(),
  /** Ephemerals already on screen, so only new ones are announced. */
  seenEphemerals: null,
};

export function notify(text, kind = 'info') {
  const p = document.createElement('p');
  p.className = kind;
  p.textContent = kind === 'error' ? `Error: ${text}` : text;
  const log = $('notices');
  log.prepend(p);
  while (log.children.length > 6) log.lastElementChild.remove();
}

/** The person as every page API call names them. */
export const who = () => ({ user: view.person, team: view.team });

/** `?user=…&team=…` for the calls that take them in the address. */
export const whoQuery = () => new URLSearchParams(who()).toString();
