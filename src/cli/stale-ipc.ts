// A socket file left behind by a naught that was killed: nothing listens on it.
// It is removed only when that is certain, and only the very file that was found
// dead: another `naught start` racing this one may have bound a live socket at the
// same path meanwhile, and a live socket is never removed.
import { link, lstat, rename, unlink } from 'node:fs/promises';
import { probe } from './connection.js';

/** Which file a path named when it was looked at. */
export interface FileIdentity {
  dev: number;
  ino: number;
  isSocket: boolean;
}

export async function identify(file: string): Promise<FileIdentity | null> {
  try {
    const stats = await lstat(file);
    return { dev: stats.dev, ino: stats.ino, isSocket: stats.isSocket() };
  } catch {
    return null;
  }
}

/**
 * Removes `file` if it is still the dead socket `dead` describes. It is first
 * moved aside (rename is atomic), so what is removed is known; a file that turns
 * out to be another, or that answers, is linked back, which fails rather than
 * replace a third. Both checks, because a socket bound meanwhile can reuse the
 * dead one's freed inode number.
 */
export async function removeDeadSocket(file: string, dead: FileIdentity): Promise<void> {
  const aside = `${file}.${process.pid}.dead`;
  try {
    await rename(file, aside);
  } catch (error) {
    // Already gone: someone else cleaned it up.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await identify(aside);
  const another = moved !== null && (moved.dev !== dead.dev || moved.ino !== dead.ino);
  if (another || (await answers(aside))) await link(aside, file).catch(() => {});
  await unlink(aside).catch(() => {});
}

/** A naught listens on `file`. */
async function answers(file: string): Promise<boolean> {
  const found = await probe(file);
  if (found.kind !== 'connected') return false;
  found.connection.close();
  return true;
}
