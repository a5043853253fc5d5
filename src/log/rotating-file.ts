// A log file that is renamed with a timestamp once it passes a size and gzipped in
// the background, while a fresh file takes the next lines.
//
// It is a Writable: node buffers writes that arrive during a disk write and hands
// them to _writev as one batch, and write() returning false is the backpressure
// signal. Callers write whole lines only, so rotating between batches never splits one.
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

/** Where a sink says that it cannot write, and that it can again. */
export type Reporter = (message: string) => void;

export class RotatingFile extends Writable {
  private lastStamp = 0;
  private failing = false;
  private readonly compressing = new Set<Promise<void>>();

  static async open(file: string, maxBytes: number, report: Reporter): Promise<RotatingFile> {
    await mkdir(path.dirname(file), { recursive: true });
    const handle = await open(file, 'a');
    const { size } = await handle.stat();
    return new RotatingFile(file, maxBytes, report, handle, size);
  }

  private constructor(
    readonly file: string,
    private readonly maxBytes: number,
    private readonly report: Reporter,
    private handle: FileHandle,
    private size: number,
  ) {
    super({ highWaterMark: 1024 * 1024 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.append([chunk]).then(() => callback(), callback);
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    this.append(chunks.map((c) => c.chunk)).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    Promise.all(this.compressing)
      .then(() => this.handle.close())
      .then(() => callback(), callback);
  }

  private async append(chunks: Buffer[]): Promise<void> {
    let data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    while (data.length > 0) {
      // A batch can hold many lines: the file takes them up to the end of the line
      // that carries it past its size, and the next file takes the rest.
      const room = this.maxBytes - this.size;
      const cut = room >= data.length ? data.length : endOfLineAt(data, room - 1);
      await this.writeOut(data.subarray(0, cut));
      data = data.subarray(cut);
      if (this.size >= this.maxBytes) await this.rotate();
    }
  }

  private async writeOut(data: Buffer): Promise<void> {
    try {
      for (let offset = 0; offset < data.length; ) {
        const { bytesWritten } = await this.handle.write(data, offset);
        offset += bytesWritten;
      }
      this.size += data.length;
      this.recovered();
    } catch (error) {
      // The service must keep running: these lines are lost, the next ones are tried again.
      this.failed(`cannot write ${this.file}`, error);
    }
  }

  private async rotate(): Promise<void> {
    try {
      const archive = await this.archiveName();
      await rename(this.file, archive);
      // The old handle now writes to the archive; switch before closing it.
      const old = this.handle;
      this.handle = await open(this.file, 'a');
      this.size = 0;
      await old.close();
      this.compressInBackground(archive);
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

  private compressInBackground(archive: string): void {
    // zlib streams compress on libuv's thread pool, so the supervisor's loop stays free.
    const job = pipeline(createReadStream(archive), createGzip(), createWriteStream(`${archive}.gz`, { flags: 'wx' }))
      .then(() => unlink(archive))
      .catch((error: unknown) => this.report(`naught: cannot compress ${archive}: ${message(error)}`))
      .finally(() => this.compressing.delete(job));
    this.compressing.add(job);
  }

  private failed(what: string, error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.report(`naught: ${what}: ${message(error)}`);
  }

  private recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.report(`naught: writing ${this.file} again`);
  }
}

/** The offset just after the first newline at or after `from` (the end if there is none). */
function endOfLineAt(data: Buffer, from: number): number {
  const newline = data.indexOf(10, Math.max(from, 0));
  return newline === -1 ? data.length : newline + 1;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
