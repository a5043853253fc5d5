// The pid file runbooks read (`kill -HUP $(cat naught.pid)`).
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function writePidFile(file: string, pid: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${pid}\n`);
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
