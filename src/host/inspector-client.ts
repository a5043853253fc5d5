// A client of node's inspector protocol (the Chrome DevTools protocol) over the
// WebSocket a worker's inspector listens on, with node's own WebSocket (undici's,
// loaded by node the first time naught examines a worker, never before).
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { monotonicMs } from './monotonic.js';

type Params = Record<string, unknown>;

const POLL_MS = 25;

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(port, '127.0.0.1');
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

export class InspectorSession {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(result: Params): void; reject(error: Error): void }>();
  private closedWhy: Error | null = null;

  private constructor(
    private readonly socket: WebSocket,
    /** Where it listens. */
    readonly url: URL,
  ) {
    socket.addEventListener('message', (event) => this.onMessage(String(event.data)));
    socket.addEventListener('close', () => this.fail(new Error('the worker closed its inspector')));
  }

  /** Connects to `url` (ws://127.0.0.1:port/id), or rejects once `signal` aborts. */
  static async open(url: string, signal: AbortSignal): Promise<InspectorSession> {
    const { WebSocket } = process.getBuiltinModule('node:http');
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string): void => {
        socket.close();
        reject(new Error(why));
      };
      const aborted = (): void => fail('its inspector did not answer in time');
      signal.addEventListener('abort', aborted, { once: true });
      socket.addEventListener('open', () => {
        signal.removeEventListener('abort', aborted);
        resolve();
      });
      socket.addEventListener('error', () => fail('its inspector refused the connection'));
    });
    return new InspectorSession(socket, new URL(url));
  }

  /** Sends one command; resolves with its result, rejects with the protocol's error or when the session closes. */
  post(method: string, params: Params = {}): Promise<Params> {
    if (this.closedWhy !== null) return Promise.reject(this.closedWhy);
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  /** Ends the session. */
  close(): void {
    this.socket.close();
    this.fail(new Error('the inspector session was closed'));
  }

  /** Resolves once nothing listens where the inspector did (polled), or after `ms`: false then. */
  async listenerGone(ms: number): Promise<boolean> {
    const deadline = monotonicMs() + ms;
    const port = Number(this.url.port);
    while (await listening(port)) {
      if (monotonicMs() > deadline) return false;
      await sleep(POLL_MS);
    }
    return true;
  }

  private onMessage(data: string): void {
    let message: { id?: unknown; result?: unknown; error?: { message?: unknown } };
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    // A notification (a `method`, no `id`): naught listens to none.
    const waiting = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
    if (waiting === undefined) return;
    this.pending.delete(message.id as number);
    if (message.error !== undefined) waiting.reject(new Error(String(message.error.message ?? 'the inspector refused')));
    else waiting.resolve((message.result ?? {}) as Params);
  }

  private fail(why: Error): void {
    if (this.closedWhy !== null) return;
    this.closedWhy = why;
    for (const waiting of this.pending.values()) waiting.reject(why);
    this.pending.clear();
  }
}
