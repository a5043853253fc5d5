// Waiting for a condition with a deadline, polling: the one way tests and bench/ wait
// (test/helpers/processes.ts names it for tests, bench/measure.mjs for the bench).
import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves once `check` (which may return a promise) is true, asked every `pollMs`; fails naming `what` after `deadlineMs`. */
export async function waitUntil(check, what, deadlineMs, pollMs) {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await sleep(pollMs);
  }
}
