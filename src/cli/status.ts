import { statusText } from '../protocol/event-line.js';
import type { Connection } from './connection.js';
import { err, out } from './print.js';
import { reach } from './reach.js';

export async function status(ipcFile: string): Promise<number> {
  const connection = await reach(ipcFile, 1);
  return typeof connection === 'number' ? connection : printStatus(connection);
}

/** Prints the status of the naught on the other end: 0 when it answered. */
export function printStatus(connection: Connection): Promise<number> {
  return connection.converse(
    { action: 'status' },
    (reply) => {
      if (reply.type !== 'status') return undefined;
      out(statusText(reply));
      return 0;
    },
    () => {
      err('naught closed the connection without answering');
      return 1;
    },
  );
}
