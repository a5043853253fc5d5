// systemd's watchdog: when WATCHDOG_USEC is set for us, WATCHDOG=1 every half of it.
// The ping runs on the supervisor's event loop, which also runs the cluster
// primary: if that loop wedges, the pings stop and systemd restarts the unit.

/**
 * The ping interval in ms, or null when the watchdog is off or meant for another
 * process. `owners` are the pids WATCHDOG_PID may name for us: our own, and the
 * naught CLI that systemd started when it runs us as its daemon or relaunched copy.
 */
export function watchdogInterval(env: NodeJS.ProcessEnv, owners: readonly number[]): number | null {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isSafeInteger(usec) || usec <= 0) return null;
  if (env.WATCHDOG_PID !== undefined && !owners.includes(Number(env.WATCHDOG_PID))) return null;
  return Math.max(1, Math.floor(usec / 2000));
}
