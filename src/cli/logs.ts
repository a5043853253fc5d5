// `naught logs`: the workers' log files as the running naught reads them for us
// (supervisor/logs.ts), each stream to the same stream here, as `docker logs` does.
import type { OutputStream } from '../protocol/messages.js';
import { settleEngine } from '../host/engine.js';
import { err, errRaw, outRaw, stderr, stdout } from './print.js';
import { reach } from './reach.js';

export interface LogsOptions {
  follow: boolean;
  lines: number;
  stdout: boolean;
  stderr: boolean;
}

export async function logs(ipcFile: string, options: LogsOptions): Promise<number> {
  // Following, it runs as long as naught (and may run again for it, so before anything).
  if (options.follow) settleEngine();
  const connection = await reach(ipcFile, 1);
  if (typeof connection === 'number') return connection;
  // A reader that went away (`naught logs --follow | head`) has all it wanted.
  stdout.whenGone(() => process.exit(0));
  const streams: OutputStream[] = options.stdout === options.stderr ? ['stdout', 'stderr'] : options.stdout ? ['stdout'] : ['stderr'];
  return connection.converse(
    { action: 'logs', streams, lines: options.lines, follow: options.follow },
    (reply) => {
      switch (reply.type) {
        case 'log': {
          const [write, output] = reply.stream === 'stdout' ? [outRaw, stdout] : [errRaw, stderr];
          // A reader slower than naught (`| less`) holds the replies back, not this process's memory.
          if (!write(reply.text)) connection.waitFor(output.waitable());
          return undefined;
        }
        case 'log-end':
          return 0;
        case 'error':
          err(`naught logs: ${reply.message}`);
          return 1;
        default:
          return undefined;
      }
    },
    () => {
      // Following, the end is naught's stop.
      if (options.follow) return 0;
      err('naught closed the connection before the last line');
      return 1;
    },
  );
}
