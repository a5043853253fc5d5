// node's compile cache for naught's own code, kept where only naught's user can write.
// A cache holds code that node runs: one that another user could plant (node's default
// is a shared directory under /tmp) would run as whoever runs naught, root included.
import { lstatSync, mkdirSync, realpathSync } from 'node:fs';
import module from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import { directoryRisk } from './safe-directory.js';

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
    const me = process.getuid!();
    const own = lstatSync(directory);
    // Its own: readable by no one else either, as it holds what this user runs.
    if (!own.isDirectory() || own.uid !== me || (own.mode & 0o077) !== 0) return null;
    for (let above = path.dirname(directory); ; above = path.dirname(above)) {
      if (directoryRisk(lstatSync(above), me) !== null) return null;
      if (above === path.dirname(above)) return directory;
    }
  } catch {
    return null;
  }
}
