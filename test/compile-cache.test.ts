// V8's code for naught's CLI (host/compile-cache.ts, src/launch.ts): a cache for each
// command, written after it ran, kept in a directory only naught's user can change, and
// never used where another user could plant the code node would run.
import { chmodSync, chownSync, cpSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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
    const cached = readdirSync(box.path('cache/naught'));
    expect(cached).toEqual([expect.stringMatching(/^cli-version-v/)]);
    expect(statSync(box.path('cache/naught', cached[0]!)).mode & 0o777).toBe(0o600);
  });

  test('holds one cache for each command, used as it is, and one that does not fit is written again', async () => {
    const env = { XDG_CACHE_HOME: box.path('cache') };
    await naught(['version'], { cwd: box.dir, env });
    await naught(['help', 'status'], { cwd: box.dir, env });
    const cached = readdirSync(box.path('cache/naught')).sort();
    expect(cached).toEqual([expect.stringMatching(/^cli-help-v/), expect.stringMatching(/^cli-version-v/)]);
    const versionCache = box.path('cache/naught', cached[1]!);
    const written = statSync(versionCache).mtimeMs;
    expect(await naught(['version'], { cwd: box.dir, env })).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    expect(statSync(versionCache).mtimeMs).toBe(written);
    // V8 refuses code that is not its own: the command compiles, runs, and caches anew.
    writeFileSync(versionCache, 'not code');
    expect(await naught(['version'], { cwd: box.dir, env })).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    expect(readFileSync(versionCache).length).toBeGreaterThan(1000);
    expect(readdirSync(box.path('cache/naught')).sort()).toEqual(cached);
  });

  test('is not taken for another bundle of the same length, even one written in place with its old modification time', async () => {
    // V8 checks only the source's length: it would run the code it cached for the old one.
    cpSync(path.resolve('dist'), box.path('naught'), { recursive: true });
    const cli = box.path('naught/cli.js');
    // A whole second, as tar or cp -p give it, set again exactly.
    const shipped = 1_700_000_000;
    utimesSync(cli, shipped, shipped);
    const run = { cwd: box.dir, env: { XDG_CACHE_HOME: box.path('cache') }, bin: box.path('naught/naught.js') };
    expect(await naught(['version'], run)).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const other = `${pkg.version.slice(0, -1)}${pkg.version.endsWith('x') ? 'y' : 'x'}`;
    writeFileSync(cli, readFileSync(cli, 'latin1').replaceAll(JSON.stringify(pkg.version), JSON.stringify(other)), 'latin1');
    utimesSync(cli, shipped, shipped);
    expect(await naught(['version'], run)).toMatchObject({ code: 0, stdout: `${other}\n`, stderr: '' });
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
