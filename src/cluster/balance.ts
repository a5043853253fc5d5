// naught's names for how new connections reach the workers (--balance): its own
// module, so that the CLI's option table reads them without loading the driver.

/** Through node:cluster's round-robin in naught, or from the kernel. */
export const BALANCES = ['round-robin', 'kernel'] as const;
export type Balance = (typeof BALANCES)[number];
