// Entry point of the bundled CLI.
import { main } from './cli/main.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Bad input never gets here (it is a UsageError); this is a bug in naught.
    process.stderr.write(`naught: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(70);
  },
);
