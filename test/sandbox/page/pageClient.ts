import type { ClickTarget, ClockStep } from '../../../src/sandbox/page/operations.js';
import type { ConversationState, ItemState, PageState } from '../../../src/sandbox/page/pageState.js';

/** A person of the sandbox: a user in their workspace. */
export interface Person {
  id: string;
  teamId: string;
}

const who = (person: Person) => ({ user: person.id, team: person.teamId });

/** The sandbox page's JSON API, as the page's script calls it: every call names the person and their workspace. */
export class PageClient {
  constructor(private readonly url: string) {}

  async state(person: Person): Promise<PageState> {
    const query = new URLSearchParams(who(person));
    return (await this.call('GET', `/api/state?${query}`)) as PageState;
  }

  /** Types a slash command into the person's DM, or into `channel`. */
  async command(person: Person, text: string, channel?: string): Promise<void> {
    await this.post('/api/command', { ...who(person), text, channel: channel ?? (await this.dm(person)).id });
  }

  async click(person: Person, input: ClickTarget): Promise<void> {
    await this.post('/api/click', { ...who(person), ...input });
  }

  /** Clicks `label` on a message of the person's DM. */
  async clickInDm(person: Person, item: ItemState, label: string): Promise<void> {
    await this.click(person, { surface: 'message', channel: (await this.dm(person)).id, ts: item.ts, label });
  }

  async submit(person: Person, viewId: string, values: Record<string, unknown>): Promise<void> {
    await this.post('/api/submit', { ...who(person), viewId, values });
  }

  async provision(body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
    return (await this.post('/api/provision', body)) as { status: number; body: Record<string, unknown> };
  }

  async advanceClock(by: ClockStep): Promise<{ now: string; aheadMs: number }> {
    return (await this.post('/api/clock/advance', { by })) as { now: string; aheadMs: number };
  }

  async setDeactivated(person: Person, deactivated: boolean): Promise<{ deactivated: boolean }> {
    return (await this.post('/api/deactivate', { ...who(person), deactivated })) as { deactivated: boolean };
  }

  async upload(person: Person, name: string, mimetype: string, content: string): Promise<{ id: string; name: string }> {
    const query = new URLSearchParams(who(person));
    return (await this.post(`/api/upload?${query}`, content, { 'content-type': mimetype, 'x-file-name': encodeURIComponent(name) })) as {
      id: string;
      name: string;
    };
  }

  async dm(person: Person): Promise<ConversationState> {
    return (await this.state(person)).conversations.find((c) => c.kind === 'dm')!;
  }

  /** The support channel as the person sees it (undefined when they are not in it). */
  async channel(person: Person): Promise<ConversationState | undefined> {
    return (await this.state(person)).conversations.find((c) => c.kind === 'channel');
  }

  /** The last message (or ephemeral) in the person's DM whose text contains `text`. */
  async dmItem(person: Person, text: string): Promise<ItemState> {
    const item = (await this.dm(person)).items.findLast((i) => i.text.includes(text));
    if (!item) throw new Error(`${person.id} of ${person.teamId} has no DM containing "${text}"`);
    return item;
  }

  /** Answers anything but 2xx with the page server's error message. */
  async post(path: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<unknown> {
    return this.call('POST', path, typeof body === 'string' ? body : JSON.stringify(body), headers);
  }

  async call(method: string, path: string, body?: string, headers?: Record<string, string>): Promise<unknown> {
    const res = await fetch(`${this.url}${path}`, { method, ...(body === undefined ? {} : { body, headers }) });
    const json = (await res.json()) as { error?: string };
    if (!res.ok) throw new PageError(res.status, json.error ?? '');
    return json;
  }
}

export class PageError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(`HTTP ${status}: ${message}`);
  }
}
