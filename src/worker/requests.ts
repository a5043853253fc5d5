// The worker's HTTP responses, counted by status class and timed, for naught's status,
// metrics and canary deploys (protocol/http-figures.ts). It sees every 'request' an
// http, https or http2 (compatibility API) server emits, whatever framework answers
// it (Express, Fastify, Koa and plain handlers all answer node's response), and
// counts the response when the app ends it, with the status it ends with. The time
// is from the request's headers to that end() call.
//
// Counted in end(), on the response classes' prototypes, rather than by a 'finish'
// listener on each response: a listener per request (and the closure it needs) cost
// 7 % of a keep-alive server's requests/s in bench/agent-cost.mjs, and this about 1 %.
// An end() of a subclass or of one response (compression middleware's) still ends in
// this one.
import type net from 'node:net';
import { bucketOf, classOf, emptyFigures, type HttpFigures } from '../protocol/http-figures.js';
import { serverKind, type ServerObserver } from './servers.js';

/**
 * When a response's request arrived, on the responses counted here only, as a small
 * integer (a tick count, see `ticks()`); -1 once counted. A small integer needs no
 * heap number in V8, as performance.now()'s double does: bench/counting.mjs put the
 * counter at 327–365 ns a response this way, 397–429 ns with the double (Node 26).
 */
const STARTED = Symbol('naught.started');

interface Response {
  statusCode: number;
  [STARTED]?: number;
}

/** Ticks of 0.1 ms: finer than the first bucket (0.5 ms). */
const TICKS_PER_SECOND = 10_000;
/** Ticks wrap at 2^30 (29.8 h), so they stay V8 small integers; a duration is right up to that long. */
const WRAP = 0x3fffffff;
const ticks = (): number => Math.floor(performance.now() * (TICKS_PER_SECOND / 1000)) & WRAP;

/** node's end(chunk, encoding, callback); each may be absent. */
type End = (this: Response, chunk?: unknown, encoding?: unknown, callback?: unknown) => unknown;

export class RequestCounter implements ServerObserver {
  private readonly figures = emptyFigures();
  private http = false;
  /** The response prototypes whose end() counts. */
  private readonly patched = new WeakSet<object>();

  /** What was counted since the worker started; null while it has no HTTP server. */
  read(): HttpFigures | null {
    return this.http ? this.figures : null;
  }

  watch(server: net.Server): void {
    const kind = serverKind(server);
    if (kind === 'other') return;
    this.http = true;
    // The module is loaded already: the server is one of its.
    if (kind === 'http2') this.countEnds(process.getBuiltinModule('node:http2').Http2ServerResponse.prototype);
    else this.countEnds(process.getBuiltinModule('node:http').ServerResponse.prototype);
  }

  saw(_server: net.Server, event: string | symbol, args: unknown[]): void {
    if (event !== 'request') return;
    const response = args[1] as Response | undefined;
    if (response !== undefined) response[STARTED] = ticks();
  }

  /** Gives `prototype` an end() of its own that counts, then ends as the inherited or former one does. */
  private countEnds(prototype: object): void {
    if (this.patched.has(prototype)) return;
    this.patched.add(prototype);
    const own = Object.hasOwn(prototype, 'end') ? (prototype as { end: End }).end : null;
    const parent = Object.getPrototypeOf(prototype) as { end: End };
    const counter = this;
    // Its three parameters passed on as they came (node's end() reads them by type, not by count): no array per call.
    (prototype as { end: End }).end = function end(this: Response, chunk?: unknown, encoding?: unknown, callback?: unknown) {
      // Not seen here (undefined), or counted already (-1): a second end() is a no-op.
      if (this[STARTED]! >= 0) counter.count(this);
      // The inherited one looked up at each call: what the prototype chain holds now.
      return (own ?? parent.end).call(this, chunk, encoding, callback);
    };
  }

  private count(response: Response): void {
    const seconds = ((ticks() - response[STARTED]!) & WRAP) / TICKS_PER_SECOND;
    response[STARTED] = -1;
    const index = classOf(response.statusCode);
    if (index === null) return;
    this.figures.byClass[index]! += 1;
    this.figures.buckets[bucketOf(seconds)]! += 1;
    this.figures.sumSeconds += seconds;
  }
}
