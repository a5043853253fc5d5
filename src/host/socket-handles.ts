// node's own socket handles (the tcp_wrap and pipe_wrap bindings, reached through
// node-internals.ts). naught needs two
// things node's public net API cannot do: bind a socket without accepting on it (the
// supervisor holds --listen sockets for the workers), and make a cluster worker
// listen on an fd of its own (net sends listen({ fd }) to the primary, which opens
// its own fd of that number).
import { unixSocketPath, type BoundAddress } from '../protocol/listen-fds.js';
import { serverHandle, type SocketHandle } from './node-internals.js';

/** Why a bind failed, for the operator. */
export const BIND_ERRORS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the address is in use',
  EACCES: 'permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)',
  EADDRNOTAVAIL: 'no such address on this host',
  ENOENT: 'its directory does not exist',
};

/** Where a TCP handle is bound (also before it listens, when /proc/net/tcp does not list it yet). */
export function tcpAddress(handle: SocketHandle): { host: string; port: number } | null {
  const out: { address?: string; port?: number } = {};
  if (handle.getsockname(out) !== 0 || out.address === undefined || out.port === undefined) return null;
  return { host: out.address, port: out.port };
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
