// node's compile cache for naught's CLI (host/compile-cache.ts, src/launch.ts): kept in a
// directory only naught's user can change, and never used where another user could plant
// the code node would run.
import { chmodSync, chownSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { naught } from './helpers/naught.js';
import { useSandbox } from './helpers/sandbox.js';

const nobody = { uid: 65534, gid: 65534 };

describe('the compile cache', () => {
  const box = useSandbox();

  test('is made for this user alone under XDG_CACHE_HOME, and filled by a command', async () => {
    expect(await naught(['version'], { cwd: box.dir, env: { XDG_CACHE_HOME: box.path('cache') } })).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    const own = statSync(box.path('cache/naught'));
    expect([own.mode & 0o777, own.uid]).toEqual([0o700, process.getuid!()]);
    const cached = readdirSync(box.path('cache/naught'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(cached.length).toBeGreaterThan(0);
  });

  test("is not used in another user's directory, one others may write, or one below a directory others may rename in", async () => {
    mkdirSync(box.path('theirs/naught'), { recursive: true, mode: 0o700 });
    chownSync(box.path('theirs/naught'), nobody.uid, nobody.gid);
    mkdirSync(box.path('open/naught'), { recursive: true });
    chmodSync(box.path('open/naught'), 0o770);
    mkdirSync(box.path('shared'));
    chmodSync(box.path('shared'), 0o777);
    for (const base of ['theirs', 'open', 'shared']) {
      const ran = await naught(['version'], { cwd: box.dir, env: { XDG_CACHE_HOME: box.path(base) } });
      expect([base, ran]).toMatchObject([base, { code: 0, stdout: `${pkg.version}\n`, stderr: '' }]);
      expect([base, readdirSync(box.path(`${base}/naught`))]).toEqual([base, []]);
    }
  });
});
