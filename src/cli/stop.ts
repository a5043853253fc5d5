import { setTimeout as sleep } from 'node:timers/promises';
import { readPidFile } from '../supervisor/pid-file.js';
import { isRunning } from './host.js';
import { err, printFollowed } from './print.js';
import { reach } from './reach.js';

/** How long naught may take to exit after its last worker is gone. */
const EXIT_DEADLINE_MS = 10_000;

export async function stop(ipcFile: string, timeoutMs: number | undefined, pidFile: string): Promise<number> {
  const connection = await reach(ipcFile, 0);
  if (typeof connection === 'number') return connection;
  const pid = await readPidFile(pidFile);
  const code = await connection.converse(
    timeoutMs === undefined ? { action: 'stop' } : { action: 'stop', timeoutMs },
    (reply) => {
      if (reply.type === 'event' && reply.event === 'Shutdown') return 0;
      if (reply.type === 'answer' && reply.answer === 'already-stopping') {
        err('Waiting for shutdown already in progress.');
        err('If it hangs, Ctrl+C this command and try it again with --timeout 1');
      }
      printFollowed(reply, []);
      return undefined;
    },
    () => {
      err('naught closed the connection before its workers were stopped');
      return 1;
    },
  );
  if (code !== 0 || pid === null) return code;
  // The workers are gone; return once naught itself is, so a `start` right after cannot collide.
  if (await exited(pid, EXIT_DEADLINE_MS)) return 0;
  err(`the workers stopped, but pid ${pid} (from ${pidFile}) is still running`);
  return 1;
}

async function exited(pid: number, deadlineMs: number): Promise<boolean> {
  for (const until = Date.now() + deadlineMs; Date.now() < until; await sleep(10)) {
    if (!isRunning(pid)) return true;
  }
  return !isRunning(pid);
}
