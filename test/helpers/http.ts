// Real HTTP on loopback, one fresh connection per request.
import http from 'node:http';
import net from 'node:net';

export interface Response {
  status: number;
  body: string;
}

/** GET `path` on a loopback port, or on a unix socket given by its path. */
export function get(target: number | string, path: string): Promise<Response> {
  const where = typeof target === 'number' ? { host: '127.0.0.1', port: target } : { socketPath: target };
  return new Promise((resolve, reject) => {
    const request = http.get({ ...where, path, agent: false, timeout: 5_000 }, (response) => {
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
