// The directories of the files naught owns (ipc socket, pid file).
import { mkdir, stat } from 'node:fs/promises';

/**
 * Creates `dir` with `mode` when it is missing (its parents too). An existing one
 * is used as it is, unless anyone may replace what is in it: world-writable
 * without the sticky bit (as /tmp has).
 */
export async function ensureDirectory(dir: string, mode: number): Promise<void> {
  await mkdir(dir, { recursive: true, mode });
  const { mode: actual } = await stat(dir);
  if ((actual & 0o002) !== 0 && (actual & 0o1000) === 0) {
    throw new Error(`${dir} is writable by every user (mode ${(actual & 0o7777).toString(8)}): anyone could replace naught's files there`);
  }
}
