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
// - process.binding('pipe_wrap' | 'stream_wrap') for the CLI's client of naught's socket
//   (UnixSocket), and process.binding('tty_wrap').isTTY: a command that loaded node:net
//   and its streams for them (tty loads net too) took a seventh longer to run.
// - 'internalMessage', which child_process emits for messages whose cmd begins with
//   NODE_ (node:cluster's own, and naught's agent's), and the channel's symbols
//   kChannelHandle and kJSONBuffer (host/channel-guard.ts).
//
// The last two cannot be looked at before a worker runs; node:cluster itself is built on
// 'internalMessage', and the channel guard leaves out what it does not find. `_type` is
// not checked either: without it a worker's output takes node's own stream, slower and
// otherwise the same.
import { EventEmitter } from 'node:events';
import type net from 'node:net';
import { getSystemErrorName } from 'node:util';

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
type Binding = Record<string, unknown> & { constants: { SERVER: number; SOCKET: number } };
type ServerInternals = { _handle: SocketHandle | null; _listen2(address: null, port: number, type: number, backlog?: number): void };

function binding(name: 'tcp_wrap' | 'pipe_wrap'): Binding;
function binding(name: 'stream_wrap'): StreamBinding;
function binding(name: 'tty_wrap'): { isTTY(fd: number): boolean };
function binding(name: string): unknown {
  return (process as unknown as { binding(name: string): unknown }).binding(name);
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

/** Whether `fd` is a terminal, without the stream process.stdout would build for it. */
export function isTerminal(fd: number): boolean {
  return binding('tty_wrap').isTTY(fd);
}

interface StreamBinding {
  WriteWrap: new () => WriteRequest;
  /** Where node's stream handles leave what a call did: bytes read or an error, the offset in the buffer, whether a write waits. */
  streamBaseState: Int32Array;
  kReadBytesOrError: number;
  kArrayBufferOffset: number;
  kLastWriteWasAsync: number;
}

interface WriteRequest {
  handle: PipeHandle;
  oncomplete(status: number): void;
}

interface PipeHandle {
  connect(request: { oncomplete(status: number): void }, path: string): number;
  readStart(): number;
  readStop(): number;
  writeUtf8String(request: WriteRequest, text: string): number;
  close(callback: () => void): void;
  onread: (buffer: ArrayBuffer | undefined) => void;
}

/**
 * A client of a unix stream socket on the handle node:net itself wraps: the CLI sends
 * lines and reads lines, and node:net with its streams was a seventh of `naught status`.
 * 'data' gives what arrives (read from its first listener on); 'close' comes once, after the
 * end, an error or destroy().
 */
export class UnixSocket extends EventEmitter {
  destroyed = false;
  private paused = false;
  /** Writes under way, kept until node is done with them. */
  private readonly writes = new Set<WriteRequest>();
  private readonly streams = binding('stream_wrap');

  private constructor(private readonly handle: PipeHandle) {
    super();
    handle.onread = (buffer) => this.onRead(buffer);
    // From the first 'data' listener on, so nothing that arrives before is lost (a net.Socket holds it).
    const start = (event: string): void => {
      if (event !== 'data') return;
      this.off('newListener', start);
      handle.readStart();
    };
    this.on('newListener', start);
  }

  /** The connected socket, or the error node:net would give (code ENOENT, message `connect ENOENT <path>`). */
  static connect(path: string): Promise<UnixSocket | NodeJS.ErrnoException> {
    const pipes = binding('pipe_wrap');
    const handle = new (pipes.Pipe as new (type: number) => PipeHandle)(pipes.constants.SOCKET);
    return new Promise((resolve) => {
      const fail = (status: number): void => {
        handle.close(() => {});
        const code = getSystemErrorName(status);
        resolve(Object.assign(new Error(`connect ${code} ${path}`), { code, errno: status, syscall: 'connect', path }));
      };
      const request = new (pipes.PipeConnectWrap as new () => { oncomplete(status: number): void })();
      request.oncomplete = (status) => (status < 0 ? fail(status) : resolve(new UnixSocket(handle)));
      const status = handle.connect(request, path);
      if (status < 0) fail(status);
    });
  }

  /** Sends `text`; a failure ends the socket ('close'). */
  write(text: string): void {
    if (this.destroyed) return;
    const { streams } = this;
    const request = new streams.WriteWrap();
    request.handle = this.handle;
    request.oncomplete = (status) => {
      this.writes.delete(request);
      if (status < 0) this.destroy();
    };
    if (this.handle.writeUtf8String(request, text) < 0) return this.destroy();
    // Written at once, node calls no oncomplete.
    if (streams.streamBaseState[streams.kLastWriteWasAsync] !== 0) this.writes.add(request);
  }

  isPaused(): boolean {
    return this.paused;
  }

  pause(): void {
    if (this.destroyed || this.paused) return;
    this.paused = true;
    this.handle.readStop();
  }

  resume(): void {
    if (this.destroyed || !this.paused) return;
    this.paused = false;
    this.handle.readStart();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.handle.close(() => this.emit('close'));
  }

  private onRead(buffer: ArrayBuffer | undefined): void {
    const { streamBaseState: state, kReadBytesOrError, kArrayBufferOffset } = this.streams;
    const read = state[kReadBytesOrError] ?? -1;
    // The end, or an error: either way nothing more comes.
    if (read < 0) return this.destroy();
    if (read > 0 && buffer !== undefined) this.emit('data', Buffer.from(buffer, state[kArrayBufferOffset] ?? 0, read));
  }
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
  want(() => typeof binding('pipe_wrap').PipeConnectWrap === 'function' && typeof binding('pipe_wrap').constants.SOCKET === 'number', "process.binding('pipe_wrap').PipeConnectWrap");
  for (const method of ['connect', 'readStart', 'readStop', 'writeUtf8String']) want(() => typeof (binding('pipe_wrap').Pipe as { prototype: Record<string, unknown> }).prototype[method] === 'function', `process.binding('pipe_wrap').Pipe.prototype.${method}`);
  for (const name of ['WriteWrap', 'streamBaseState', 'kReadBytesOrError', 'kArrayBufferOffset', 'kLastWriteWasAsync'] as const) want(() => binding('stream_wrap')[name] !== undefined, `process.binding('stream_wrap').${name}`);
  want(() => typeof binding('tty_wrap').isTTY === 'function', "process.binding('tty_wrap').isTTY");
  const { Server } = process.getBuiltinModule('node:net');
  want(() => typeof (Server.prototype as unknown as Partial<ServerInternals>)._listen2 === 'function', 'net.Server.prototype._listen2');
  want(() => '_handle' in new Server(), 'net.Server#_handle');
  return missing;
}
