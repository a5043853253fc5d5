// Reaching the naught that owns an ipc file, for the commands that need one running.
import { probe, type Connection } from './connection.js';
import { err } from './print.js';

/** The connection, or the exit code after saying why there is none. */
export async function reach(ipcFile: string, notRunningCode: number): Promise<Connection | number> {
  const found = await probe(ipcFile);
  switch (found.kind) {
    case 'connected':
      return found.connection;
    case 'absent':
      err('server not running');
      return notRunningCode;
    case 'stale':
      err(`unable to connect to ipc-file ${ipcFile}: nothing answers on it (naught died, or it is not naught's)`);
      return 1;
    case 'unreachable':
      err(`unable to connect to ipc-file ${ipcFile}: ${found.reason}`);
      return 1;
  }
}
