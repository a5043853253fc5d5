// The worker side of naught's contract, for apps: `import { ready, onShutdown } from 'naught/worker'`.
import type { Server } from 'node:http';
import type { Server as NetServer } from 'node:net';
import { listenFds } from '../protocol/listen-fds.js';
import { drainOnClose } from './graceful.js';
import { notOnline } from './online.js';

/** True when this process is a worker started by naught. */
export function underNaught(): boolean {
  return process.env.NAUGHT_WORKER !== undefined && typeof process.send === 'function';
}

/**
 * Tells naught this worker accepts connections ('online'); does nothing when not under
 * naught. Given an error, as Express 5's app.listen(port, host, ready) gives a failed
 * listen's, it is no such thing: the worker says why in one line and exits 1 (a deploy
 * then fails and the old workers keep serving).
 */
export function ready(error?: unknown): void {
  if (error instanceof Error) notOnline(error.message);
  if (underNaught() && process.connected) process.send!('online');
}

export interface ShutdownOptions {
  /** Milliseconds to let requests finish before the remaining connections are cut. Default 10000. */
  timeout?: number;
  /** Exit once the server is closed (default true); false leaves the exit to the app. */
  exit?: boolean;
  /** Called once the shutdown begins, e.g. to close database pools. */
  onClose?: () => void;
}

/**
 * Closes `server` gracefully on naught's 'shutdown' and on SIGTERM: it stops
 * accepting, answers what is in flight (keep-alive connections get
 * `Connection: close`), then exits. After `timeout` the remaining connections are cut.
 */
export function onShutdown(server: Server, options: ShutdownOptions = {}): void {
  const { timeout = 10_000, exit = true, onClose } = options;
  drainOnClose(server);
  let started = false;
  const shutdown = (): void => {
    if (started) return;
    started = true;
    onClose?.();
    server.close(() => {
      if (exit) process.exit(0);
    });
    setTimeout(() => server.closeAllConnections(), timeout).unref();
  };
  process.on('message', (message) => {
    if (message === 'shutdown') shutdown();
  });
  process.on('SIGTERM', shutdown);
}

export interface ListenOptions {
  /** The inherited socket to use (its LISTEN_FDNAMES name, e.g. a .socket unit's FileDescriptorName=). */
  name?: string;
  /** Where to listen when no socket was passed: a port (or a unix socket path) and host. */
  port?: number | string;
  host?: string;
}

/**
 * Listens on the socket the service manager passed (systemd socket activation
 * through naught) when there is one, else on `port`: the same code runs under a
 * .socket unit, under plain naught and alone. With several passed sockets, `name`
 * says which. Returns the server.
 */
export function listen<S extends NetServer>(server: S, options: ListenOptions | number, callback?: () => void): S {
  const { name, port, host } = typeof options === 'number' ? { port: options } : options;
  const passed = listenFds(process.env, process.pid);
  const sockets = typeof passed === 'string' ? [] : passed;
  const chosen = name === undefined ? (sockets.length === 1 ? sockets[0] : undefined) : sockets.find((socket) => socket.name === name);
  // Under naught the agent makes it the worker's own copy (held-sockets.ts).
  if (chosen !== undefined) return server.listen({ fd: chosen.fd }, callback);
  if (sockets.length > 1 && name === undefined) {
    throw new Error(`naught/worker listen(): ${sockets.length} sockets were passed (${sockets.map((s) => s.name).join(', ')}); say which with { name }`);
  }
  if (port === undefined) {
    throw new Error(`naught/worker listen(): no passed socket${name === undefined ? '' : ` named '${name}'`} and no port to listen on instead`);
  }
  return typeof port === 'string' ? server.listen(port, callback) : server.listen(port, host, callback);
}
