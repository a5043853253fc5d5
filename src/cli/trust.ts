// What the CLI confides to the socket it reached (protocol/ipc-key.ts). A socket
// another user owns could be anyone's (one taken first in /tmp, say): it gets neither
// this user's environment nor the key. One of this user's or root's gets the key when
// this user can read it, and the environment when it may use it.
import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { keyFileFor } from '../protocol/ipc-key.js';

export interface Trust {
  /** The key to show (naught's user or root reading its file), or null. */
  key: string | null;
  /** naught will take this user's environment or directory: the key, or no group shares the socket. */
  mayConfide: boolean;
  /** Who owns the socket, for what the CLI says when it does not confide. */
  owner: number;
}

export async function trustOf(ipcFile: string): Promise<Trust> {
  const me = process.getuid?.() ?? 0;
  const { uid: owner } = await lstat(ipcFile);
  if (owner !== me && owner !== 0) return { key: null, mayConfide: false, owner };
  const found = await readKey(keyFileFor(ipcFile), owner);
  if ('key' in found) return { key: found.key, mayConfide: true, owner };
  // No key file: no group shares the socket, and whoever connects is naught's user or root.
  return { key: null, mayConfide: found.none, owner };
}

/** The key in `file` when it is `owner`'s and readable here; else whether there is no key file at all. */
async function readKey(file: string, owner: number): Promise<{ key: string } | { none: boolean }> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    return { none: (error as NodeJS.ErrnoException).code === 'ENOENT' };
  }
  try {
    if ((await handle.stat()).uid !== owner) return { none: false };
    return { key: (await handle.readFile('utf8')).trim() };
  } finally {
    await handle.close();
  }
}
