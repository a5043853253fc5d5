// V8's settings for the supervisor (host/engine.ts): on its command line from its start,
// under the pid it was started with, and never on the workers'.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ENGINE_FLAGS } from '../src/host/engine.js';
import { body, freePort } from './helpers/http.js';
import { Foreground, naught, naughtRunning } from './helpers/naught.js';
import { eventually, isAlive, workerPids } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

/** A process's node options, as `ps` shows them: what comes before the script. */
function nodeOptions(pid: number): string[] {
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  return argv.slice(1, argv.findIndex((arg) => arg.endsWith('.js')));
}

describe("the supervisor's engine", () => {
  const box = useSandbox();

  test('a foreground start runs again with the engine flags under the same pid; the workers run without them', async () => {
    const port = await freePort();
    box.installApp('v1');
    const running = naughtRunning(['start', '--worker-count', '2', 'server.js'], { cwd: box.dir, env: { PORT: String(port) } });
    await eventually(async () => (await naught(['status'], { cwd: box.dir })).stdout === 'workers online: 2\n', 'naught to be online');
    const pid = running.child.pid!;
    expect(Number(readFileSync(box.path('naught.pid'), 'utf8'))).toBe(pid);
    expect(nodeOptions(pid)).toEqual(ENGINE_FLAGS);
    const workerOptions = [JSON.parse(await body(port, '/execArgv')) as string[], ...workerPids(box.dir).map(nodeOptions)];
    for (const options of workerOptions) expect(options.filter((flag) => ENGINE_FLAGS.includes(flag))).toEqual([]);
    running.child.kill('SIGTERM');
    expect(await running.result).toMatchObject({ code: 0, signal: null });
    expect(running.stderr().match(/^Bootup\./gm)).toHaveLength(1);
  });

  test("a daemon is spawned with them; a Node parent's channel, which execve would close, keeps naught where it is", async () => {
    const port = await freePort();
    box.installApp('v1');
    expect(await naught(['start', '--daemon-mode', 'true', 'server.js'], { cwd: box.dir, env: { PORT: String(port) } })).toMatchObject({ code: 0 });
    const daemon = Number(readFileSync(box.path('naught.pid'), 'utf8'));
    expect(nodeOptions(daemon)).toEqual(ENGINE_FLAGS);
    expect(await naught(['stop'], { cwd: box.dir })).toMatchObject({ code: 0 });
    expect(isAlive(daemon)).toBe(false);

    const fg = new Foreground(['start', 'server.js'], { cwd: box.dir, env: { PORT: String(port) } });
    await fg.waitFor('Ready');
    expect(nodeOptions(fg.child.pid!)).not.toContain('--no-opt');
    expect(await body(port, '/hi')).toMatch(/^v1/);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });
});
