// The sockets of --listen: bound by naught and held for the workers, as a systemd
// .socket unit holds them, so that a worker's death (or every worker's) leaves the
// address bound, and the workers, which get them from fd 3 on, listen on them
// themselves.
//
// Bound, not listened on: node's public net.Server would accept on a socket it
// listens on, and then naught would take connections the workers should have
// (host/socket-handles.ts). The first worker's listen(2) opens the queue, and it
// stays open (the state belongs to the socket, not to a process) until naught
// closes the socket.
import { existsSync, unlinkSync } from 'node:fs';
import { constants } from 'node:os';
import { getSystemErrorName } from 'node:util';
import type { LearnedAddress } from '../protocol/agent.js';
import { addressText, UNNAMED, type BoundAddress, type ListenAddress, type ListenFd } from '../protocol/listen-fds.js';
import { serverHandle, type SocketHandle } from '../host/node-internals.js';
import { BIND_ERRORS, holdFd, tcpAddress } from '../host/socket-handles.js';

type Held = ListenFd & { address: BoundAddress | null };

/** The most addresses --balance kernel holds for the workers. */
const MAX_LEARNED = 32;

/**
 * Every socket naught holds for its workers: those passed to it (systemd's, or an
 * upgraded naught's), those it bound for --listen, and those it learned.
 */
export class Listeners {
  private readonly handles: SocketHandle[] = [];
  /** Unix sockets of --listen, removed at the stop. */
  private readonly paths: string[] = [];
  /** By naught's fd, in the order the workers get them (from fd 3 on), and where each is bound. */
  readonly sockets: Held[] = [];
  /**
   * Those bound at an address a worker listens at (--balance kernel), with their handles:
   * sent to each worker that asks, never from fd 3 on, so that naught knows who listens on each.
   */
  private readonly learned: Array<{ socket: Held; handle: SocketHandle }> = [];

  private constructor() {}

  /**
   * Holds `passed`, then binds each address that none of them is bound at already (a
   * naught started by `naught upgrade` gets its predecessor's --listen sockets passed):
   * all, or none, as a failure closes what was bound and rejects with one line. The
   * last `learnedCount` of `passed` are a predecessor's learned sockets: learned here too.
   */
  static async bind(addresses: readonly ListenAddress[], passed: readonly ListenFd[], learnedCount = 0): Promise<Listeners> {
    const listeners = new Listeners();
    passed.forEach((socket, index) => {
      const held = holdFd(socket.fd);
      const kept: Held = { ...socket, address: held.address };
      if (index < passed.length - learnedCount) return void listeners.sockets.push(kept);
      const handle = held.handle();
      listeners.handles.push(handle);
      listeners.learned.push({ socket: kept, handle });
      if (held.address !== null && 'path' in held.address) listeners.paths.push(held.address.path);
    });
    try {
      for (const address of addresses) {
        const target = 'path' in address ? address : { ...address, ...(await resolve(address)) };
        const adopted = listeners.sockets.find((socket) => socket.address !== null && at(socket.address, target));
        if (adopted !== undefined) {
          if ('path' in address) listeners.paths.push(address.path);
          continue;
        }
        listeners.sockets.push(listeners.bindOne(address, target));
      }
    } catch (error) {
      listeners.close();
      throw error;
    }
    return listeners;
  }

  private bindOne(address: ListenAddress, target: Target): Held {
    const bound = this.bindHandle(target);
    if ('error' in bound) throw new Error(`--listen ${addressText(address)}: ${BIND_ERRORS[bound.error] ?? bound.error}`);
    return { fd: bound.handle.fd, name: address.name, address: 'path' in target ? { path: target.path } : tcpAddress(bound.handle) };
  }

  /** A socket bound at `target`, held from now on; or the errno's name. */
  private bindHandle(target: Target): { handle: SocketHandle } | { error: string } {
    let handle: SocketHandle;
    let code: number;
    if ('path' in target) {
      handle = serverHandle('unix');
      code = handle.bind(target.path);
      if (code === 0) this.paths.push(target.path);
    } else {
      handle = serverHandle('tcp');
      code = target.family === 6 ? handle.bind6(target.ip, target.port, 0) : handle.bind(target.ip, target.port);
      // No IPv6 on this host: every IPv4 address, as node's listen(port) does then.
      if (code !== 0 && target.host === undefined && getSystemErrorName(code) === 'EAFNOSUPPORT') code = handle.bind('0.0.0.0', target.port);
      // libuv keeps EADDRINUSE from bind(2) for the listen(2) to come: the socket is left unbound.
      if (code === 0 && tcpAddress(handle)?.port !== target.port) code = -constants.errno.EADDRINUSE;
    }
    if (code !== 0) {
      handle.close();
      return { error: getSystemErrorName(code) };
    }
    this.handles.push(handle);
    return { handle };
  }

