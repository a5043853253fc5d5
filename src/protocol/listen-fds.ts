// The sockets a service manager passes a process (sd_listen_fds(3)): LISTEN_FDS of
// them from fd 3 on, named in LISTEN_FDNAMES (colon-separated), meant for the
// process LISTEN_PID names. Read by the supervisor for itself and by naught/worker
// in each worker (whose LISTEN_PID the agent makes its own).

/** sd_listen_fds' SD_LISTEN_FDS_START. */
export const LISTEN_FDS_START = 3;

export interface ListenFd {
  fd: number;
  /** LISTEN_FDNAMES' entry, or systemd's default name, 'unknown'. */
  name: string;
}

/** The passed sockets; `for` is the pid LISTEN_PID must name; a string says why they are not ours. */
export function listenFds(env: NodeJS.ProcessEnv, forPid: number): ListenFd[] | string {
  if (env.LISTEN_FDS === undefined) return [];
  const count = Number(env.LISTEN_FDS);
  if (!Number.isSafeInteger(count) || count < 0) return `LISTEN_FDS must be a number of sockets, not '${env.LISTEN_FDS}'`;
  if (env.LISTEN_PID !== String(forPid)) return `LISTEN_FDS=${count} is for pid ${env.LISTEN_PID ?? '(no LISTEN_PID)'}, not this process (pid ${forPid})`;
  const names = env.LISTEN_FDNAMES?.split(':') ?? [];
  return Array.from({ length: count }, (_, i) => ({ fd: LISTEN_FDS_START + i, name: names[i] || 'unknown' }));
}
