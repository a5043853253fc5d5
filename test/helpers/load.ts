// Continuous HTTP load over keep-alive connections, counting every answer and
// every failure, until stopped.
import http from 'node:http';
import https from 'node:https';
import { where } from './http.js';

export interface LoadResult {
  ok: number;
  /** Each failed request: its error code, or the unexpected status. */
  failures: string[];
  /** Distinct bodies seen, with how often. */
  bodies: Map<string, number>;
  /** Every answer: when its request began (Date.now()), and its body. */
  answers: Array<{ began: number; body: string }>;
  /** Every failure, as in `failures`, with when its request began. */
  failed: Array<{ began: number; reason: string }>;
}

export interface Load {
  /** What it has counted so far. */
  readonly result: LoadResult;
  /** Stops sending and resolves once every request in flight has ended. */
  stop(): Promise<LoadResult>;
}

/** `connections` clients, each sending GET `path` again as soon as its last answer is read; over TLS (any certificate) with `tls`. */
export function keepAliveLoad(port: number, path: string, connections: number, { tls = false } = {}): Load {
  const options = { keepAlive: true, maxSockets: connections };
  return load(port, path, connections, tls ? new https.Agent({ ...options, rejectUnauthorized: false }) : new http.Agent(options));
}

/** As keepAliveLoad, each request on a fresh connection: what a refused connect shows up in. */
export function freshConnectionLoad(target: number | string, path: string, connections: number): Load {
  return load(target, path, connections, false);
}

/** `target`: a loopback port, or a unix socket's path. */
function load(target: number | string, path: string, connections: number, agent: http.Agent | false): Load {
  const result: LoadResult = { ok: 0, failures: [], bodies: new Map(), answers: [], failed: [] };
  let running = true;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const began = Date.now();
      const fail = (reason: string): void => {
        result.failures.push(reason);
        result.failed.push({ began, reason });
      };
      const get = agent instanceof https.Agent ? https.get : http.get;
      const request = get({ ...where(target), path, agent, timeout: 5000 }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          if (response.statusCode === 200) result.ok += 1;
          else fail(`status ${response.statusCode}`);
          result.bodies.set(body, (result.bodies.get(body) ?? 0) + 1);
          result.answers.push({ began, body });
          resolve();
        });
        response.on('error', (error: NodeJS.ErrnoException) => {
          fail(error.code ?? error.message);
          resolve();
        });
      });
      request.on('timeout', () => request.destroy(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })));
      request.on('error', (error: NodeJS.ErrnoException) => {
        fail(error.code ?? error.message);
        resolve();
      });
    });
  const client = async (): Promise<void> => {
    while (running) await one();
  };
  const clients = Array.from({ length: connections }, client);
  return {
    result,
    async stop() {
      running = false;
      await Promise.all(clients);
      if (agent !== false) agent.destroy();
      return result;
    },
  };
}
