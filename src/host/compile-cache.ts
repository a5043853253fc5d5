// V8's code for naught's own bundles, kept where only naught's user can write: a cache
// holds code that node runs, and one another user could plant would run as whoever runs
// naught, root included.
//
// node's compile cache (module.enableCompileCache) keeps the code V8 made when it
// compiled a file, before it ran: the bundles' modules are functions V8 compiles on their
// first call, so every command compiled them again (a millisecond and more of a 25 ms
// `naught status` on Node 26). Here a command's cache is written as it exits, with every
// function it compiled, one cache for each command. The supervisor's is written once it
// is compiled: it runs for ever, and the code of its deploys and diagnostics, in its
// cache, would be in its memory from every start on.
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { constants, Script } from 'node:vm';
import { directoryRisk } from './safe-directory.js';

type Wrapper = (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;

/**
 * Runs `file`, a CommonJS bundle of naught's, with `require` as its own; from V8's code
 * in the cache when one fits, else compiled, and the cache written `after` its compile
 * or at this process's exit. Without a safe cache directory it is simply required.
 */
export function runCached(file: string, name: string, after: 'compile' | 'exit', require: NodeJS.Require): void {
  const directory = privateDirectory();
  if (directory === null) {
    require(file);
    return;
  }
  // The source and its identity from one open file: a bundle replaced meanwhile (an upgrade) is not read under the old one's name.
  const fd = openSync(file, 'r');
  let source: string;
  let identity: string;
  try {
    identity = fileIdentity(fd);
    source = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  const prefix = cachePrefix(name);
  const cacheFile = path.join(directory, `${prefix}${identity}`);
  const cachedData = readOrNothing(cacheFile);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
    // An import() in a bundle loads as it would in a file node required.
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    const write = (): void => writeCache(directory, prefix, cacheFile, script);
    if (after === 'compile') write();
    else process.once('exit', write);
  }
  const module = { exports: {} };
  (script.runInThisContext() as Wrapper)(module.exports, require, module, file, path.dirname(file));
}

/** The caches of `name` for this node with these flags (V8 takes no code made under others). */
function cachePrefix(name: string): string {
  return `${name}-${process.version}-${hash(process.execArgv.join(' '))}-`;
}

/**
 * This very file. V8 compares only the length of the source: given the code of another
 * bundle of the same length, it runs that code. A file written anew has another inode or
 * change time, which no copy that keeps the modification time (cp -p, rsync -t) can set.
 */
function fileIdentity(fd: number): string {
  const { ino, size, ctimeNs } = fstatSync(fd, { bigint: true });
  return `${ino}-${size}-${ctimeNs}`;
}

/** FNV-1a, in hex: a file name for a list of flags. */
function hash(text: string): string {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) value = Math.imul(value ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return value.toString(16);
}

function readOrNothing(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Replaces the caches under `prefix` (of files naught had before) with this one, whole (another command may read it meanwhile); a failure only costs the next run its compile. */
function writeCache(directory: string, prefix: string, cacheFile: string, script: Script): void {
  try {
    for (const entry of readdirSync(directory)) if (entry.startsWith(prefix) && entry !== path.basename(cacheFile)) rmSync(path.join(directory, entry), { force: true });
    const partial = `${cacheFile}.${process.pid}`;
    writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
    renameSync(partial, cacheFile);
  } catch {
    // A full disk, a directory gone: the command has done its work.
  }
}

/** ~/.cache/naught, made when missing, if no one but this user (and root) can change it or the way to it; null otherwise. */
function privateDirectory(): string | null {
  try {
    const home = process.env.HOME || process.getBuiltinModule('node:os').homedir();
    const named = path.join(process.env.XDG_CACHE_HOME || path.join(home, '.cache'), 'naught');
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
