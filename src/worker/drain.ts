// Draining a worker before the app hears 'shutdown' (the agent's job, asked by the
// primary, or by a SIGTERM the app does not handle). An app's own close on 'shutdown'
// (server.close(), closeIdleConnections(), fastify.close()) resets every keep-alive
// connection that looks idle, even one whose next request is already on its way, and
// Fastify answers what still arrives with 503. Drained first, it finds nothing left:
//
// - Every server the worker listens on stops accepting (its listening handle closes:
//   node:cluster then routes new connections to the other workers, and a socket the
//   workers share stays with them).
// - HTTP/1: every response from then on carries `Connection: close`, so each
//   connection ends after its next answer. A connection that stays idle ends at the
//   server's own keepAliveTimeout, which the client was told (`Keep-Alive: timeout=5`
//   by node): closing it sooner races a request the client may be sending.
// - HTTP/2: each session gets GOAWAY (session.close()): its streams finish, no new one.
// - Upgraded connections (WebSocket, CONNECT) and other protocols' connections are
//   the app's to close on 'shutdown': naught cannot speak for them.
//
// - The ramp (--drain-ramp), when successors take over (not at a stop) and the worker
//   has connections open: a new worker's first requests run cold, and the whole load
//   of a retired one landing on it at once queues behind them. So for `rampMs` the
//   worker still accepts, and each connection (HTTP/1) or session (HTTP/2) ends at a
//   random moment in that time: its load moves over gradually, and the kernel gives
//   the connections that come back to whichever worker is free, warm ones more often.
//
// Drained means the ramp is over and no HTTP connection is left; the primary bounds
// the wait (--drain-timeout).
import type net from 'node:net';
import type { Http2Session } from 'node:http2';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stopAccepting } from '../host/node-internals.js';
import { closeAfter } from './graceful.js';
import { serverKind, type ServerKind, type ServerObserver } from './servers.js';

/** One listening server, and what it has open that a drain waits for. */
interface Watched {
  readonly kind: ServerKind;
  /** HTTP/1 connections not upgraded, with the response each is answering now (null between requests). */
  readonly connections: Map<net.Socket, ServerResponse | null>;
  readonly sessions: Set<Http2Session>;
}

export class Drain implements ServerObserver {
  private readonly servers = new Map<net.Server, Watched>();
  private draining = false;
  private drained: (() => void) | null = null;
  /** When the ramp ends (0: no ramp, or over). */
  private rampEnds = 0;
  /** Each HTTP/1 connection's moment to end, once the drain began. */
  private readonly endsAt = new WeakMap<net.Socket, number>();

  get started(): boolean {
    return this.draining;
  }

  /**
   * Stops taking connections and closes the HTTP ones as they finish, over `rampMs`
   * when it has any; `onDrained` once none is left (at once when none is).
   */
  start(onDrained: () => void, rampMs = 0): void {
    // Asked again (a SIGTERM, then the primary): whoever asked last hears of the end.
    this.drained = onDrained;
    if (this.draining) return this.check();
    this.draining = true;
    if (rampMs > 0 && this.serving()) {
      this.rampEnds = Date.now() + rampMs;
      setTimeout(() => this.endRamp(), rampMs).unref();
    } else {
      this.stopAccepting();
    }
    for (const watched of this.servers.values()) {
      for (const [socket, response] of watched.connections) {
        this.endsAt.set(socket, this.momentToEnd());
        if (response !== null && this.due(socket)) closeAfter(response);
      }
      for (const session of watched.sessions) this.closeInTime(session);
    }
    this.check();
  }

  /** Whether any HTTP connection is open: a worker with none is drained, and has no load to hand over. */
  private serving(): boolean {
    for (const { connections, sessions } of this.servers.values()) if (connections.size > 0 || sessions.size > 0) return true;
    return false;
  }

  private stopAccepting(): void {
    for (const server of this.servers.keys()) stopAccepting(server);
  }

  private endRamp(): void {
    this.rampEnds = 0;
    this.stopAccepting();
    this.check();
  }

  /** Now, or a random moment before the ramp ends. */
  private momentToEnd(): number {
    const now = Date.now();
    return now + Math.random() * Math.max(0, this.rampEnds - now);
  }

  private due(connection: net.Socket): boolean {
    return Date.now() >= (this.endsAt.get(connection) ?? 0);
  }

  /** GOAWAY at the session's moment: its streams finish, no new one. */
  private closeInTime(session: Http2Session): void {
    const delay = this.momentToEnd() - Date.now();
    if (delay <= 0) session.close();
    else setTimeout(() => session.close(), delay).unref();
  }

  watch(server: net.Server): void {
    this.servers.set(server, { kind: serverKind(server), connections: new Map(), sessions: new Set() });
  }

  saw(server: net.Server, event: string | symbol, args: unknown[]): void {
    const watched = this.servers.get(server);
    if (watched === undefined) return;
    if (event === 'close') this.servers.delete(server);
    else if (watched.kind === 'http2' && event === 'session') this.seeSession(watched, args[0] as Http2Session);
    else if (watched.kind === 'http1' || watched.kind === 'https1') this.seeHttp(watched, event, args);
  }

  private seeHttp(watched: Watched, event: string | symbol, args: unknown[]): void {
    if (event === (watched.kind === 'https1' ? 'secureConnection' : 'connection')) {
      const socket = args[0] as net.Socket;
      watched.connections.set(socket, null);
      if (this.draining) this.endsAt.set(socket, this.momentToEnd());
      socket.once('close', () => {
        watched.connections.delete(socket);
        this.check();
      });
    } else if (event === 'request') {
      const [request, response] = args as [IncomingMessage, ServerResponse];
      if (this.draining && this.due(request.socket)) closeAfter(response);
      if (watched.connections.has(request.socket)) watched.connections.set(request.socket, response);
    } else if (event === 'upgrade' || event === 'connect') {
      // The app's now, to close on 'shutdown'.
      watched.connections.delete((args[1] as net.Socket | undefined) ?? (args[0] as IncomingMessage).socket);
      this.check();
    }
  }

  private seeSession(watched: Watched, session: Http2Session): void {
    watched.sessions.add(session);
    if (this.draining) this.closeInTime(session);
    session.once('close', () => {
      watched.sessions.delete(session);
      this.check();
    });
  }

  private check(): void {
    if (!this.draining || this.drained === null || this.rampEnds > 0 || this.serving()) return;
    const drained = this.drained;
    this.drained = null;
    drained();
  }
}
