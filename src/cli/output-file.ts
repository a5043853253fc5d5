// The file a command writes what naught sends it into (cli/examine.ts): its failure said
// once, in the words of what failed, and a file that failed part-way removed.
import { createWriteStream, lstatSync, rmSync, type WriteStream } from 'node:fs';

/** The file this command writes, from the moment naught has said what it holds. */
export class OutputFile {
  readonly stream: WriteStream;
  failed = false;

  constructor(
    readonly path: string,
    private readonly onError: (why: string) => void,
  ) {
    this.stream = createWriteStream(path);
    this.stream.on('error', (error) => this.fail(error));
  }

  /** Resolves once every piece is written: false when one could not be. */
  close(): Promise<boolean> {
    if (this.failed) return Promise.resolve(false);
    // end()'s callback is given the last write's error before 'error' says it.
    return new Promise((resolve) =>
      this.stream.end((error?: Error | null) => {
        if (error) this.fail(error);
        resolve(!this.failed);
      }),
    );
  }

  /**
   * Said once, however the stream tells it. A write that fails destroys the stream before
   * its 'error' is emitted (that waits for the file to close): an end() meanwhile is told
   * only that the stream is destroyed. What failed is the write, and that is said.
   */
  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.onError((this.stream.errored ?? error).message);
  }

  /** A file that fails part-way is no file: removed (a device or a pipe given as --output is left alone). */
  remove(): void {
    this.stream.destroy();
    if (lstatSync(this.path, { throwIfNoEntry: false })?.isFile()) rmSync(this.path, { force: true });
  }
}
