import { statusText } from '../protocol/event-line.js';
import type { Connection } from './connection.js';
import { err, out } from './print.js';
import { type Probe, probeFailure } from './probe.js';
import { reach } from './reach.js';

/** 1.x's lines (scripts parse them), a table for a person at a terminal, or JSON for machines. */
export type StatusFormat = 'lines' | 'table' | 'json';

export async function status(ipcFile: string, format: StatusFormat, probe: Probe = 'none'): Promise<number> {
  const connection = await reach(ipcFile, 1);
  return typeof connection === 'number' ? connection : printStatus(connection, format, probe);
}

/** Prints the status of the naught on the other end: 0 when it answered (and passes the probe, if one is asked). */
export async function printStatus(connection: Connection, format: StatusFormat = 'lines', probe: Probe = 'none'): Promise<number> {
  const detail = format !== 'lines';
  // Its colours (kleur) look at the terminal as they load, which builds process.stdout's stream (print.ts): loaded for a table only.
  const table = format === 'table' ? (await import('./status-table.js')).statusTable : null;
  return connection.converse(
    detail ? { action: 'status', detail } : { action: 'status' },
    (reply) => {
      if (reply.type !== 'status') return undefined;
      if (format === 'lines' || reply.detail === undefined) {
        out(statusText(reply));
      } else if (table === null) {
        // The schema docs/commands.md gives: the 1.x counts, the crash loops, naught itself and every worker.
        const { count, waitingFor, crashLoops = [], detail: extra } = reply;
        out(JSON.stringify({ count, waitingFor, crashLoops, ...extra }, null, 2));
      } else {
        out(table(reply, reply.detail));
      }
      const failure = probeFailure(probe, reply);
      if (failure === null) return 0;
      err(`naught: not ${probe === 'readiness' ? 'ready' : 'live'}: ${failure}`);
      return 1;
    },
    () => {
      err('naught closed the connection without answering');
      return 1;
    },
  );
}
