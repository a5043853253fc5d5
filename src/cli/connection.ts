// The CLI's side of the ipc socket: connect, send one request, read the replies.
import { UnixSocket } from '../host/node-internals.js';
import { encode, readMessages } from '../protocol/framing.js';
import type { Reply, Request } from '../protocol/messages.js';
import { err } from './print.js';
import { trustOf, type Trust } from './trust.js';

export type Probe =
  | { kind: 'connected'; connection: Connection }
  /** No socket file: nothing runs there. */
  | { kind: 'absent' }
  /** A socket file nobody answers on: naught died without cleaning up. */
  | { kind: 'stale' }
  | { kind: 'unreachable'; reason: string };

export class Connection {
  constructor(
    private readonly socket: UnixSocket,
    /** What may be sent through it (trust.ts). */
    readonly trust: Trust,
  ) {}

  /**
   * Sends `request` and passes each reply to `onReply` until it returns an exit
   * code; `onClose` decides the code when naught closes the socket first.
   */
  converse(request: Request, onReply: (reply: Reply) => number | undefined, onClose: () => number): Promise<number> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (code: number): void => {
        if (settled) return;
        settled = true;
        this.socket.destroy();
        resolve(code);
      };
      readMessages(
        this.socket,
        (message) => {
          const reply = message as Reply;
          const code = onReply(reply);
          if (code !== undefined) return settle(code);
          // A request naught refused, whichever command made it: one line, and done.
          if (reply.type === 'error') {
            err(`naught: ${reply.message}`);
            settle(1);
          }
        },
        (error) => {
          err(`naught: bad answer from the supervisor: ${error.message}`);
          settle(1);
        },
      );
      this.socket.on('close', () => {
        if (!settled) settle(onClose());
      });
      this.send(request);
    });
  }

  /** Reads no more replies until `stream` has written out what it was given: they come no faster than its reader takes them. */
  waitFor(stream: NodeJS.WritableStream): void {
    if (this.socket.isPaused()) return;
    this.socket.pause();
    stream.once('drain', () => this.socket.resume());
  }

  /** Sends `request`, with the key when this user holds it. */
  send(request: Request): void {
    this.socket.write(encode(this.trust.key === null ? request : { ...request, key: this.trust.key }));
  }

  close(): void {
    this.socket.destroy();
  }
}

export async function probe(ipcFile: string): Promise<Probe> {
  // Before connecting: once connected, nothing may wait between the connection and converse().
  let trust: Trust;
  try {
    trust = trustOf(ipcFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    // connect() will say what is wrong with the path; nothing is confided to it anyway.
    trust = { key: null, mayConfide: false, owner: -1 };
  }
  const reached = await UnixSocket.connect(ipcFile);
  // Errors after connecting surface as 'close' in converse().
  if (reached instanceof UnixSocket) return { kind: 'connected', connection: new Connection(reached, trust) };
  if (reached.code === 'ENOENT') return { kind: 'absent' };
  if (reached.code === 'ECONNREFUSED') return { kind: 'stale' };
  return { kind: 'unreachable', reason: reached.message };
}