  /** Every socket held, the learned ones last: what status shows and `naught upgrade` passes on. */
  get all(): Held[] {
    return [...this.sockets, ...this.learned.map(({ socket }) => socket)];
  }

  get learnedCount(): number {
    return this.learned.length;
  }

  /**
   * --balance kernel: the socket at a worker's address, bound the first time one asks
   * and held until no worker listens on it (forget); its handle, to send to the worker
   * that asked, and naught's fd of it, which names it.
   */
  async learn(address: LearnedAddress): Promise<{ handle: SocketHandle; fd: number } | { error: { code: string; message: string } }> {
    let target: Target;
    try {
      target = 'path' in address ? address : { ...address, ...(await resolve(address)) };
    } catch (error) {
      return { error: { code: 'ENOTFOUND', message: (error as Error).message } };
    }
    const known = this.learned.find(({ socket }) => socket.address !== null && at(socket.address, target));
    // An app that removes its socket's file before it listens (as many do) leaves the one naught holds
    // with no name: a new one is bound there (the workers on the old one take nothing more, and it goes with them).
    if (known !== undefined && 'path' in target && !existsSync(target.path)) this.drop(known);
    else if (known !== undefined) return { handle: known.handle, fd: known.socket.fd };
    // A worker asks, and a worker may be hostile: a few addresses an app listens at, not naught's every fd.
    if (this.learned.length >= MAX_LEARNED) return { error: { code: 'EMFILE', message: `naught holds ${MAX_LEARNED} sockets for its workers already` } };
    const bound = this.bindHandle(target);
    const where = 'path' in address ? address.path : addressText({ name: UNNAMED, ...address });
    if ('error' in bound) return { error: { code: bound.error, message: `naught cannot hold ${where} for the workers: ${BIND_ERRORS[bound.error] ?? bound.error}` } };
    const socket: Held = { fd: bound.handle.fd, name: UNNAMED, address: 'path' in target ? { path: target.path } : tcpAddress(bound.handle) };
    this.learned.push({ socket, handle: bound.handle });
    return { handle: bound.handle, fd: socket.fd };
  }

  /**
   * Closes each learned socket whose fd is not in `keep` (a unix socket's file goes
   * with it): connections are refused there again. Returns where each was bound.
   */
  forget(keep: ReadonlySet<number>): string[] {
    const closed: string[] = [];
    for (const learned of this.learned.filter(({ socket }) => !keep.has(socket.fd))) {
      this.drop(learned);
      if (learned.socket.address !== null && 'path' in learned.socket.address) removeFile(learned.socket.address.path);
      closed.push(learned.socket.address === null ? `fd ${learned.socket.fd}` : addressText(learned.socket.address));
    }
    return closed;
  }

  /** Closes naught's copy of a learned socket, and forgets it. */
  private drop(learned: { socket: Held; handle: SocketHandle }): void {
    this.learned.splice(this.learned.indexOf(learned), 1);
    this.handles.splice(this.handles.indexOf(learned.handle), 1);
    const { address } = learned.socket;
    if (address !== null && 'path' in address && this.paths.includes(address.path)) this.paths.splice(this.paths.indexOf(address.path), 1);
    learned.handle.close();
  }

  /**
   * A successor holds them now: nothing is closed or removed here (closing a unix
   * socket's handle would remove its path); they go when this process exits.
   */
  handOver(): void {
    this.handles.splice(0);
    this.paths.splice(0);
    // Nor forgotten (forget): their files are the successor's.
    this.learned.splice(0);
  }

  /** Closes the sockets, and removes the unix socket files of --listen. */
  close(): void {
    for (const handle of this.handles.splice(0)) handle.close();
    for (const file of this.paths.splice(0)) removeFile(file);
  }
}

function removeFile(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already removed by someone else: nothing to do.
  }
}

/** An address of --listen, its host resolved. */
type Target = { path: string } | { host?: string; port: number; ip: string; family: number };

/** Whether a socket bound at `bound` is the one `target` asks for: the same path, or port and address (any address for no host). */
function at(bound: BoundAddress, target: Target): boolean {
  if ('path' in target || 'path' in bound) return 'path' in target && 'path' in bound && target.path === bound.path;
  if (bound.port !== target.port) return false;
  return target.host === undefined ? bound.host === '::' || bound.host === '0.0.0.0' : bound.host === target.ip;
}

async function resolve(address: { host?: string; port: number }): Promise<{ ip: string; family: number }> {
  if (address.host === undefined) return { ip: '::', family: 6 };
  try {
    // Only a --listen with a host needs the resolver: the others' supervisors go without it.
    const { lookup } = process.getBuiltinModule('node:dns/promises');
    const { address: ip, family } = await lookup(address.host);
    return { ip, family };
  } catch {
    throw new Error(`--listen ${addressText(address as ListenAddress)}: no such host: ${address.host}`);
  }
}
