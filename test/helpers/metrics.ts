// Reading what naught's --metrics endpoint serves: Prometheus' text format, as a scraper does.
import { get } from './http.js';

/** Every sample of a scrape by its series, `name{label="value",...}` as written. */
export type Samples = Map<string, number>;

/** GET /metrics on a loopback port or a unix socket; fails unless it is a 200 in Prometheus' text format. */
export async function scrape(target: number | string): Promise<Samples> {
  const response = await get(target, '/metrics');
  if (response.status !== 200) throw new Error(`GET /metrics: ${response.status} ${response.body}`);
  return samples(response.body);
}

export function samples(text: string): Samples {
  const found: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match === null) throw new Error(`not a sample line: ${line}`);
    found.set(match[1]!, Number(match[2]));
  }
  return found;
}

/** The samples of one metric, by their labels as written (`worker="0"`), '' for none. */
export function series(found: Samples, name: string): Map<string, number> {
  const of = new Map<string, number>();
  for (const [key, value] of found) {
    const match = /^([^{]+)(?:\{(.*)\})?$/.exec(key)!;
    if (match[1] === name) of.set(match[2] ?? '', value);
  }
  return of;
}

/**
 * Scrapes until stopped, `concurrency` at a time, each on a fresh connection (so some
 * are always being accepted): how many answered, and every failure.
 */
export function scrapeLoad(target: number | string, concurrency = 4): { stop(): Promise<{ ok: number; failures: string[] }> } {
  let running = true;
  const result = { ok: 0, failures: [] as string[] };
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) {
      try {
        await scrape(target);
        result.ok += 1;
      } catch (error) {
        result.failures.push((error as Error).message);
      }
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return result;
    },
  };
}
