// How long lines wait to be written together. Each write is a hand-off to libuv's thread
// pool (a futex wake-up, tens of microseconds of the supervisor's CPU); written as they
// came, one per pipe read, they were most of what a worker's log flood cost naught.
// Gathered for a moment, a flood takes a write every few milliseconds whatever the
// pipes do. Whoever ends a stream writes what is gathered first.

/** The longest a line waits before its write starts. */
export const GATHER_MS = 2;

/** Gathered this much, the write starts at once. */
export const GATHER_BYTES = 256 * 1024;
