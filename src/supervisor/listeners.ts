// The sockets of --listen: bound by naught and held for the workers, as a systemd
// .socket unit holds them, so that a worker's death (or every worker's) leaves the
// address bound, and the workers, which get them from fd 3 on, listen on them
// themselves.
//
// Bound, not listened on: node's public net.Server would accept on a socket it
// listens on, and then naught would take connections the workers should have
// (protocol/socket-handles.ts). The first worker's listen(2) opens the queue, and it
// stays open (the state belongs to the socket, not to a process) until naught
// closes the socket.
import { lookup } from 'node:dns/promises';
import { unlinkSync } from 'node:fs';
import { constants } from 'node:os';
import { getSystemErrorName } from 'node:util';
import { addressText, type BoundAddress, type ListenAddress, type ListenFd } from '../protocol/listen-fds.js';
import { serverHandle, tcpAddress, type SocketHandle } from '../protocol/socket-handles.js';

/** Why a bind failed, for the operator. */
const BIND_ERRORS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the address is in use',
  EACCES: 'permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)',
  EADDRNOTAVAIL: 'no such address on this host',
  ENOENT: 'its directory does not exist',
};

export class Listeners {
  private constructor(
    private readonly handles: SocketHandle[],
    private readonly paths: string[],
    /** The bound sockets, by naught's fd, and where each is bound. */
    readonly sockets: Array<ListenFd & { address: BoundAddress | null }>,
  ) {}

  /** Binds every address, or none: a failure closes what was bound and rejects with one line. */
  static async bind(addresses: readonly ListenAddress[]): Promise<Listeners> {
    const listeners = new Listeners([], [], []);
    if (addresses.length === 0) return listeners;
    try {
      for (const address of addresses) {
        let handle: SocketHandle;
        let code: number;
        if ('path' in address) {
          handle = serverHandle('unix');
          code = handle.bind(address.path);
          if (code === 0) listeners.paths.push(address.path);
        } else {
          handle = serverHandle('tcp');
          const { address: ip, family } = address.host === undefined ? { address: '::', family: 6 } : await resolve(address);
          code = family === 6 ? handle.bind6(ip, address.port, 0) : handle.bind(ip, address.port);
          // No IPv6 on this host: every IPv4 address, as node's listen(port) does then.
          if (code !== 0 && address.host === undefined && getSystemErrorName(code) === 'EAFNOSUPPORT') code = handle.bind('0.0.0.0', address.port);
          // libuv keeps EADDRINUSE from bind(2) for the listen(2) to come: the socket is left unbound.
          if (code === 0 && tcpAddress(handle)?.port !== address.port) code = -constants.errno.EADDRINUSE;
        }
        if (code !== 0) {
          handle.close();
          const name = getSystemErrorName(code);
          throw new Error(`--listen ${addressText(address)}: ${BIND_ERRORS[name] ?? name}`);
        }
        listeners.handles.push(handle);
        listeners.sockets.push({ fd: handle.fd, name: address.name, address: 'path' in address ? { path: address.path } : tcpAddress(handle) });
      }
    } catch (error) {
      listeners.close();
      throw error;
    }
    return listeners;
  }

  /** Closes the sockets, and removes the unix socket files they made. */
  close(): void {
    for (const handle of this.handles.splice(0)) handle.close();
    for (const file of this.paths.splice(0)) {
      try {
        unlinkSync(file);
      } catch {
        // Already removed by someone else: nothing to do.
      }
    }
  }
}

async function resolve(address: { host?: string; port: number }): Promise<{ address: string; family: number }> {
  try {
    return await lookup(address.host!);
  } catch {
    throw new Error(`--listen ${addressText(address as ListenAddress)}: no such host: ${address.host}`);
  }
}
