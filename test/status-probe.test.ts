// `naught status --probe readiness|liveness`, the exec probes of packaging/kubernetes:
// readiness passes while some worker serves (through a deploy too) and fails while
// naught boots, stops, or every worker crash-loops; liveness fails only for that loop.
import { rmSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { body } from './helpers/http.js';
import { naught, naughtRunning, startApp } from './helpers/naught.js';
import { eventually } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

describe('naught status --probe', () => {
  const box = useSandbox();
  const probe = (kind: string) => naught(['status', '--probe', kind], { cwd: box.dir });

  test('readiness: not while booting or stopping, yes while old workers serve a deploy; liveness passes throughout', async () => {
    const gate = box.path('boot');
    const { port, fg } = await startApp(box, ['--worker-count', '2', '--stop-timeout', '3'], { BOOT_GATE: gate }, false);
    await eventually(async () => (await naught(['status'], { cwd: box.dir })).code === 0, 'naught to answer');
    expect(await probe('readiness')).toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/^booting\n/),
      stderr: 'naught: not ready: no worker is online yet\n',
    });
    expect(await probe('liveness')).toMatchObject({ code: 0, stderr: '' });
    writeFileSync(gate, '');
    await fg.waitFor('Ready');
    expect(await probe('readiness')).toEqual({ code: 0, signal: null, stdout: 'workers online: 2\n', stderr: '' });

    const mark = fg.events.length;
    const deploy = naughtRunning(['deploy'], { cwd: box.dir });
    await fg.waitFor('SpawnNew', mark);
    expect(await probe('readiness')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^deploy in progress\n/) });
    expect((await deploy.result).code).toBe(0);

    // A worker that never returns to its event loop: the stop lasts until naught kills it, 3 s on.
    await body(port, '/block');
    const stopMark = fg.events.length;
    fg.child.kill('SIGTERM');
    await fg.waitFor('ShutdownOld', stopMark);
    expect(await probe('readiness')).toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/^shutting down\n/),
      stderr: 'naught: not ready: naught is stopping\n',
    });
    expect(await probe('liveness')).toMatchObject({ code: 0, stderr: '' });
    expect(await fg.exited).toEqual({ code: 0, signal: null });
    expect(await probe('liveness')).toMatchObject({ code: 1, stderr: expect.stringContaining('not running') });
  });

  test('every worker crash-looping fails both probes; one worker serving is enough; the loop ended passes again', async () => {
    const flag = box.path('broken');
    const { port, fg } = await startApp(box, ['--worker-count', '2'], { CRASH_FLAG: flag });
    writeFileSync(flag, '');
    let mark = fg.events.length;
    await body(port, '/crash');
    await eventually(async () => (await naught(['status'], { cwd: box.dir })).stdout.includes('crash-looping'), 'a crash loop');
    expect(await probe('readiness')).toMatchObject({ code: 0, stderr: '' });
    expect(await probe('liveness')).toMatchObject({ code: 0, stderr: '' });

    // The other worker too: nothing serves, and both numbers loop.
    await eventually(async () => {
      await body(port, '/crash').catch(() => undefined);
      return (await naught(['status', '--json'], { cwd: box.dir })).stdout.includes('"online": 0');
    }, 'no worker online');
    await eventually(async () => (await probe('liveness')).code === 1, 'the liveness probe to fail');
    expect(await probe('liveness')).toMatchObject({ code: 1, stderr: 'naught: not live: every worker is crash-looping (2)\n' });
    expect(await probe('readiness')).toMatchObject({ code: 1, stderr: 'naught: not ready: every worker is crash-looping (2)\n' });

    rmSync(flag);
    mark = fg.events.length;
    await eventually(async () => (await probe('readiness')).code === 0, 'a worker back online', 20_000);
    expect(fg.names(mark)).toContain('WorkerOnline');
    expect(await probe('liveness')).toMatchObject({ code: 0, stderr: '' });
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('a probe that is not readiness or liveness: one line, exit 2', async () => {
    expect(await probe('ready')).toMatchObject({ code: 2, stdout: '', stderr: "naught: --probe must be 'none' or 'readiness' or 'liveness', not 'ready'\n" });
  });
});
