// Entry point of the bundled CLI (dist/cli.js, loaded by launch.ts).
import { main } from './cli/main.js';

/**
 * Resolves once what was written to `stream` is out. Into a pipe node writes
 * asynchronously, and process.exit() drops what waits (`naught logs | wc -l` got a
 * fifth of the lines); a reader that went away (EPIPE) has had all it wanted.
 */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.writableLength === 0 || stream.destroyed) return resolve();
    stream.once('error', () => resolve());
    stream.write('', () => resolve());
  });
}

main(process.argv.slice(2)).then(
  async (code) => {
    await Promise.all([drained(process.stdout), drained(process.stderr)]);
    process.exit(code);
  },
  (error: unknown) => {
    // Bad input never gets here (it is a UsageError); this is a bug in naught.
    process.stderr.write(`naught: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(70);
  },
);
