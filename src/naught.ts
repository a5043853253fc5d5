// Entry point of the bundled CLI (dist/cli.js, loaded by launch.ts).
import { main } from './cli/main.js';
import { stderr, stdout } from './cli/print.js';

main(process.argv.slice(2)).then(
  async (code) => {
    await Promise.all([stdout.flushed(), stderr.flushed()]);
    process.exit(code);
  },
  (error: unknown) => {
    // Bad input never gets here (it is a UsageError); this is a bug in naught.
    stderr.write(`naught: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(70);
  },
);
