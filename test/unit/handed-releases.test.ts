// What `naught upgrade` hands over: the successor's first release and the one before
// it, from the predecessor's two and the code on disk now. The whole path, on the
// built CLI, is in test/upgrade.test.ts.
import { describe, expect, test } from 'vitest';
import { handedReleases, parseHanded, successorReleases, type HandedReleases } from '../../src/supervisor/handed-releases.js';
import type { Release } from '../../src/cluster/machine.js';

const HEALTH = { maxMemoryBytes: null, workerTimeoutMs: 5000, maxAgeMs: null, agent: true };

/** The successor's release from its command line. */
const START: Omit<Release, 'id'> = { count: 2, env: { A: 'start' }, cwd: '/srv/app/current', code: { cwd: '/srv/app/releases/3', script: '/srv/app/releases/3/server.js' }, health: HEALTH, drainMs: 1000, rampMs: 0 };

const ran = (n: number, count: number, env: Record<string, string>) => ({ count, env, cwd: '/srv/app/current', maxMemoryBytes: n === 2 ? 512 * 2 ** 20 : null, code: { cwd: `/srv/app/releases/${n}`, script: `/srv/app/releases/${n}/server.js` } });

const HANDED: HandedReleases = { current: ran(2, 4, { A: 'deployed' }), previous: ran(1, 2, { A: 'start' }) };

describe('releases handed to the new naught', () => {
  test('the same code on disk: it runs the current release as it ran, and the previous one stays the previous', () => {
    const { release, previous } = successorReleases(START, HANDED, HANDED.current.code);
    expect(release).toEqual({ ...START, count: 4, env: { A: 'deployed' }, code: HANDED.current.code, health: { ...HEALTH, maxMemoryBytes: 512 * 2 ** 20 } });
    expect(previous).toEqual({ ...START, count: 2, env: { A: 'start' }, code: HANDED.previous!.code });
  });

  test('the code on disk moved on (a link switched without a deploy): the upgrade deployed it, and the previous is what the old naught ran', () => {
    const { release, previous } = successorReleases(START, HANDED, START.code);
    expect(release).toMatchObject({ count: 4, env: { A: 'deployed' }, code: START.code });
    expect(previous).toMatchObject({ count: 4, env: { A: 'deployed' }, code: HANDED.current.code });
  });

  test('none before and the same code: none before', () => {
    expect(successorReleases(START, { ...HANDED, previous: null }, HANDED.current.code).previous).toBeNull();
  });

  test('what a naught hands over reads back as it was', () => {
    const current: Release = { ...START, id: 4, count: 3, health: { ...HEALTH, maxMemoryBytes: 2 ** 30 } };
    const handed = handedReleases({ current, previous: null });
    expect(parseHanded(JSON.stringify(handed))).toEqual({ current: { count: 3, env: { A: 'start' }, cwd: '/srv/app/current', maxMemoryBytes: 2 ** 30, code: START.code }, previous: null });
  });

  test.each([
    ['', 'they are not JSON'],
    ['null', 'they are not releases'],
    [JSON.stringify({ current: { ...HANDED.current, count: 0 }, previous: null }), 'they are not releases'],
    [JSON.stringify({ current: { ...HANDED.current, env: { A: 1 } }, previous: null }), 'they are not releases'],
    [JSON.stringify({ current: HANDED.current }), 'they are not releases'],
  ])('%j is refused: %s', (text, why) => {
    expect(parseHanded(text)).toBe(why);
  });
});
