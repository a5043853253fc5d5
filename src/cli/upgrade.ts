// `naught upgrade`: the running naught starts a new one from the node and naught
// that run this command, passes it its sockets, and goes once the new one serves.
import { realpathSync } from 'node:fs';
import { err, printEvent } from './print.js';
import { reach } from './reach.js';

export async function upgrade(ipcFile: string, timeoutMs: number | undefined): Promise<number> {
  const connection = await reach(ipcFile, 1);
  if (typeof connection === 'number') return connection;
  let pid: number | null = null;
  return connection.converse(
    {
      action: 'upgrade',
      node: process.execPath,
      naught: realpathSync(process.argv[1]!),
      nodeVersion: process.version,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    },
    (reply) => {
      // naught's own events (the old workers' while the new ones boot) are not this command's story.
      if (reply.type !== 'upgrade') return undefined;
      const { step } = reply;
      switch (step.kind) {
        case 'refused':
          err(`upgrade refused: ${step.reason}`);
          return 1;
        case 'started':
          pid = step.pid;
          err(`naught: started naught pid ${step.pid} (node ${process.version}); its workers boot beside the old ones`);
          return undefined;
        case 'event':
          printEvent(step.event);
          return undefined;
        case 'upgraded':
          err(`upgraded: naught pid ${step.pid} serves; the old naught stops its workers and exits`);
          return 0;
        case 'failed':
          err(`upgrade failed: the new naught${pid === null ? '' : ` (pid ${pid})`}: ${step.reason}; the old naught serves on`);
          return 1;
      }
    },
    () => {
      err('lost the connection to naught before the upgrade finished');
      return 1;
    },
  );
}
