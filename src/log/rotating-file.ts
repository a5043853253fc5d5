// A log file that is renamed with a timestamp once it passes a size and gzipped in
// the background, while a fresh file takes the next lines; the newest `maxFiles`
// archives are kept.
//
// Faults never stop the service: when the file cannot be written (disk full,
// read-only, its directory deleted and not re-creatable), the lines of that moment
// are counted, reported once, and the count is written into the file when writing
// works again. The file is opened again by its path when asked (SIGUSR2, for
// logrotate) and when the path no longer names it (checked every second).
//
// It is a Writable: node buffers writes that arrive during a disk write and hands
// them to _writev as one batch, and write() returning false is the backpressure
// signal. A small batch waits GATHER_MS first, so the lines of that moment join it
// (gather.ts); end() writes them all before the file closes. Callers write whole
// lines only, so rotating between batches never splits one.
import { constants, createWriteStream } from 'node:fs';
import { lstat, open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureDirectory } from './directory.js';
import { GATHER_BYTES, GATHER_MS } from './gather.js';
import { countLines } from './lines.js';

/** Where a sink says that it cannot write, and that it can again. */
export type Reporter = (message: string) => void;

export interface FileOptions {
  /** Rotate once the file reaches this many bytes. */
  maxBytes: number;
  /** Archives kept per log; null keeps them all. */
  maxFiles: number | null;
  /** Permissions of the files it creates (the log, its archives), less the umask. */
  mode: number;
  report: Reporter;
}

/** How often the path is checked against the open file, and a failed file is tried again. */
const CHECK_INTERVAL_MS = 1000;

export class RotatingFile extends Writable {
  private lastStamp = 0;
  /** Why writing fails, while it does; lines meanwhile are counted in `lost`. */
  private failure: string | null = null;
  private lost = 0;
  private reopenWanted = false;
  /** A batch is being written (and maybe rotated): the path may briefly name nothing. */
  private appending = false;
  private lastAttempt = 0;
  private readonly compressing = new Set<Promise<void>>();
  private readonly check: NodeJS.Timeout;
  /** Told the fd of each file written from now on (naught logs --follow). */
  private readonly watchers = new Set<(fd: number) => void>();

  static async open(file: string, options: FileOptions): Promise<RotatingFile> {
    const handle = await openByPath(file, options.mode);
    const { size } = await handle.stat();
    return new RotatingFile(file, options, handle, size);
  }

  private constructor(
    readonly file: string,
    private readonly options: FileOptions,
    private handle: FileHandle | null,
    private size: number,
  ) {
    super({ highWaterMark: 1024 * 1024 });
    this.check = setInterval(() => void this.checkPath(), CHECK_INTERVAL_MS).unref();
  }

  /** Opens the file by its path again before the next write (after logrotate moved it). */
  reopen(): void {
    this.reopenWanted = true;
  }

  /**
   * `watcher` is told the fd of each file this writes from now on (a rotation, a
   * reopen), at the moment it switches, before a line is written there: whoever
   * opens it then (as /proc/self/fd/N) has that very file, whatever is renamed,
   * gzipped or removed later. Gives the fd of the file written now; null while none is open.
   */
  watchFiles(watcher: (fd: number) => void): { fd: number | null; stop(): void } {
    this.watchers.add(watcher);
    return { fd: this.handle?.fd ?? null, stop: () => void this.watchers.delete(watcher) };
  }

  /** The file written from now on. */
  private switchTo(handle: FileHandle | null): void {
    this.handle = handle;
    if (handle !== null) for (const watcher of this.watchers) watcher(handle.fd);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.append([chunk]).then(() => callback(), callback);
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    this.append(chunks.map((c) => c.chunk)).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    clearInterval(this.check);
    Promise.all(this.compressing)
      .then(() => this.handle?.close())
      .then(() => callback(), callback);
  }

