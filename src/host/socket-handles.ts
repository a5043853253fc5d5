// node's own socket handles (the tcp_wrap and pipe_wrap bindings, reached through
// process.binding, a documentation-only deprecation: DEP0111). naught needs two
// things node's public net API cannot do: bind a socket without accepting on it (the
// supervisor holds --listen sockets for the workers), and make a cluster worker
// listen on an fd of its own (net sends listen({ fd }) to the primary, which opens
// its own fd of that number).
import type { Server } from 'node:net';
import { unixSocketPath, type BoundAddress } from '../protocol/listen-fds.js';

/** Why a bind failed, for the operator. */
export const BIND_ERRORS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the address is in use',
  EACCES: 'permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)',
  EADDRNOTAVAIL: 'no such address on this host',
  ENOENT: 'its directory does not exist',
};

export interface SocketHandle {
  readonly fd: number;
  /** A TCP handle's takes a port, a pipe's only the path. */
  bind(address: string, port?: number): number;
  bind6(address: string, port: number, flags: number): number;
  open(fd: number): number;
  getsockname(out: { address?: string; port?: number }): number;
  close(): void;
}

type HandleClass = new (type: number) => SocketHandle;
type Binding = Record<string, unknown> & { constants: { SERVER: number } };

function binding(name: 'tcp_wrap' | 'pipe_wrap'): Binding {
  return (process as unknown as { binding(name: string): Binding }).binding(name);
}

/** A new server handle: TCP, or a unix socket (pipe). */
export function serverHandle(kind: 'tcp' | 'unix'): SocketHandle {
  const found = kind === 'tcp' ? binding('tcp_wrap') : binding('pipe_wrap');
  const Handle = (kind === 'tcp' ? found.TCP : found.Pipe) as HandleClass;
  return new Handle(found.constants.SERVER);
}

/** Where a TCP handle is bound (also before it listens, when /proc/net/tcp does not list it yet). */
export function tcpAddress(handle: SocketHandle): { host: string; port: number } | null {
  const out: { address?: string; port?: number } = {};
  if (handle.getsockname(out) !== 0 || out.address === undefined || out.port === undefined) return null;
  return { host: out.address, port: out.port };
}

/**
 * Makes `server` listen on `handle` as its own, as net does after a primary sends a
 * worker a handle: net's _listen2, which it keeps under that name for code that wraps
 * it. The 'listening' event (and `callback`) follows as for any listen().
 */
export function listenOnHandle(server: Server, handle: SocketHandle, backlog: number | undefined, callback: (() => void) | undefined): Server {
  const internals = server as unknown as { _handle: SocketHandle | null; _listen2(address: null, port: number, type: number, backlog?: number): void };
  if (callback !== undefined) server.once('listening', callback);
  internals._handle = handle;
  internals._listen2(null, -1, -1, backlog);
  return server;
}

/** A socket fd this process holds, where it is bound, and a server handle on it (opened once, when first asked for). */
export interface HeldFd {
  address: BoundAddress | null;
  handle(): SocketHandle;
}

/**
 * A unix socket's path comes from /proc, which lists it before it listens; a TCP
 * socket's from a handle on it, as it may be bound without listening (naught's
 * --listen sockets before a worker listens), and then /proc/net/tcp does not list it.
 */
export function holdFd(fd: number): HeldFd {
  const path = unixSocketPath(fd);
  if (path !== null) {
    let unix: SocketHandle | null = null;
    return { address: { path }, handle: () => (unix ??= opened(serverHandle('unix'), fd)) };
  }
  const tcp = opened(serverHandle('tcp'), fd);
  return { address: tcpAddress(tcp), handle: () => tcp };
}

function opened(handle: SocketHandle, fd: number): SocketHandle {
  handle.open(fd);
  return handle;
}

/**
 * Stops `server` accepting without net's close(): its listening handle closes (in a
 * cluster worker that also tells the primary to route elsewhere), while the server
 * stays as the app left it, so the app's own close() later runs as it always does
 * (a second close of a handle does nothing). http's close() would also reset every
 * keep-alive connection that looks idle.
 */
export function stopAccepting(server: Server): void {
  (server as unknown as { _handle: { close(): void } | null })._handle?.close();
}
