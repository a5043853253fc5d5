// The HTTP endpoint of --metrics: GET /metrics, Prometheus' text format. Bound before
// any worker starts, so an address in use is one line and nothing started. A TCP
// address is bound where it says (a bare port on 127.0.0.1 alone: the option's
// parse); a unix socket path gets the ipc socket's permissions.
//
// Through `naught upgrade` the endpoint never goes away: a TCP socket is passed to
// the successor, which serves on it, and the old naught closes its own copy once the
// successor has taken over; a unix socket is the successor's own, bound beside the
// path and moved onto it when it takes over, as the ipc socket is (host/private-socket.ts).
import http from 'node:http';
import net from 'node:net';
import { addressText, UNNAMED, type SocketAddress } from '../protocol/listen-fds.js';
import { besideFor, PrivateSocket } from '../host/private-socket.js';
import { listeningFd } from '../host/node-internals.js';
import { BIND_ERRORS } from '../host/socket-handles.js';
import type { Metrics } from './metrics.js';

/**
 * What a scraper may hold: Prometheus keeps one connection per target, so a few
 * dozen is room for every scraper there is, and each connection costs naught an fd
 * that a worker's pipes may need. Past the cap, connections are closed at once.
 */
export const MAX_SCRAPERS = 32;
/**
 * A connection must have sent its request's headers by then, and the whole request;
 * one where nothing moves (a client that connects and says nothing, or stops
 * reading) is let go after IDLE_MS. A scraper's keep-alive connection is closed
 * after node's keepAliveTimeout (5 s) between scrapes anyway, and opened again.
 */
const HEADERS_MS = 5000;
const REQUEST_MS = 10_000;
const IDLE_MS = 5000;
/** How often node looks for connections past those bounds. */
const CHECK_MS = 1000;

export interface MetricsServerOptions {
  /** The group that may use the ipc socket: a unix socket path here gets the same. */
  group: number | null;
  /** This naught is a successor (naught upgrade), binding beside the path under this tag: it takes over the endpoint once it is online. */
  beside: string | null;
  /** The TCP socket a predecessor passed, served instead of binding one. */
  adoptedFd: number | null;
}

export class MetricsServer {
  private readonly server: http.Server;
  /** A unix socket path's file. */
  private socketFile: PrivateSocket | null = null;
  /** A successor serves the endpoint: each answer here ends its connection, so that the client's next one reaches the successor. */
  private handedOver = false;
  /** A successor's: the tag of the name its unix socket is bound at until it takes over. */
  private beside: string | null = null;

  private constructor(
    private readonly address: SocketAddress,
    metrics: Metrics,
  ) {
    // node's defaults keep a connection that sends nothing for 60–90 s, and take any number.
    const limits = { headersTimeout: HEADERS_MS, requestTimeout: REQUEST_MS, connectionsCheckingInterval: CHECK_MS };
    this.server = http.createServer(limits, (request, response) => {
      if (this.handedOver) response.setHeader('connection', 'close');
      if (request.url?.split('?')[0] !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('naught serves GET /metrics\n');
        return;
      }
      let text: string;
      try {
        text = metrics.scrape();
      } catch (error) {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`);
        return;
      }
      response.writeHead(200, { 'content-type': metrics.contentType }).end(request.method === 'HEAD' ? undefined : text);
    });
    this.server.maxConnections = MAX_SCRAPERS;
    this.server.timeout = IDLE_MS;
  }

  static async open(address: SocketAddress, options: MetricsServerOptions, metrics: Metrics): Promise<MetricsServer> {
    const endpoint = new MetricsServer(address, metrics);
    try {
      if ('path' in address) {
        const file = options.beside === null ? address.path : besideFor(address.path, options.beside, 'metrics');
        endpoint.beside = options.beside;
        endpoint.socketFile = await PrivateSocket.listen(endpoint.server, file, options.group);
      } else {
        await listening(endpoint.server, options.adoptedFd !== null ? { fd: options.adoptedFd } : { host: address.host, port: address.port });
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      throw new Error(`--metrics ${addressText({ name: UNNAMED, ...address })}: ${BIND_ERRORS[code] ?? (error as Error).message}`);
    }
    return endpoint;
  }

  /** A TCP socket, for a successor to serve on; a unix socket's successor binds its own. */
  get passedFd(): number | null {
    if ('path' in this.address) return null;
    return listeningFd(this.server);
  }

  /** A successor's: its unix socket goes where its predecessor's was. */
  async takeOver(): Promise<void> {
    if ('path' in this.address && this.beside !== null) await this.socketFile?.moveTo(besideFor(this.address.path, this.beside, 'metrics'), this.address.path);
  }

  /** A successor serves the endpoint now: this naught stops taking scrapes (its unix socket is unreachable already). */
  handOver(): void {
    this.handedOver = true;
    this.socketFile?.handOver();
    // A TCP socket: only this naught's copy is closed; the successor's serves on. Not
    // with http's close(), which also resets every idle connection, among them one this
    // naught accepted a moment ago whose request is still on its way; a listening
    // socket's own close stops accepting and leaves those to be answered.
    if (this.socketFile === null) net.Server.prototype.close.call(this.server);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    if (this.socketFile !== null) return this.socketFile.close();
    if (this.server.listening) await new Promise((resolve) => this.server.close(resolve));
  }
}

function listening(server: http.Server, options: { fd: number } | { host: string | undefined; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
