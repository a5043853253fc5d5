// Continuous HTTP load from the test's own process, counting every answer and every
// failure, until stopped: load.cjs, the one load generator, by the names tests use.
import { startLoad, type Load } from './load.cjs';

export type { Load, LoadResult } from './load.cjs';

/** `connections` clients, each sending GET `path` again as soon as its last answer is read; over TLS (any certificate) with `tls`. */
export function keepAliveLoad(port: number, path: string, connections: number, { tls = false } = {}): Load {
  return startLoad(port, path, { connections, keepAlive: true, tls });
}

/** As keepAliveLoad, each request on a fresh connection: what a refused connect shows up in. */
export function freshConnectionLoad(target: number | string, path: string, connections: number): Load {
  return startLoad(target, path, { connections });
}
