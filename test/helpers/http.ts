// Real HTTP on loopback, one fresh connection per request.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import net from 'node:net';

export interface Response {
  status: number;
  body: string;
}

/** Where naught binds an app's listen(port), as a pattern: every address, IPv6 if the host has it. */
export const anyAddress = (port: number): string => `(\\[::\\]|0\\.0\\.0\\.0):${port}`;

/** A loopback port, or a unix socket by its path, as http.request's options. */
export function where(target: number | string): http.RequestOptions {
  return typeof target === 'number' ? { host: '127.0.0.1', port: target } : { socketPath: target };
}

/** GET `path` on a loopback port, or on a unix socket given by its path; it fails after `timeoutMs` with no byte either way. */
export function get(target: number | string, path: string, timeoutMs = 5_000): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = http.get({ ...where(target), path, agent: false, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${path} timed out`)));
    request.on('error', reject);
  });
}

/** The body of a 200 answer to GET `path`. */
export async function body(target: number | string, path: string, timeoutMs?: number): Promise<string> {
  const response = await get(target, path, timeoutMs);
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${response.body}`);
  return response.body;
}

/**
 * What a second worker answers on `target` while the first is busy: the first takes GET
 * /busy (test/fixtures/socket-app.mjs says its pid, then blocks its event loop for
 * `busyMs`), so the next connection is for another worker to accept. On a socket the
 * workers share, the kernel hands a connection to whichever is waiting, so a run of
 * requests may all go to one.
 */
export async function twoWorkers(target: number | string, path: string, busyMs = 2000): Promise<{ busy: string; other: string }> {
  const { busy, done } = await new Promise<{ busy: string; done: Promise<void> }>((resolve, reject) => {
    http
      .get({ ...where(target), path: `/busy?ms=${busyMs}`, agent: false }, (response) => {
        response.setEncoding('utf8');
        const done = new Promise<void>((end) => response.on('end', end));
        response.once('data', (chunk: string) => resolve({ busy: chunk.trim(), done }));
      })
      .on('error', reject);
  });
  const other = await body(target, path);
  await done;
  return { busy, other };
}

/**
 * The ports this test process picks from: below the kernel's ephemeral range, so that no
 * outgoing connection of a test running beside it can be holding one (port 0 hands out an
 * ephemeral port, which a client socket of another test may take before naught binds it),
 * and a slice of its own for each vitest fork, so that two files never pick the same one.
 */
function portSlice(): { first: number; size: number } {
  const ephemeral = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  const low = 10_000;
  const forks = 8;
  const size = Math.floor((Math.min(ephemeral, 32_768) - low) / (forks + 1));
  if (size < 100) throw new Error(`ip_local_port_range starts at ${ephemeral}: too low to keep test ports out of it`);
  const fork = Number(process.env.VITEST_POOL_ID ?? 0) % (forks + 1);
  return { first: low + fork * size, size };
}

let slice: { first: number; size: number } | undefined;
let next = Math.floor(Math.random() * 1_000_000);

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.on('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A loopback port nobody listens on right now, and no other test of this run will pick. */
export async function freePort(): Promise<number> {
  slice ??= portSlice();
  for (let tries = 0; tries < slice.size; tries += 1) {
    const port = slice.first + (next++ % slice.size);
    if (await listenable(port)) return port;
  }
  throw new Error(`no free port in ${slice.first}–${slice.first + slice.size - 1}`);
}

/**
 * Connections made to a listening socket on `port` that no process has accepted yet: what
 * the kernel holds for workers that are not there (/proc/net/tcp's rx_queue of a socket in
 * LISTEN is its accept queue).
 */
export function waitingToBeAccepted(port: number): number {
  let waiting = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, , state, queues] = line.trim().split(/\s+/);
      if (state !== '0A' || local === undefined || parseInt(local.split(':')[1]!, 16) !== port) continue;
      waiting += parseInt(queues!.split(':')[1]!, 16);
    }
  }
  return waiting;
}
