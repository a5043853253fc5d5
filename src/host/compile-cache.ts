// node's compile cache for naught's own code, kept where only naught's user can write.
// A cache holds code that node runs: one that another user could plant (node's default
// is a shared directory under /tmp) would run as whoever runs naught, root included.
import { lstatSync, mkdirSync, realpathSync } from 'node:fs';
import module from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';

/** Turns the cache on for the modules loaded from now on; quietly does nothing where it cannot be kept safely. */
export function enableCompileCache(): void {
  // Set, it is on already, where its user asked; and node 22.0 has no such call.
  if (process.env.NODE_COMPILE_CACHE !== undefined || typeof module.enableCompileCache !== 'function') return;
  const directory = privateDirectory();
  if (directory !== null) module.enableCompileCache(directory);
}

/** ~/.cache/naught, made when missing, if no one but this user (and root) can change it or the way to it; null otherwise. */
function privateDirectory(): string | null {
  try {
    const named = path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'naught');
    mkdirSync(named, { recursive: true, mode: 0o700 });
    const directory = realpathSync(named);
    const own = lstatSync(directory);
    if (!own.isDirectory() || own.uid !== process.getuid!() || (own.mode & 0o077) !== 0) return null;
    for (let above = path.dirname(directory); ; above = path.dirname(above)) {
      if (!safeAncestor(lstatSync(above))) return null;
      if (above === path.dirname(above)) return directory;
    }
  } catch {
    return null;
  }
}

/** A directory on the way that only this user or root can rename entries in (or sticky, as /tmp: then only their owners). */
function safeAncestor(stats: { uid: number; mode: number; isDirectory(): boolean }): boolean {
  const STICKY = 0o1000;
  return stats.isDirectory() && (stats.uid === 0 || stats.uid === process.getuid!()) && ((stats.mode & 0o022) === 0 || (stats.mode & STICKY) !== 0);
}
