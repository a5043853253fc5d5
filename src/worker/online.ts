// 'online' means the worker accepts connections. An app that says it in its listen
// callback may say it when the listen failed: Express 5's app.listen(port, host, cb)
// hands the error (EADDRINUSE) to cb, and `() => process.send('online')` ignores it.
// A worker whose every server failed to listen is not online: it says why in one line
// and exits 1, so a deploy fails and the old workers keep serving, and a restart is
// what a crash gets. A worker with another server listening is left to the app.
import type net from 'node:net';
import type { ServerObserver } from './servers.js';

/** What a failed listen() emits: net's errors name the call. */
function isListenError(error: unknown): error is NodeJS.ErrnoException {
  const syscall = (error as NodeJS.ErrnoException | null)?.syscall;
  return syscall === 'listen' || syscall === 'bind';
}

/** Says why this worker is not online, in one line, and ends it with 1. */
export function notOnline(why: string): never {
  process.stderr.write(`naught: worker ${process.env.NAUGHT_WORKER ?? ''} is not online: ${why}\n`);
  process.exit(1);
}

export class OnlineCheck implements ServerObserver {
  private readonly servers = new Set<net.Server>();
  private failure: NodeJS.ErrnoException | null = null;
  private saidOnline = false;

  constructor() {
    const send = process.send;
    if (send === undefined) return;
    process.send = ((message: unknown, ...rest: unknown[]) => {
      if (message === 'online') {
        this.saidOnline = true;
        this.verify();
      }
      return (send as (...args: unknown[]) => boolean).call(process, message, ...rest);
    }) as typeof process.send;
  }

  watch(server: net.Server): void {
    this.servers.add(server);
  }

  saw(server: net.Server, event: string | symbol, args: unknown[]): void {
    if (event === 'close') this.servers.delete(server);
    if (event !== 'error' || !isListenError(args[0]) || server.listening) return;
    this.failure = args[0];
    this.verify();
  }

  private verify(): void {
    if (!this.saidOnline || this.failure === null) return;
    for (const server of this.servers) if (server.listening) return;
    notOnline(this.failure.message);
  }
}
