// What the CLI confides to the socket it reached (protocol/ipc-key.ts). A socket
// another user owns could be anyone's (one taken first in /tmp, say): it gets neither
// this user's environment nor the key. One of this user's or root's gets the key when
// this user can read it, and the environment when it may use it.
// Read synchronously: two small files, before anything else happens, and no thread pool
// or node:fs/promises for every command to start first.
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';
import { keyFileFor } from '../protocol/ipc-key.js';

export interface Trust {
  /** The key to show (naught's user or root reading its file), or null. */
  key: string | null;
  /** naught will take this user's environment or directory: the key, or no group shares the socket. */
  mayConfide: boolean;
  /** Who owns the socket, for what the CLI says when it does not confide. */
  owner: number;
}

export function trustOf(ipcFile: string): Trust {
  const me = process.getuid?.() ?? 0;
  const { uid: owner } = lstatSync(ipcFile);
  if (owner !== me && owner !== 0) return { key: null, mayConfide: false, owner };
  const found = readKey(keyFileFor(ipcFile), owner);
  if ('key' in found) return { key: found.key, mayConfide: true, owner };
  // No key file: no group shares the socket, and whoever connects is naught's user or root.
  return { key: null, mayConfide: found.none, owner };
}

/** The key in `file` when it is `owner`'s and readable here; else whether there is no key file at all. */
function readKey(file: string, owner: number): { key: string } | { none: boolean } {
  let fd;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    return { none: (error as NodeJS.ErrnoException).code === 'ENOENT' };
  }
  try {
    if (fstatSync(fd).uid !== owner) return { none: false };
    return { key: readFileSync(fd, 'utf8').trim() };
  } finally {
    closeSync(fd);
  }
}
