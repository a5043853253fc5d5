// What each signal means to the supervisor, in one table (as Puma and tini keep it).
//
// SIGHUP   deploy, exactly like `naught deploy` with the current settings
// SIGTERM  graceful stop; one during a stop (begun by a signal or by `naught stop`) forces it
// SIGINT   the same as SIGTERM (Ctrl+C in a terminal)
// SIGUSR2  open the log files again by their paths (after logrotate moved them)
//
// SIGUSR1 is left alone: node reserves it for the inspector.

export interface SignalActions {
  deploy(): void;
  /** Begins a graceful stop, or forces the one under way. */
  stop(): void;
  reopenLogs(): void;
}

const TABLE = {
  SIGHUP: 'deploy',
  SIGTERM: 'stop',
  SIGINT: 'stop',
  SIGUSR2: 'reopenLogs',
} as const satisfies Partial<Record<NodeJS.Signals, keyof SignalActions>>;

/** The signals that mean something to naught: a process standing in for it forwards these. */
export const HANDLED_SIGNALS = Object.keys(TABLE) as Array<keyof typeof TABLE>;

/** Installs the handlers; the returned function removes them. */
export function handleSignals(actions: SignalActions): () => void {
  const removers = Object.entries(TABLE).map(([signal, action]) => {
    const handler = (): void => actions[action]();
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => removers.forEach((remove) => remove());
}
