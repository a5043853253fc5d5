// A canary deploy's rules: k new workers serve beside the old ones for a window, and
// the release goes on only if they did no worse. The machine (machine.ts) runs the
// canary; here is what it judges by, and the words of its verdict.
//
// What it can judge: a canary worker that exits, hangs or outgrows --max-memory in
// the window (any app), and one whose share of 5xx responses is worse than the old
// workers' over the same window by more than the margin (HTTP apps under naught's
// agent, which counts each worker's responses: worker/requests.ts).
//
// The margin is in percentage points of 5xx share, 5 by default: a broken release
// fails loudly (a route that throws, a missing dependency: tens of percent), while
// a good one differs from the old by chance alone. At MIN_CANARY_REQUESTS the chance
// difference is small: with the old workers at 2 % 5xx, a canary as good as they are
// answers more than 7 % 5xx in 100 requests about once in 1,000 windows (binomial
// tail, 0.09 %; at 5 %, more than 10 % once in 90), and with the old at 0 % never.
// Below that many requests the 5xx share is not judged, and the verdict says so: a
// window too quiet to tell is not a failure.
import { serverErrorShare, since, sum, total, type HttpFigures } from '../protocol/http-figures.js';
import type { CanaryVerdict } from '../protocol/messages.js';
import { durationText, percentText } from '../protocol/quantities.js';

/** Responses a canary worker must have answered in the window before its 5xx share is judged. */
export const MIN_CANARY_REQUESTS = 100;

/**
 * The default of --deploy-canary-window: long enough for a release that crashes on its
 * first requests, or soon after, to do so, and for a worker at 10 requests a second to
 * answer MIN_CANARY_REQUESTS; every canary deploy takes that much longer.
 */
export const CANARY_WINDOW_MS = 10_000;

/** The shortest window: the figures come with the agent's answers to pings, one a second. */
export const MIN_CANARY_WINDOW_MS = 2000;

/** The default of --canary-margin, in percentage points. */
export const CANARY_MARGIN_PERCENT = 5;

/** A canary deploy as asked: how many workers, for how long, how much worse their 5xx share may be. */
export interface CanaryPlan {
  count: number;
  windowMs: number;
  /** Percentage points of 5xx share beyond the old workers'. */
  marginPercent: number;
}

/** The figures of one worker at the window's start and end (null where it had none). */
export interface WindowFigures {
  number: number;
  start: HttpFigures | null;
  end: HttpFigures | null;
}

function inWindow({ start, end }: WindowFigures): HttpFigures | null {
  if (end === null) return null;
  return start === null ? end : since(end, start);
}

/** The canary's verdict at the window's end. */
export function judge(plan: CanaryPlan, canary: readonly WindowFigures[], old: readonly WindowFigures[]): CanaryVerdict {
  const oldFigures = sum(old.map(inWindow).filter((f): f is HttpFigures => f !== null));
  const oldShare = serverErrorShare(oldFigures) ?? 0;
  const canaryFigures = canary.map((worker) => ({ number: worker.number, figures: inWindow(worker) }));
  const all = sum(canaryFigures.map(({ figures }) => figures).filter((f): f is HttpFigures => f !== null));
  const figures = { requests: total(all), serverErrors: all.byClass[4]!, oldRequests: total(oldFigures), oldServerErrors: oldFigures.byClass[4]! };
  const over = durationText(plan.windowMs);
  const oldText = `old workers ${percentText(oldShare)}`;
  const judged = canaryFigures.filter(({ figures: f }) => f !== null && total(f) >= MIN_CANARY_REQUESTS);
  const worst = judged.map(({ number, figures: f }) => ({ number, share: serverErrorShare(f!)! })).sort((a, b) => b.share - a.share)[0];
  if (worst !== undefined && worst.share * 100 > oldShare * 100 + plan.marginPercent) {
    return { passed: false, text: `canary worker ${worst.number} answered ${percentText(worst.share)} 5xx (${oldText}) over ${over}`, ...figures };
  }
  if (judged.length < canary.length) {
    const few = canary.length === 1 ? `${figures.requests} requests` : `under ${MIN_CANARY_REQUESTS} requests on some canary worker`;
    return { passed: true, text: `no canary worker exited or hung over ${over}; ${few}, too few to judge the 5xx share (${MIN_CANARY_REQUESTS} needed)`, ...figures };
  }
  return { passed: true, text: `canary answered ${figures.requests} requests, ${percentText(serverErrorShare(all) ?? 0)} 5xx (${oldText}) over ${over}`, ...figures };
}
