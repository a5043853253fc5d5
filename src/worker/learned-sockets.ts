// --balance kernel: connections go from the kernel to the workers, never through
// naught. A listen(port), listen(port, host) or listen(path) that no socket naught
// holds answers (held-sockets.ts) is asked of naught instead of node:cluster: naught
// binds a socket there the first time and holds it, as it holds --listen's (so the
// address stays bound while every worker dies and restarts), and sends it over the
// channel; this worker listens on it itself. Every worker asks, so naught knows who
// listens where, and closes what the running release no longer listens on.
import net from 'node:net';
import { AGENT_CMD, type AgentMessage, type LearnedAddress } from '../protocol/agent.js';
import { listenOnHandle, type SocketHandle } from '../host/node-internals.js';
import { backlogAndCallback, whereOf } from './held-sockets.js';

interface Waiting {
  server: net.Server;
  backlog: number | undefined;
  callback: (() => void) | undefined;
  address: LearnedAddress;
}

/** What a listen() call asks for, when naught may hold it: a port other than 0, or a path; null leaves the call to node. */
function addressOf(args: unknown[]): LearnedAddress | null {
  const where = whereOf(args[0]);
  if (where === null || 'fd' in where) return null;
  if ('path' in where) return where;
  if (where.port === 0) return null;
  const first = args[0] as { host?: unknown; exclusive?: unknown; reusePort?: unknown; ipv6Only?: unknown } | number | string;
  // Options node keeps for itself: naught would bind otherwise than they ask.
  if (typeof first === 'object' && (first.exclusive === true || first.reusePort === true || first.ipv6Only === true)) return null;
  const host = typeof first === 'object' ? first.host : args[1];
  return typeof host === 'string' && host !== '' ? { host, port: where.port } : { port: where.port };
}

/** Installs the listen() that asks naught; returns what to do with naught's answers. */
export function learnSockets(tell: (message: AgentMessage) => void): (message: Extract<AgentMessage, { kind: 'listening' }>, handle: unknown) => void {
  const waiting = new Map<number, Waiting>();
  let nextId = 1;
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    const address = this.listening ? null : addressOf(args);
    if (address === null) return listen.apply(this, args as Parameters<typeof listen>);
    const id = nextId++;
    waiting.set(id, { server: this, ...backlogAndCallback(args), address });
    tell({ cmd: AGENT_CMD, kind: 'listen', id, address });
    return this;
  } as typeof listen;
  return (message, handle) => {
    const asked = waiting.get(message.id);
    if (asked === undefined) return;
    waiting.delete(message.id);
    if (message.error === undefined && handle !== undefined && handle !== null) {
      listenOnHandle(asked.server, handle as SocketHandle, asked.backlog, asked.callback);
      return;
    }
    // As node's own listen() fails: an 'error' on the server, with the errno's code (naught's words name the address).
    const { code, message: why } = message.error ?? { code: 'EINVAL', message: 'no socket came with the answer' };
    const error = Object.assign(new Error(`listen ${code}: ${why}`), { code, errno: code, syscall: 'listen', ...asked.address });
    process.nextTick(() => asked.server.emit('error', error));
  };
}
