// In each worker, the sockets naught holds are the worker's own, from fd 3 on. A
// worker must listen on its copy itself: net in a cluster worker sends listen({ fd })
// to the primary, which would open the fd of that number in naught (another file,
// or, for a socket systemd passed, naught's copy, closed with the last worker that
// listened: the address is gone until a worker binds it anew). So the agent makes
// every listen() that means a held socket listen on the worker's copy: listen({ fd: 3 })
// of an app written for plain socket activation, and listen(port) or listen(path) of
// an app that knows nothing of sockets, when one held socket is bound there.
import net from 'node:net';
import path from 'node:path';
import { addressText, type ListenFd } from '../protocol/listen-fds.js';
import { listenOnHandle } from '../host/node-internals.js';
import { holdFd, type HeldFd } from '../host/socket-handles.js';

type Where = { fd: number } | { port: number } | { path: string } | null;
type Held = ListenFd & HeldFd;

/** What the first argument of a listen() call asks for. */
export function whereOf(first: unknown): Where {
  if (typeof first === 'number') return Number.isInteger(first) ? { port: first } : null;
  if (typeof first === 'string') return /^\d+$/.test(first) ? { port: Number(first) } : { path: path.resolve(first) };
  if (typeof first !== 'object' || first === null) return null;
  const options = first as { fd?: unknown; port?: unknown; path?: unknown };
  if (typeof options.fd === 'number') return { fd: options.fd };
  if (typeof options.path === 'string') return { path: path.resolve(options.path) };
  if (options.port !== undefined && /^\d+$/.test(String(options.port))) return { port: Number(options.port) };
  return null;
}

/** The backlog and callback of a listen() call: listen(options, cb), listen(port, host, backlog, cb) and the forms between. */
export function backlogAndCallback(args: unknown[]): { backlog: number | undefined; callback: (() => void) | undefined } {
  const first = args[0] as { backlog?: unknown } | undefined;
  const backlog = typeof first === 'object' && typeof first?.backlog === 'number' ? first.backlog : (args.slice(1).find((arg) => typeof arg === 'number') as number | undefined);
  return { backlog, callback: args.find((arg) => typeof arg === 'function') as (() => void) | undefined };
}

/** The held sockets a listen() call means, by fd, port or path. */
function meant(where: Exclude<Where, null>, held: readonly Held[]): Held[] {
  if ('fd' in where) return held.filter((socket) => socket.fd === where.fd);
  return held.filter(({ address }) => address !== null && ('port' in where ? 'port' in address && address.port === where.port : 'path' in address && address.path === where.path));
}

/** `warn`: says a listen() no held socket answers goes on without one; null when naught is asked for one (learned-sockets.ts). */
export function listenOnHeldSockets(sockets: readonly ListenFd[], warn: ((line: string) => void) | null): void {
  if (sockets.length === 0) return;
  const held: Held[] = sockets.map((socket) => ({ ...socket, ...holdFd(socket.fd) }));
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    const where = whereOf(args[0]);
    // An ephemeral port, a handle, a server already listening: net's own business.
    if (where === null || ('port' in where && where.port === 0) || this.listening) return listen.apply(this, args as Parameters<typeof listen>);
    const matching = meant(where, held);
    if (matching.length === 1) {
      const { backlog, callback } = backlogAndCallback(args);
      return listenOnHandle(this, matching[0]!.handle(), backlog, callback);
    }
    if (!('fd' in where) && warn !== null) {
      const asked = 'port' in where ? `port ${where.port}` : where.path;
      const list = held.map((socket) => `${socket.name} (${socket.address === null ? `fd ${socket.fd}` : addressText(socket.address)})`).join(', ');
      warn(
        matching.length === 0
          ? `naught: this worker listens on ${asked} itself: none of the sockets naught holds is bound there (${list})`
          : `naught: this worker listens on ${asked} itself: ${matching.length} sockets naught holds are bound there (${list}); take one with naught/worker's listen(server, { name })`,
      );
    }
    return listen.apply(this, args as Parameters<typeof listen>);
  } as typeof listen;
}
