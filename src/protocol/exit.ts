// How a process ended, and the words naught uses for it (a worker's death, the daemon's).

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  spawnError?: string;
  /** The last lines it wrote to stderr, when naught reads its stderr (protocol/diagnostics.ts bounds them). */
  stderr?: string[];
}

export function describeExit({ code, signal, spawnError }: ExitInfo): string {
  if (spawnError !== undefined) return `could not start (${spawnError})`;
  if (signal !== null) return `was killed by ${signal}`;
  return `exited with code ${code}`;
}
