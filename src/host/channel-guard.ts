// What a worker writes on its IPC channel is read and acted on inside naught by node
// itself, which trusts it: child_process's reader throws on a line that is not JSON
// and buffers a line with no end for ever, and node:cluster's primary throws on a
// listen request with a port that is no port (or opens naught's own fd when asked
// to listen on an fd). A throw there is an uncaught exception in naught, and every
// worker goes with it. The guard sits in front of both, so that what a worker sends
// can cost that worker, never naught. It reaches two of node's internals, by name
// (node-internals.ts): the channel's handle (its onread) on the ChildProcess, and the
// text the reader holds back; where a Node line lacks one, that part of the guard is left out.
import type { ChildProcess } from 'node:child_process';
import { printable } from '../protocol/printable.js';
import { CHANNEL_SYMBOLS, INTERNAL_MESSAGE } from './node-internals.js';

/** The most one message may take: node:cluster's and the agent's are a few hundred bytes, an app's own a few KiB. */
export const MAX_CHANNEL_MESSAGE_BYTES = 16 * 1024 * 1024;

/** How much of what node said of a bad message the notice keeps. */
const REASON_CHARS = 200;

interface ChannelHandle {
  onread: (this: ChannelHandle, arrayBuffer?: ArrayBuffer) => void;
  [key: symbol]: unknown;
}

function symbolNamed(object: object, name: string): symbol | undefined {
  return Object.getOwnPropertySymbols(object).find((symbol) => symbol.description === name);
}

function reason(error: unknown): string {
  return printable(String((error as Error | undefined)?.message ?? error)).slice(0, REASON_CHARS);
}

/**
 * Calls `onFault` once, with why, when the worker sends what naught cannot take;
 * from then on nothing more it sends is read or acted on (the caller kills it).
 */
export function guardChannel(child: ChildProcess, onFault: (why: string) => void): void {
  let faulted = false;
  const fault = (why: string): void => {
    if (faulted) return;
    faulted = true;
    onFault(why);
  };
  guardReads(child, fault, () => faulted);
  guardNodeMessages(child, fault, () => faulted);
}

/** Lines that are not JSON, and a line longer than MAX_CHANNEL_MESSAGE_BYTES. */
function guardReads(child: ChildProcess, fault: (why: string) => void, faulted: () => boolean): void {
  const key = symbolNamed(child, CHANNEL_SYMBOLS.handle);
  const handle = key === undefined ? undefined : ((child as unknown as Record<symbol, ChannelHandle | undefined>)[key] ?? undefined);
  if (handle === undefined || typeof handle.onread !== 'function') return;
  const pendingKey = symbolNamed(handle, CHANNEL_SYMBOLS.unread);
  const read = handle.onread;
  handle.onread = function (this: ChannelHandle, arrayBuffer?: ArrayBuffer) {
    // After a fault the reader's state is unknown: nothing more is read, but the channel's end still closes it.
    if (faulted() && arrayBuffer !== undefined) return;
    try {
      read.call(this, arrayBuffer);
    } catch (error) {
      return fault(`sent naught a message it cannot read (${reason(error)})`);
    }
    const pending = pendingKey === undefined ? undefined : handle[pendingKey];
    if (typeof pending === 'string' && pending.length > MAX_CHANNEL_MESSAGE_BYTES) fault(`sent naught a message of more than ${MAX_CHANNEL_MESSAGE_BYTES / 1024 / 1024} MiB`);
  };
}

/** node:cluster's own messages (cmd NODE_CLUSTER, NODE_HANDLE…), acted on by node in naught's process. */
function guardNodeMessages(child: ChildProcess, fault: (why: string) => void, faulted: () => boolean): void {
  const emit = child.emit as (this: ChildProcess, event: string | symbol, ...args: unknown[]) => boolean;
  child.emit = function (this: ChildProcess, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== INTERNAL_MESSAGE && event !== 'message') return emit.call(this, event, ...args);
    // What it sent before the fault, read in the same chunk, is not believed either.
    if (faulted()) return false;
    if (event === 'message') return emit.call(this, event, ...args);
    const refused = refusal(args[0]);
    if (refused !== null) {
      fault(refused);
      return false;
    }
    try {
      return emit.call(this, event, ...args);
    } catch (error) {
      // Only node's own handlers act on these synchronously; naught's read its agent's (cmd NODE_NAUGHT) and do not throw.
      fault(`sent naught a message node could not take (${reason(error)})`);
      return true;
    }
  } as typeof child.emit;
}

/** A node:cluster request that would make naught act on its own descriptors. */
function refusal(message: unknown): string | null {
  if (typeof message !== 'object' || message === null) return null;
  const { cmd, act, fd } = message as { cmd?: unknown; act?: unknown; fd?: unknown };
  if (cmd !== 'NODE_CLUSTER' || act !== 'queryServer' || fd === undefined || fd === null) return null;
  if (typeof fd === 'number' && fd < 0) return null;
  // node:cluster would listen on naught's fd of that number: its ipc socket, a log file, a held socket.
  return `asked naught to listen on its own fd ${printable(String(fd)).slice(0, REASON_CHARS)} (a worker listens on an fd of its own with naught's --listen)`;
}