  private async append(chunks: Buffer[]): Promise<void> {
    // While it waits, node buffers what comes, for the next batch.
    if (!this.writableEnded && byteLength(chunks) < GATHER_BYTES) await sleep(GATHER_MS);
    this.appending = true;
    try {
      await this.appendNow(chunks);
    } finally {
      this.appending = false;
    }
  }

  private async appendNow(chunks: Buffer[]): Promise<void> {
    let data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    if (this.reopenWanted || (this.failure !== null && Date.now() - this.lastAttempt >= CHECK_INTERVAL_MS)) await this.reopenNow();
    if (this.failure !== null && this.handle === null) {
      this.lost += countLines(data);
      return;
    }
    while (data.length > 0) {
      // A batch can hold many lines: the file takes them up to the end of the line
      // that carries it past its size, and the next file takes the rest.
      const room = this.options.maxBytes - this.size;
      const cut = room >= data.length ? data.length : endOfLineAt(data, room - 1);
      await this.writeOut(data.subarray(0, cut));
      data = data.subarray(cut);
      if (this.size >= this.options.maxBytes) await this.rotate();
    }
  }

  private async writeOut(data: Buffer): Promise<void> {
    let offset = 0;
    try {
      if (this.failure !== null && this.lost > 0) await this.writeAll(Buffer.from(`naught: ${this.lost} line(s) could not be written here: ${this.failure}\n`));
      while (offset < data.length) offset += (await this.handle!.write(data, offset)).bytesWritten;
      this.size += data.length;
      this.recovered();
    } catch (error) {
      // The service must keep running: these lines are lost, the next ones are tried again.
      // A line written in part (the disk filled up within it) is taken back whole.
      const whole = offset === 0 ? 0 : data.lastIndexOf(10, offset - 1) + 1;
      await this.handle!.truncate(this.size + whole).catch(() => {});
      this.size += whole;
      this.lost += countLines(data.subarray(whole));
      this.failed(`cannot write ${this.file}`, error);
    }
  }

  private async writeAll(data: Buffer): Promise<void> {
    for (let offset = 0; offset < data.length; ) offset += (await this.handle!.write(data, offset)).bytesWritten;
    this.size += data.length;
  }

  /** Opens the path again; while that fails, lines are counted as lost. */
  private async reopenNow(): Promise<void> {
    this.reopenWanted = false;
    this.lastAttempt = Date.now();
    const old = this.handle;
    try {
      const handle = await openByPath(this.file, this.options.mode);
      this.size = (await handle.stat()).size;
      this.switchTo(handle);
    } catch (error) {
      this.handle = null;
      this.failed(`cannot open ${this.file}`, error);
    }
    await old?.close().catch(() => {});
  }

  /** Asks for a reopen when the path names another file than the open one, or none. */
  private async checkPath(): Promise<void> {
    const handle = this.handle;
    if (handle === null || this.reopenWanted || this.appending) return;
    try {
      const [byPath, open] = await Promise.all([stat(this.file), handle.stat()]);
      if (byPath.ino === open.ino && byPath.dev === open.dev) return;
    } catch {
      // The path names nothing: the file or its directory was removed.
    }
    // A rotation that ran meanwhile replaced the file itself.
    if (this.appending || handle !== this.handle) return;
    this.reopenWanted = true;
    this.options.report(`naught: ${this.file} was moved or removed; writing it anew`);
  }

  private async rotate(): Promise<void> {
    try {
      const archive = await this.archiveName();
      await rename(this.file, archive);
      // The old handle now writes to the archive; switch before closing it.
      const old = this.handle!;
      this.switchTo(await openLog(this.file, this.options.mode));
      this.size = 0;
      // What is gzipped is read from this very file, whatever the archive's name comes to name.
      const source = await openArchive(archive, old);
      await old.close();
      this.compressInBackground(archive, source);
    } catch (error) {
      this.failed(`cannot rotate ${this.file}`, error);
      // Keep writing to the same file, and try again after another maxBytes.
      this.size = 0;
    }
  }

