// "Did you mean": the known word nearest to a mistyped one, when it is near enough.
import leven from 'leven';

/** The candidate closest to `typed`, within 2 edits and under half its length; else undefined. */
export function nearest(typed: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = leven(typed, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= Math.min(2, Math.floor(typed.length / 2)) ? best : undefined;
}
