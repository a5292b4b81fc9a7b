// The Socket Mode side of the Slack stand-in: `apps.connections.open` hands out a WebSocket URL on
// the stand-in's own server, which greets the app with `hello`, pings it as Slack does, and
// delivers envelopes (interactivity, slash commands, events) whose acks it hands back.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Json } from './blockKit.js';

export const SOCKET_MODE_PATH = '/socket-mode';

/** What Slack wraps each Socket Mode delivery in. */
export type EnvelopeType = 'interactive' | 'slash_commands' | 'events_api';

/** An app's ack: Slack's answer to a request arrives as `payload` (a modal's errors, a command's reply). */
export interface EnvelopeAck {
  payload?: Json;
}

export class FakeSocketMode {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly waiting = new Map<string, (ack: EnvelopeAck) => void>();
  private pinger: NodeJS.Timeout | undefined;

  constructor(
    private readonly appId: string,
    /** How long an app has to ack (Slack: 3 s). */
    private readonly ackTimeoutMs = 3000,
  ) {}

  attach(http: Server): void {
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!req.url?.startsWith(SOCKET_MODE_PATH)) return void socket.destroy();
      this.server.handleUpgrade(req, socket, head, (ws) => this.connected(ws));
    });
    // Slack pings every few seconds; the client gives up on a connection that stays silent.
    this.pinger = setInterval(() => {
      for (const ws of this.sockets) ws.ping();
    }, 5_000);
    this.pinger.unref();
  }

  get connections(): number {
    return this.sockets.size;
  }

  /** Delivers a payload to a connected app and resolves with its ack; rejects if none comes in time. */
  async deliver(type: EnvelopeType, payload: Json): Promise<EnvelopeAck> {
    const [ws] = this.sockets;
    if (!ws) throw new Error('no Socket Mode connection is open');
    const envelopeId = randomUUID();
    const acked = new Promise<EnvelopeAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(envelopeId);
        reject(new Error(`no ack for envelope ${envelopeId} within ${this.ackTimeoutMs} ms`));
      }, this.ackTimeoutMs);
      this.waiting.set(envelopeId, (ack) => {
        clearTimeout(timer);
        this.waiting.delete(envelopeId);
        resolve(ack);
      });
    });
    ws.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        retry_attempt: 0,
        retry_reason: '',
      }),
    );
    return acked;
  }

  close(): void {
    if (this.pinger) clearInterval(this.pinger);
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
    this.server.close();
  }

  private connected(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data) => {
      let message: { envelope_id?: string; payload?: Json };
      try {
        message = JSON.parse(data.toString()) as typeof message;
      } catch {
        return;
      }
      const settle = message.envelope_id ? this.waiting.get(message.envelope_id) : undefined;
      settle?.(message.payload ? { payload: message.payload } : {});
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.size,
        debug_info: { host: 'fake-slack' },
        connection_info: { app_id: this.appId },
      }),
    );
  }
}
