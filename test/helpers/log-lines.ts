// Reading what workers said out of log files and console output.
import { readFileSync } from 'node:fs';
import { body } from './http.js';
import { eventually } from './processes.js';

/** The lines of `text` that begin with `prefix`. */
export function linesOf(text: string, prefix: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(prefix));
}

/** Has a worker say a `tag` line until one lands in `file` (which may not exist yet). */
export function sayUntilLogged(port: number, file: string, tag: string, what: string): Promise<void> {
  return eventually(async () => {
    await body(port, `/say?tag=${tag}&count=1`);
    try {
      return linesOf(readFileSync(file, 'utf8'), `${tag} `).length > 0;
    } catch {
      return false;
    }
  }, what);
}
