// The pid file runbooks read (`kill -HUP $(cat naught.pid)`).
import { randomBytes } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureDirectory } from '../log/directory.js';

/**
 * Written beside its place and renamed over it: a reader never sees it half
 * written, and a symlink planted at the path is replaced, not followed.
 */
export async function writePidFile(file: string, pid: number): Promise<void> {
  await ensureDirectory(path.dirname(file), 0o755);
  // A name no one else can take first, in a sticky directory (/tmp) too.
  const temporary = `${file}.${randomBytes(8).toString('hex')}.new`;
  try {
    await writeFile(temporary, `${pid}\n`, { flag: 'wx', mode: 0o644 });
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
}

/** The pid in `file`, or null when there is no readable pid. */
export async function readPidFile(file: string): Promise<number | null> {
  try {
    const pid = Number.parseInt(await readFile(file, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Removes the file only while it still names `pid`: a newer naught may have taken it over. */
export async function removePidFile(file: string, pid: number): Promise<void> {
  if ((await readPidFile(file)) !== pid) return;
  await unlink(file).catch(() => {});
}
