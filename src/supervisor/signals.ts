// What each signal means to the supervisor, in one table (as Puma and tini keep it).
//
// SIGHUP   deploy, exactly like `naught deploy` with the current settings
// SIGTERM  graceful stop; a second one during the stop forces it
// SIGINT   the same as SIGTERM (Ctrl+C in a terminal)
//
// SIGUSR1 is left alone: node reserves it for the inspector.

export interface SignalActions {
  deploy(): void;
  stop(): void;
  forceStop(): void;
}

const TABLE = {
  SIGHUP: 'deploy',
  SIGTERM: 'stop',
  SIGINT: 'stop',
} as const satisfies Partial<Record<NodeJS.Signals, 'deploy' | 'stop'>>;

/** Installs the handlers; the returned function removes them. */
export function handleSignals(actions: SignalActions): () => void {
  let stopping = false;
  const handlers = Object.entries(TABLE).map(([signal, action]) => {
    const handler = (): void => {
      if (action === 'deploy') actions.deploy();
      else if (stopping) actions.forceStop();
      else {
        stopping = true;
        actions.stop();
      }
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((remove) => remove());
}
