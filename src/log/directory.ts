// The directories of the files naught owns (ipc socket, pid file, logs). naught
// often runs as root: a file it writes where another user can rename, replace or
// plant names (a symlink at the log's path, a socket swapped before its chmod) is
// a file that user chooses. So every directory on the way must pass host/safe-directory.ts.
import { chown, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { directoryRisk } from '../host/safe-directory.js';

/**
 * Creates `dir` with `mode` when it is missing (its parents too; with `group`, they
 * are that group's, so its members can reach a socket there). Then checks it and
 * every directory above it (checkDirectory).
 */
export async function ensureDirectory(dir: string, mode: number, group: number | null = null): Promise<void> {
  const created = await mkdir(dir, { recursive: true, mode });
  if (created !== undefined && group !== null) {
    for (let made = path.resolve(dir); made.length >= created.length; made = path.dirname(made)) await chown(made, -1, group);
  }
  await checkDirectory(dir);
}

/** Throws, with one line naming it and who else may write it, when `dir` or a directory above it is not safe for naught's files. */
export async function checkDirectory(dir: string): Promise<void> {
  const me = process.getuid?.() ?? 0;
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const { uid, gid, mode } = await stat(at);
    const risk = directoryRisk({ uid, mode }, me);
    if (risk === 'owner') throw new Error(`${at} belongs to ${await nameOf('/etc/passwd', uid, 'uid')}: that user could replace naught's files there`);
    if (risk === 'writable') {
      const [who, they] = (mode & 0o002) !== 0 ? ['every user', 'anyone'] : [`group ${await nameOf('/etc/group', gid, 'gid')}`, 'its members'];
      throw new Error(`${at} is writable by ${who} (mode ${(mode & 0o7777).toString(8)}): ${they} could replace naught's files there`);
    }
    if (at === path.dirname(at)) return;
  }
}

/** `uid 65534 (nobody)`, from /etc/passwd or /etc/group as it stands. */
async function nameOf(database: string, id: number, kind: string): Promise<string> {
  const entries = await readFile(database, 'utf8').catch(() => '');
  const name = entries.split('\n').find((line) => line.split(':')[2] === String(id))?.split(':')[0];
  return name === undefined ? `${kind} ${id}` : `${kind} ${id} (${name})`;
}
