// The types of load.cjs, the one load generator.

export interface LoadResult {
  ok: number;
  /** Each failed request: its error code, or the unexpected status. */
  failures: string[];
  /** Distinct bodies seen, with how often. */
  bodies: Map<string, number>;
  /** Every answer: when its request began (Date.now()), and its body. */
  answers: Array<{ began: number; body: string }>;
  /** Every failure, as in `failures`, with when its request began. */
  failed: Array<{ began: number; reason: string }>;
  /** The longest answered request, connect to end. */
  longestMs: number;
}

export interface Load {
  /** What it has counted so far. */
  readonly result: LoadResult;
  /** Stops sending and resolves once every request in flight has ended. */
  stop(): Promise<LoadResult>;
}

export function startLoad(
  target: number | string,
  path: string,
  options?: { connections?: number; keepAlive?: boolean; tls?: boolean; onAnswer?: (ok: number) => void },
): Load;
