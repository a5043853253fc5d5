// The sockets a service manager passes a process (sd_listen_fds(3)): LISTEN_FDS of
// them from fd 3 on, named in LISTEN_FDNAMES (colon-separated), meant for the
// process LISTEN_PID names. Read by the supervisor for itself and by naught/worker
// and the agent in each worker, which sees naught's sockets at the same place: from
// fd 3 on, LISTEN_PID its own.
import { readFileSync, readlinkSync } from 'node:fs';

/** sd_listen_fds' SD_LISTEN_FDS_START. */
export const LISTEN_FDS_START = 3;

/** systemd's name for a socket that was given none. */
export const UNNAMED = 'unknown';

export interface ListenFd {
  fd: number;
  /** LISTEN_FDNAMES' entry, or systemd's default name, 'unknown'. */
  name: string;
}

/** Where a socket is to be bound: a TCP port, on every address unless `host`, or a unix socket path. */
export type SocketAddress = { host?: string; port: number } | { path: string };

/** A socket naught binds itself and holds for the workers (--listen), by the name they ask for it. */
export type ListenAddress = SocketAddress & { name: string };

/** The passed sockets; `for` is the pid LISTEN_PID must name; a string says why they are not ours. */
export function listenFds(env: NodeJS.ProcessEnv, forPid: number): ListenFd[] | string {
  if (env.LISTEN_FDS === undefined) return [];
  const count = Number(env.LISTEN_FDS);
  if (!Number.isSafeInteger(count) || count < 0) return `LISTEN_FDS must be a number of sockets, not '${env.LISTEN_FDS}'`;
  if (env.LISTEN_PID !== String(forPid)) return `LISTEN_FDS=${count} is for pid ${env.LISTEN_PID ?? '(no LISTEN_PID)'}, not this process (pid ${forPid})`;
  const names = env.LISTEN_FDNAMES?.split(':') ?? [];
  return Array.from({ length: count }, (_, i) => ({ fd: LISTEN_FDS_START + i, name: names[i] || UNNAMED }));
}

/** The variables that pass `sockets` on to a process that has them from fd 3 on (LISTEN_PID is its own to set). */
export function listenEnv(sockets: readonly ListenFd[]): { LISTEN_FDS: string | undefined; LISTEN_FDNAMES: string | undefined } {
  if (sockets.length === 0) return { LISTEN_FDS: undefined, LISTEN_FDNAMES: undefined };
  return { LISTEN_FDS: String(sockets.length), LISTEN_FDNAMES: sockets.map((socket) => socket.name).join(':') };
}

/** Where a socket of this process is bound: a TCP host and port, a unix socket path, or null (not a listening socket we can see). */
export type BoundAddress = { host: string; port: number } | { path: string };

/**
 * The path of the unix socket at `fd`, or null for any other fd: read from /proc
 * (Linux), its inode looked up in the kernel's table of unix sockets, which lists it
 * before it listens. node has no getsockname for an fd it has not opened, and a pipe
 * handle opened on it could not be closed without closing the fd. (A TCP socket's
 * address comes from a handle on it, host/socket-handles.ts: /proc's TCP tables hold every
 * connection of the host, tens of thousands of lines on a busy one.)
 */
export function unixSocketPath(fd: number): string | null {
  let inode: string;
  try {
    const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
    if (match === null) return null;
    inode = match[1]!;
  } catch {
    return null;
  }
  try {
    for (const line of readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1)) {
      // Num RefCount Protocol Flags Type St Inode Path
      const fields = line.trim().split(/\s+/);
      if (fields[6] === inode) return fields[7] ?? null;
    }
  } catch {
    // No /proc: not a unix socket naught can name.
  }
  return null;
}

export function addressText(address: BoundAddress | ListenAddress): string {
  if ('path' in address) return address.path;
  if (address.host === undefined) return String(address.port);
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