  /** `<name>-<ms><ext>`, never reusing a name: two rotations in one millisecond get successive stamps. */
  private async archiveName(): Promise<string> {
    const { dir, name, ext } = path.parse(this.file);
    for (let stamp = Math.max(Date.now(), this.lastStamp + 1); ; stamp += 1) {
      const candidate = path.join(dir, `${name}-${stamp}${ext}`);
      if (!(await exists(candidate)) && !(await exists(`${candidate}.gz`))) {
        this.lastStamp = stamp;
        return candidate;
      }
    }
  }

  private compressInBackground(archive: string, source: FileHandle): void {
    // zlib streams compress on libuv's thread pool, so the supervisor's loop stays free;
    // zlib is loaded at the first rotation, not by every supervisor (1 MB resident).
    const job = Promise.resolve(process.getBuiltinModule('node:zlib'))
      .then(({ createGzip }) => pipeline(source.createReadStream(), createGzip(), createWriteStream(`${archive}.gz`, { flags: 'wx', mode: this.options.mode })))
      .then(() => unlink(archive))
      .then(() => this.prune())
      .catch((error: unknown) => this.options.report(`naught: cannot compress ${archive}: ${message(error)}`))
      .finally(() => this.compressing.delete(job));
    this.compressing.add(job);
  }

  /** Removes the oldest archives beyond maxFiles; archive names sort by their stamp. */
  private async prune(): Promise<void> {
    if (this.options.maxFiles === null) return;
    const { dir, name, ext } = path.parse(this.file);
    const pattern = new RegExp(`^${escape(name)}-(\\d+)${escape(ext)}\\.gz$`);
    const archives = (await readdir(dir))
      .map((entry) => ({ entry, stamp: pattern.exec(entry)?.[1] }))
      .filter((a): a is { entry: string; stamp: string } => a.stamp !== undefined)
      .sort((a, b) => Number(b.stamp) - Number(a.stamp));
    for (const { entry } of archives.slice(this.options.maxFiles)) await unlink(path.join(dir, entry)).catch(() => {});
  }

  private failed(what: string, error: unknown): void {
    if (this.failure !== null) return;
    this.failure = message(error);
    this.options.report(`naught: ${what}: ${this.failure}`);
  }

  private recovered(): void {
    if (this.failure === null) return;
    const lost = this.lost;
    this.failure = null;
    this.lost = 0;
    this.options.report(`naught: writing ${this.file} again${lost > 0 ? ` (${lost} line(s) were lost meanwhile)` : ''}`);
  }
}

/** Appending, created with `mode`, and never through a symlink planted at its path. */
async function openLog(file: string, mode: number): Promise<FileHandle> {
  try {
    return await open(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new Error(`${file} is a symbolic link: naught writes no log through one`);
    throw error;
  }
}

/** Opens the log's directory first (made when missing, and checked: checkDirectory). */
async function openByPath(file: string, mode: number): Promise<FileHandle> {
  await ensureDirectory(path.dirname(file), 0o755);
  return openLog(file, mode);
}

/** The archive, for reading, only while it is still the file `written` wrote. */
async function openArchive(archive: string, written: FileHandle): Promise<FileHandle> {
  const source = await open(archive, constants.O_RDONLY | constants.O_NOFOLLOW);
  const [read, wrote] = await Promise.all([source.stat(), written.stat()]);
  if (read.ino === wrote.ino && read.dev === wrote.dev) return source;
  await source.close();
  throw new Error(`${archive} was replaced after the rotation`);
}

function byteLength(chunks: Buffer[]): number {
  let bytes = 0;
  for (const chunk of chunks) bytes += chunk.length;
  return bytes;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The offset just after the first newline at or after `from` (the end if there is none). */
function endOfLineAt(data: Buffer, from: number): number {
  const newline = data.indexOf(10, Math.max(from, 0));
  return newline === -1 ? data.length : newline + 1;
}

async function exists(file: string): Promise<boolean> {
  try {
    // A dangling symlink is a name taken too.
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
