// When a worker that died is started again.
//
// One crash is repaired at once: its replacement is what a single crash costs. A
// worker that dies again soon after each start is crash-looping, and waits 1, 2,
// 4, 8, then 16 s before each further start; a worker that lived 30 s before it
// died starts the count afresh. naught never gives up on a worker number: the
// other workers keep serving, and a deploy (a fixed release) also starts afresh.
//
// Beside the peers: pm2's exp-backoff-restart-delay grows ×1.5 from the delay
// given (100 ms in its docs) to a 15 s cap and resets after 30 s up; systemd
// restarts after RestartSec=100ms and gives up after 5 starts in 10 s
// (StartLimitBurst=, StartLimitIntervalSec=). naught keeps pm2's reset and a cap
// of the same size, because a cap is how late a fixed dependency (a database back
// up) is noticed, and at one boot per 16 s a loop costs little CPU; it does not
// give up as systemd does, since for a cluster that means serving with a worker
// less for good.

export const RESTART_BACKOFF = {
  /** The wait before the second start in a row that follows a quick death. */
  firstDelayMs: 1000,
  maxDelayMs: 16_000,
  /** A worker that lived this long was healthy: its death is a first crash again. */
  resetAfterMs: 30_000,
} as const;

export interface Restart {
  /** Deaths in a row, each soon after its start; 1 is a plain crash. */
  crashes: number;
  delayMs: number;
}

/** The restart after a death, given the deaths in a row before it and how long the dead worker lived. */
export function nextRestart(crashesBefore: number, livedMs: number): Restart {
  const crashes = livedMs >= RESTART_BACKOFF.resetAfterMs ? 1 : crashesBefore + 1;
  if (crashes === 1) return { crashes, delayMs: 0 };
  const delayMs = Math.min(RESTART_BACKOFF.maxDelayMs, RESTART_BACKOFF.firstDelayMs * 2 ** (crashes - 2));
  return { crashes, delayMs };
}

/** Two or more quick deaths in a row. */
export function isCrashLoop(crashes: number): boolean {
  return crashes >= 2;
}
