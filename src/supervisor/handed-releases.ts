// `naught upgrade` replaces naught, not the app: the new naught runs the app as the
// old one ran it after its deploys (their worker count, environment, working
// directory and --max-memory), and `naught rollback` still has the release before.
// Started with the same `naught start` command line, it would otherwise run the
// start's settings again. The predecessor writes its releases into a pipe
// (successor-process.ts); the successor reads them before anything else.
import type { Code } from '../cluster/release.js';
import type { Release } from '../cluster/machine.js';

/** One release as it ran, in a shape that does not change with naught's own types (its successor may be another version). */
export interface HandedRelease {
  count: number;
  env: Record<string, string>;
  cwd: string;
  maxMemoryBytes: number | null;
  code: Code;
}

export interface HandedReleases {
  current: HandedRelease;
  previous: HandedRelease | null;
}

type FirstRelease = Omit<Release, 'id'>;

export function handedReleases(releases: { current: Release; previous: Release | null }): HandedReleases {
  const handed = ({ count, env, cwd, health, code }: Release): HandedRelease => ({ count, env, cwd, maxMemoryBytes: health.maxMemoryBytes, code });
  return { current: handed(releases.current), previous: releases.previous === null ? null : handed(releases.previous) };
}

/**
 * A successor's first release and the one before it. Its code is the code on disk
 * now (`code`, resolved from the handed working directory): when that is not what
 * the predecessor ran, the upgrade deployed it, and the release before is the
 * predecessor's. The rest of each release is the command line's, which both share.
 */
export function successorReleases(start: FirstRelease, handed: HandedReleases, code: Code): { release: FirstRelease; previous: FirstRelease | null } {
  const asRan = (given: HandedRelease, ranCode: Code): FirstRelease => ({
    ...start,
    count: given.count,
    env: given.env,
    cwd: given.cwd,
    code: ranCode,
    health: { ...start.health, maxMemoryBytes: given.maxMemoryBytes },
  });
  const moved = code.cwd !== handed.current.code.cwd || code.script !== handed.current.code.script;
  const before = moved ? handed.current : handed.previous;
  return { release: asRan(handed.current, code), previous: before === null ? null : asRan(before, before.code) };
}

/** The releases a predecessor wrote, or why they cannot be taken: one line. */
export function parseHanded(text: string): HandedReleases | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'they are not JSON';
  }
  const releases = value as Partial<HandedReleases> | null;
  if (typeof releases !== 'object' || releases === null || !isHanded(releases.current) || !(releases.previous === null || isHanded(releases.previous))) {
    return 'they are not releases';
  }
  return releases as HandedReleases;
}

function isHanded(value: unknown): value is HandedRelease {
  const release = value as Partial<HandedRelease> | null;
  if (typeof release !== 'object' || release === null) return false;
  const { count, env, cwd, maxMemoryBytes, code } = release;
  return (
    Number.isSafeInteger(count) &&
    count! > 0 &&
    typeof env === 'object' &&
    env !== null &&
    Object.values(env).every((v) => typeof v === 'string') &&
    typeof cwd === 'string' &&
    (maxMemoryBytes === null || (typeof maxMemoryBytes === 'number' && maxMemoryBytes > 0)) &&
    typeof code?.cwd === 'string' &&
    typeof code.script === 'string'
  );
}
