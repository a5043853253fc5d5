// Who may ask what on the ipc socket. Without --ipc-group only naught's user (and
// root) can connect, and may ask anything. With it, the group's members connect too,
// and they may ask for what runs as it is: status, logs, a deploy of the configured
// release, an abort, a stop. A new environment, another directory, or `upgrade` (a
// node binary of the client's choosing) would run the client's code as naught's user:
// those are for naught's user and root alone, and so is a heap snapshot, which holds
// every secret the app has in memory (its environment's among them); a report (without
// the environment) and a CPU profile are the group's too.
//
// node gives no peer credentials (SO_PEERCRED) for a unix socket, so naught cannot
// ask the kernel who is at the other end. Instead naught's user and root show they
// are by a key in a file beside the socket that only they can read (mode 0600), as
// X11's MIT-MAGIC-COOKIE and Erlang's cookie do; the CLI sends it with each request.
import type { Request } from './messages.js';

/** The key file of the socket at `ipcFile`. */
export function keyFileFor(ipcFile: string): string {
  return `${ipcFile}.key`;
}

/** A request only naught's user or root may make, and why; null when anyone who can connect may. */
export function ownerOnly(request: Request): string | null {
  if (request.action === 'upgrade') return "upgrade: only naught's user or root may start naught anew (it runs the node they name)";
  if (request.action === 'examine' && request.kind === 'heap-snapshot') return "heap-snapshot: only naught's user or root may take the workers' memory (it holds the app's secrets)";
  if (request.action !== 'deploy') return null;
  if (request.env !== undefined) return "deploy: only naught's user or root may give the workers an environment (deploy with --override-env false)";
  if (request.cwd !== undefined) return "deploy: only naught's user or root may give the workers another directory";
  return null;
}
