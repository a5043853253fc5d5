// The pid file runbooks read (`kill -HUP $(cat naught.pid)`).
import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomically } from '../log/atomic-file.js';
import { ensureDirectory } from '../log/directory.js';

/** Written at once or not at all (writeAtomically), in a directory no one else may write. */
export async function writePidFile(file: string, pid: number): Promise<void> {
  await ensureDirectory(path.dirname(file), 0o755);
  await writeAtomically(file, `${pid}\n`, 0o644);
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
