// Every server a worker listens on, from its listen() on, and what it emits: the
// drain (drain.ts) and the online check (online.ts) read them. What a server emits is
// observed by wrapping that server's emit, never by adding listeners: node changes
// what it does when a server has one (an 'upgrade' listener makes it keep an upgrade
// request's socket; an 'error' listener keeps a failed listen from throwing).
import net from 'node:net';

/** What protocol a server speaks, by node's server class; 'other' is not HTTP. */
export type ServerKind = 'http1' | 'https1' | 'http2' | 'other';

export function serverKind(server: net.Server): ServerKind {
  const has = (name: string): boolean => typeof (server as unknown as Record<string, unknown>)[name] === 'function';
  if (has('updateSettings')) return 'http2';
  if (!has('closeIdleConnections')) return 'other';
  // https: http's connection handler runs on the TLS socket, after the handshake.
  return has('setSecureContext') ? 'https1' : 'http1';
}

/** Told of each server once, when it first listens; then of everything it emits, before its listeners. */
export interface ServerObserver {
  watch(server: net.Server): void;
  saw(server: net.Server, event: string | symbol, args: unknown[]): void;
}

/** Starts watching; the observers are told in their order. */
export function watchServers(observers: readonly ServerObserver[]): void {
  const watched = new WeakSet<net.Server>();
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    if (!watched.has(this)) {
      watched.add(this);
      for (const observer of observers) observer.watch(this);
      const emit = this.emit as (event: string | symbol, ...args: unknown[]) => boolean;
      this.emit = (event: string | symbol, ...rest: unknown[]): boolean => {
        for (const observer of observers) observer.saw(this, event, rest);
        return emit.call(this, event, ...rest);
      };
    }
    return listen.apply(this, args as Parameters<typeof listen>);
  } as typeof listen;
}
