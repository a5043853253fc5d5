// Real HTTP on loopback, one fresh connection per request.
import http from 'node:http';
import net from 'node:net';

export interface Response {
  status: number;
  body: string;
}

/** A loopback port, or a unix socket by its path, as http.request's options. */
function where(target: number | string): http.RequestOptions {
  return typeof target === 'number' ? { host: '127.0.0.1', port: target } : { socketPath: target };
}

/** GET `path` on a loopback port, or on a unix socket given by its path. */
export function get(target: number | string, path: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = http.get({ ...where(target), path, agent: false, timeout: 5_000 }, (response) => {
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
export async function body(target: number | string, path: string): Promise<string> {
  const response = await get(target, path);
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

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
