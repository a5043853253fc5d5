// `--daemon-mode true`: start the same command again as a detached process (its
// own session, no terminal, output to files only), relay its events while it
// boots, and return once its workers are online.
import { describeExit } from '../protocol/exit.js';
import { statusText } from '../protocol/event-line.js';
import type { ParentMessage } from '../protocol/messages.js';
import { err, out, printEvent } from './print.js';
import { rerun } from './rerun.js';

export function startDaemon(crashMessage: string, nodeArgs: readonly string[]): Promise<number> {
  const child = rerun('NAUGHT_DAEMON_CHILD', nodeArgs, { detached: true, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  return new Promise((resolve) => {
    let bootFailed = false;
    const finish = (code: number): void => {
      child.removeAllListeners();
      if (child.connected) child.disconnect();
      child.unref();
      resolve(code);
    };
    child.on('message', (message: ParentMessage) => {
      // TookOver goes only to the naught an upgrade started this one from.
      if (message.event === 'IpcListening' || message.event === 'TookOver') return;
      if (message.event === 'Error') {
        err(`unable to start daemon: ${message.value}`);
        finish(1);
      } else if (message.event === 'Ready') {
        // The boot has just ended: no operation runs.
        out(statusText({ ...message, operation: null }));
        finish(0);
      } else if (message.event === 'Shutdown') {
        // Return once the daemon has removed its files, so a new start cannot collide with it.
        bootFailed = true;
        err(crashMessage);
      } else {
        printEvent(message);
      }
    });
    child.on('error', (error) => {
      err(`unable to start daemon: ${error.message}`);
      finish(1);
    });
    child.on('exit', (code, signal) => {
      // Messages sent just before exiting (Shutdown among them) are still on their way
      // until the channel closes: judge only then.
      const verdict = (): void => {
        if (!bootFailed) err(`unable to start daemon: it ${describeExit({ code, signal })}`);
        finish(1);
      };
      if (child.connected) child.once('disconnect', verdict);
      else verdict();
    });
  });
}
