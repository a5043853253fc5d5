// Every part of Node that naught uses and Node does not document, in one place, and
// the check at start that each is still there (missingNodeInternals): a Node line that
// drops one is refused with one line naming the version and the piece, instead of
// failing in the middle of a deploy.
//
// - process.binding('tcp_wrap' | 'pipe_wrap') (DEP0111, documentation-only): socket
//   handles that bind without accepting, and that open an fd naught holds.
// - net.Server's `_handle` and `_listen2`: a server listens on a handle naught gives
//   it, as node:cluster's worker does; closing the handle stops accepting without
//   net's close(), which would reset idle keep-alive connections.
// - The `setBlocking` of a pipe's handle, and the `_type` node gives process.stdout and
//   stderr ('pipe', 'tty', 'fs'): a worker's output written straight and blocking.
// - 'internalMessage', which child_process emits for messages whose cmd begins with
//   NODE_ (node:cluster's own, and naught's agent's), and the channel's symbols
//   kChannelHandle and kJSONBuffer (host/channel-guard.ts).
//
// The last two cannot be looked at before a worker runs; node:cluster itself is built on
// 'internalMessage', and the channel guard leaves out what it does not find. `_type` is
// not checked either: without it a worker's output takes node's own stream, slower and
// otherwise the same.
import net from 'node:net';

/** The event of NODE_ messages on a ChildProcess (in the primary) and on `process` (in a worker). */
export const INTERNAL_MESSAGE = 'internalMessage' as 'message';

/** The symbols child_process keeps the IPC channel's handle and its unread text under. */
export const CHANNEL_SYMBOLS = { handle: 'kChannelHandle', unread: 'kJSONBuffer' } as const;

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
type ServerInternals = { _handle: SocketHandle | null; _listen2(address: null, port: number, type: number, backlog?: number): void };

function binding(name: 'tcp_wrap' | 'pipe_wrap'): Binding {
  return (process as unknown as { binding(name: string): Binding }).binding(name);
}

/** A new server handle: TCP, or a unix socket (pipe). */
export function serverHandle(kind: 'tcp' | 'unix'): SocketHandle {
  const found = kind === 'tcp' ? binding('tcp_wrap') : binding('pipe_wrap');
  const Handle = (kind === 'tcp' ? found.TCP : found.Pipe) as HandleClass;
  return new Handle(found.constants.SERVER);
}

/**
 * Makes `server` listen on `handle` as its own, as net does after a primary sends a
 * worker a handle: net's _listen2, which it keeps under that name for code that wraps
 * it. The 'listening' event (and `callback`) follows as for any listen().
 */
export function listenOnHandle(server: net.Server, handle: SocketHandle, backlog: number | undefined, callback: (() => void) | undefined): net.Server {
  const internals = server as unknown as ServerInternals;
  if (callback !== undefined) server.once('listening', callback);
  internals._handle = handle;
  internals._listen2(null, -1, -1, backlog);
  return server;
}

/**
 * Stops `server` accepting without net's close(): its listening handle closes (in a
 * cluster worker that also tells the primary to route elsewhere), while the server
 * stays as the app left it, so the app's own close() later runs as it always does
 * (a second close of a handle does nothing). http's close() would also reset every
 * keep-alive connection that looks idle.
 */
export function stopAccepting(server: net.Server): void {
  (server as unknown as ServerInternals)._handle?.close();
}

/** The fd a listening server accepts on. */
export function listeningFd(server: net.Server): number | null {
  return (server as unknown as ServerInternals)._handle?.fd ?? null;
}

/** Whether node made this stdio stream for a pipe or a socket. */
export function isPipeStream(stream: NodeJS.WriteStream): boolean {
  return (stream as unknown as { _type?: string })._type === 'pipe';
}

/** Makes a pipe stream's writes block until there is room, where node can. */
export function setBlocking(stream: NodeJS.WriteStream): void {
  (stream as unknown as { _handle?: { setBlocking?(blocking: boolean): number } })._handle?.setBlocking?.(true);
}

/** The pieces above this Node line lacks, named; empty when it has them all. */
export function missingNodeInternals(): string[] {
  const missing: string[] = [];
  const want = (has: () => unknown, name: string): void => {
    try {
      if (!has()) missing.push(name);
    } catch {
      missing.push(name);
    }
  };
  const methods = { TCP: ['open', 'bind', 'bind6', 'getsockname', 'close'], Pipe: ['open', 'bind', 'close', 'setBlocking'] };
  for (const [module, name] of [['tcp_wrap', 'TCP'], ['pipe_wrap', 'Pipe']] as const) {
    const proto = (): Record<string, unknown> => (binding(module)[name] as { prototype: Record<string, unknown> }).prototype;
    want(() => typeof binding(module)[name] === 'function' && typeof binding(module).constants.SERVER === 'number', `process.binding('${module}').${name}`);
    for (const method of methods[name]) want(() => typeof proto()[method] === 'function', `process.binding('${module}').${name}.prototype.${method}`);
  }
  want(() => typeof (net.Server.prototype as unknown as Partial<ServerInternals>)._listen2 === 'function', 'net.Server.prototype._listen2');
  want(() => '_handle' in new net.Server(), 'net.Server#_handle');
  return missing;
}
