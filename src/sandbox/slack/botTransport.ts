// How the driver's requests reach the bot: to its Request URL, signed the way Slack signs
// them, or as envelopes over the bot's Socket Mode connection to the stand-in.

import type { Json } from './blockKit.js';
import type { FakeWorkspace } from './workspace.js';
import { signSlackRequest, type SlackSignatureHeaders } from './signing.js';

export interface DriverResponse {
  status: number;
  body: string;
  json?: unknown;
}

export class BotTransport {
  constructor(
    private readonly slack: FakeWorkspace,
    private readonly eventsUrl: string | 'socket',
    private readonly signingSecret: string,
    private readonly nowSeconds: () => number,
  ) {}

  send(body: string, contentType: string): Promise<DriverResponse> {
    if (this.eventsUrl === 'socket') return this.sendOverSocket(body, contentType);
    return this.request(body, {
      'content-type': contentType,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...this.signedHeaders(body),
    });
  }

  signedHeaders(body: string, timestampSeconds: number = this.nowSeconds()): SlackSignatureHeaders {
    return signSlackRequest(this.signingSecret, body, timestampSeconds);
  }

  /** Sends `body` with exactly these headers (nothing added). */
  async request(body: string, headers: Record<string, string>): Promise<DriverResponse> {
    if (this.eventsUrl === 'socket') throw new Error('raw HTTP requests need the bot’s Request URL');
    const res = await fetch(this.eventsUrl, { method: 'POST', headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return json === undefined ? { status: res.status, body: text } : { status: res.status, body: text, json };
  }

  /** The same request as an envelope: interactivity and commands from their form, events as JSON. */
  private async sendOverSocket(body: string, contentType: string): Promise<DriverResponse> {
    const form = contentType === 'application/x-www-form-urlencoded' ? new URLSearchParams(body) : undefined;
    const formPayload = form?.get('payload');
    const [type, payload] = form
      ? formPayload
        ? (['interactive', JSON.parse(formPayload) as Json] as const)
        : (['slash_commands', Object.fromEntries(form) as Json] as const)
      : (['events_api', JSON.parse(body) as Json] as const);
    try {
      const ack = await this.slack.deliverEnvelope(type, payload);
      return ack.payload === undefined ? { status: 200, body: '' } : { status: 200, body: JSON.stringify(ack.payload), json: ack.payload };
    } catch (error) {
      // No ack in time: Slack shows the person an error, as for an HTTP request that failed.
      return { status: 500, body: error instanceof Error ? error.message : String(error) };
    }
  }
}
