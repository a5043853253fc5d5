// The worker side of naught's contract, for apps: `import { ready, onShutdown } from 'naught/worker'`.
import type { Server } from 'node:http';
import { drainOnClose } from './graceful.js';

/** True when this process is a worker started by naught. */
export function underNaught(): boolean {
  return process.env.NAUGHT_WORKER !== undefined && typeof process.send === 'function';
}

/** Tells naught this worker accepts connections ('online'); does nothing when not under naught. */
export function ready(): void {
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
