// --node-args reach the supervisor as well as the workers (in 1.x they reached the
// cluster master too): a foreground start whose node lacks them runs itself again
// with them, and this first process only relays signals, events and the exit status. The
// copy's pid is the one in the pid file, so `kill -HUP $(cat naught.pid)` reaches it.
import { constants } from 'node:os';
import type { ParentMessage } from '../protocol/messages.js';
import { sendToParent } from '../supervisor/parent.js';
import { HANDLED_SIGNALS } from '../supervisor/signals.js';
import { err } from './print.js';
import { rerun } from './rerun.js';

export function relaunch(nodeArgs: readonly string[]): Promise<number> {
  // Its own process group, so a Ctrl+C reaches it once, through the relay (a second
  // SIGINT during a stop would force it); and a channel, so the events still reach
  // a Node parent that forked us.
  const child = rerun('NAUGHT_RELAUNCHED', nodeArgs, { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], detached: true });
  child.on('message', (message: ParentMessage) => sendToParent(message));
  const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
  for (const signal of HANDLED_SIGNALS) process.on(signal, forward);
  return new Promise((resolve) => {
    child.on('error', (error) => {
      err(`unable to start: node ${nodeArgs.join(' ')}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      for (const name of HANDLED_SIGNALS) process.off(name, forward);
      resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal]));
    });
  });
}
