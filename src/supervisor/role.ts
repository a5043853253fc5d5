// Who started this naught, which decides what it owns and when it goes. One of four,
// told by how it was run (cli/start.ts): the flags each used to be are read from here.

/** A naught that `naught upgrade` started: it takes over once its workers are online. */
export interface PredecessorOf {
  pid: number;
  /** The tag of the names it binds beside the socket files until it takes them (host/private-socket.ts). */
  beside: string;
  /** How many of the sockets passed, the last ones, the predecessor learned (--balance kernel). */
  learnedCount: number;
}

export type Role =
  /** Started by the operator or a service manager, in the foreground: it has the console. */
  | { kind: 'foreground' }
  /** `--daemon-mode true`: the CLI started it detached and was the service's main process. No console. */
  | { kind: 'daemon'; startedBy: number }
  /** The CLI ran it again with --node-args and stands in for it: when that CLI is gone (killed), it stops. */
  | { kind: 'relaunched'; startedBy: number }
  /**
   * Started by `naught upgrade` from a running naught: it takes the ipc file and the pid file once its
   * workers are online (TookOver), and until then goes with the naught that started it. A daemon's is detached.
   */
  | { kind: 'successor'; detached: boolean; predecessor: PredecessorOf };

/** It has no console: its stdio is /dev/null. */
export function isDetached(role: Role): boolean {
  return role.kind === 'daemon' || (role.kind === 'successor' && role.detached);
}

/** The naught a service manager started when it is not this process: its watchdog is ours to feed. */
export function startedBy(role: Role): number | null {
  if (role.kind === 'foreground') return null;
  return role.kind === 'successor' ? role.predecessor.pid : role.startedBy;
}

/** The naught it takes over from, for a successor. */
export function predecessorOf(role: Role): PredecessorOf | null {
  return role.kind === 'successor' ? role.predecessor : null;
}

/** It stops when the naught that started it closes the channel (is gone). */
export function goesWithParent(role: Role): boolean {
  return role.kind === 'relaunched' || role.kind === 'successor';
}
