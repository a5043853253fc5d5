// When a worker that still runs is replaced: over its memory limit, not answering
// (its event loop is stuck), or old. The machine (machine.ts) asks these questions
// on each health check; here are the rules and their numbers.
//
// Beside the peers: pm2's max_memory_restart kills the worker, then starts another
// (its requests fail); naught starts the replacement first and retires the old one
// once it is online, one worker at a time. Puma's worker_timeout (60 s) and
// Gunicorn's --timeout (30 s) replace a worker that stops checking in; naught's
// default is Gunicorn's 30 s: a Node event loop that has not run for 30 s is wedged
// (a request that needs the CPU that long blocks every other request of the worker
// anyway), and Puma's 60 s is sized for Ruby's slower boots and request limits.
// Gunicorn's max_requests_jitter spreads recycling at random; here the age limit of
// worker n of N is maxAge × (1 + AGE_SPREAD × n / N), so workers started together
// come due one after another, and only one is recycled at a time.

/** The limits of one release's workers; null: no limit. */
export interface Health {
  maxMemoryBytes: number | null;
  /** How long a worker may not answer the agent's ping before it is taken for hung. */
  workerTimeoutMs: number | null;
  maxAgeMs: number | null;
  /** The workers run naught's agent, whose pongs say their HTTP figures: every worker is pinged at each check, limits or not. */
  agent: boolean;
}

export const NO_LIMITS: Health = { maxMemoryBytes: null, workerTimeoutMs: null, maxAgeMs: null, agent: false };

/** How far apart the age limits of workers are spread, as a fraction of the limit. */
export const AGE_SPREAD = 0.1;

/** The shortest --worker-timeout: it must span several pings. */
export const MIN_WORKER_TIMEOUT_MS = 2000;

/**
 * How long naught waits for a hung worker's stack before killing it without one. Taking
 * it takes 20–30 ms where the worker's loop is stuck in JavaScript (cluster/worker-inspector.ts);
 * its replacement does not wait for it.
 */
export const STACK_WAIT_MS = 1000;

/** How often workers are pinged and their memory read: a quarter of the timeout, 250 ms to 1 s. */
export function checkPeriodMs(health: Health): number {
  if (health.workerTimeoutMs === null) return 1000;
  return Math.min(1000, Math.max(250, Math.floor(health.workerTimeoutMs / 4)));
}

/** Whether the checks run: a limit to check, or figures to read. */
export function isChecked(health: Health): boolean {
  return health.maxMemoryBytes !== null || health.workerTimeoutMs !== null || health.maxAgeMs !== null || health.agent;
}

/** The age at which worker `number` of `count` is recycled. */
export function ageLimitMs(maxAgeMs: number, number: number, count: number): number {
  return Math.round(maxAgeMs * (1 + (AGE_SPREAD * number) / Math.max(1, count)));
}
