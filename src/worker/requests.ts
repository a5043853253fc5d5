// The worker's HTTP responses, counted by status class and timed, for naught's status,
// metrics and canary deploys (protocol/http-figures.ts). It sees every 'request' an
// http, https or http2 (compatibility API) server emits, whatever framework answers
// it (Express, Fastify, Koa and plain handlers all answer node's ServerResponse), and
// counts the response when it is finished: a response its client gave up on before
// the end is not one. The time is from the request's headers to the response's last
// byte handed to the kernel.
import type net from 'node:net';
import { bucketOf, classOf, emptyFigures, type HttpFigures } from '../protocol/http-figures.js';
import { serverKind, type ServerObserver } from './servers.js';

/** What a response has that is read here: node's ServerResponse and http2's compatibility one. */
interface Response {
  statusCode: number;
  once(event: 'finish', listener: () => void): unknown;
}

export class RequestCounter implements ServerObserver {
  private readonly figures = emptyFigures();
  private http = false;

  /** What was counted since the worker started; null while it has no HTTP server. */
  read(): HttpFigures | null {
    return this.http ? this.figures : null;
  }

  watch(server: net.Server): void {
    if (serverKind(server) !== 'other') this.http = true;
  }

  saw(_server: net.Server, event: string | symbol, args: unknown[]): void {
    if (event !== 'request') return;
    const response = args[1] as Response | undefined;
    if (typeof response?.once !== 'function') return;
    const started = performance.now();
    response.once('finish', () => this.count(response.statusCode, (performance.now() - started) / 1000));
  }

  private count(status: number, seconds: number): void {
    const index = classOf(status);
    if (index === null) return;
    this.figures.byClass[index]! += 1;
    this.figures.buckets[bucketOf(seconds)]! += 1;
    this.figures.sumSeconds += seconds;
  }
}
