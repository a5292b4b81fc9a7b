import type { ClickInput, ClockStep } from '../../../src/sandbox/page/operations.js';
import type { ConversationState, ItemState, PageState } from '../../../src/sandbox/page/pageState.js';

/** The sandbox page's JSON API, as the page's script calls it. */
export class PageClient {
  constructor(private readonly url: string) {}

  async state(user: string): Promise<PageState> {
    return (await this.call('GET', `/api/state?user=${encodeURIComponent(user)}`)) as PageState;
  }

  /** Types a slash command into the person's DM, or into `channel`. */
  async command(user: string, text: string, channel?: string): Promise<void> {
    await this.post('/api/command', { user, text, channel: channel ?? (await this.dm(user)).id });
  }

  async click(input: ClickInput): Promise<void> {
    await this.post('/api/click', input);
  }

  async submit(user: string, viewId: string, values: Record<string, unknown>): Promise<void> {
    await this.post('/api/submit', { user, viewId, values });
  }

  async provision(body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
    return (await this.post('/api/provision', body)) as { status: number; body: Record<string, unknown> };
  }

  async advanceClock(by: ClockStep): Promise<{ now: string; aheadMs: number }> {
    return (await this.post('/api/clock/advance', { by })) as { now: string; aheadMs: number };
  }

  async setDeactivated(user: string, deactivated: boolean): Promise<{ deactivated: boolean }> {
    return (await this.post('/api/deactivate', { user, deactivated })) as { deactivated: boolean };
  }

  async dm(user: string): Promise<ConversationState> {
    return (await this.state(user)).conversations.find((c) => c.kind === 'dm')!;
  }

  /** The last message (or ephemeral) in the person's DM whose text contains `text`. */
  async dmItem(user: string, text: string): Promise<ItemState> {
    const item = (await this.dm(user)).items.findLast((i) => i.text.includes(text));
    if (!item) throw new Error(`${user} has no DM containing "${text}"`);
    return item;
  }

  /** Answers anything but 2xx with the page server's error message. */
  async post(path: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<unknown> {
    return this.call('POST', path, typeof body === 'string' ? body : JSON.stringify(body), headers);
  }

  private async call(method: string, path: string, body?: string, headers?: Record<string, string>): Promise<unknown> {
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
