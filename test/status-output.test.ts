// `naught status` for people and machines: a coloured table on a terminal (run
// under a pseudo-terminal with `script`), plain with NO_COLOR, 1.x's lines when
// stdout is not a terminal, and --json with every worker and naught itself. And
// `naught deploy`'s progress line on a terminal.
import { execFile } from 'node:child_process';
import { readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, test } from 'vitest';
import { anyAddress, body } from './helpers/http.js';
import { NAUGHT, naught, naughtRunning, startApp } from './helpers/naught.js';
import { eventually, until } from './helpers/processes.js';
import { DURATION_BOUNDS } from '../src/protocol/http-figures.js';
import { useSandbox } from './helpers/sandbox.js';
import { cpuQuota } from '../src/cluster/cpu-quota.js';

/** Runs `naught <command>` on a pseudo-terminal, which must exit with `code`; its output with \r\n made \n. */
function onTerminal(cwd: string, command: string, env: Record<string, string> = {}, code = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('script', ['-qec', `${process.execPath} ${NAUGHT} ${command}`, '/dev/null'], { cwd, env: { ...process.env, TERM: 'xterm', ...env } }, (error, stdout) =>
      (error?.code ?? 0) === code ? resolve(stdout.replace(/\r\n/g, '\n')) : reject(error ?? new Error(`naught ${command} exited with 0, not ${code}`)),
    );
  });
}

const statusOnTerminal = (cwd: string, env: Record<string, string> = {}): Promise<string> => onTerminal(cwd, 'status', env);

// eslint-disable-next-line no-control-regex
const plain = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, '');

describe('naught status output', () => {
  const box = useSandbox();

  test('on a terminal: naught, then a table of the workers with restarts and the last exit; coloured unless NO_COLOR', async () => {
    const { port, fg } = await startApp(box, ['--worker-count', '3']);
    const mark = fg.events.length;
    const crashed = (await body(port, '/crash')).split(' ')[1];
    await fg.waitFor('WorkerOnline', mark);

    const coloured = await statusOnTerminal(box.dir);
    expect(coloured).toContain('\x1b[32monline\x1b[39m');
    const lines = plain(coloured).split('\n');
    expect(lines[0]).toMatch(new RegExp(`^naught  pid ${fg.child.pid}  foreground  up \\d+ s$`));
    expect(lines[1]).toBe('workers online: 3');
    expect(lines[2]).toMatch(/^#\s+pid\s+state\s+release\s+uptime\s+restarts\s+memory\s+requests\s+5xx\s+last exit$/);
    const rows = lines.slice(3, 6).map((line) => line.split(/\s{2,}/));
    expect(rows.map((row) => row[0])).toEqual(['0', '1', '2']);
    for (const row of rows) {
      expect(row.slice(2, 4)).toEqual(['online', 'current']);
      expect(row[6]).toMatch(/^\d+\.\d MB$/);
      // Responses since the worker started, and their 5xx share; – until its agent first said them.
      expect(row.slice(7, 9).join(' ')).toMatch(/^(\d+ (\d+\.\d|\d+)%|\d+ –|– –)$/);
      expect(row.slice(5, 6).concat(row[9]!)).toEqual(row[0] === crashed ? ['1', 'exited with code 3'] : ['0', '–']);
    }
    expect(lines.slice(6)).toEqual(['']);

    const noColour = await statusOnTerminal(box.dir, { NO_COLOR: '1' });
    expect(noColour).not.toContain('\x1b[');
    expect(noColour.split('\n')[1]).toBe('workers online: 3');
    // Not a terminal: 1.x's line, for scripts.
    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: 'workers online: 3\n' });
    await fg.stop();
  });

  test('--json: the counts, naught itself and every worker, also in the middle of a deploy', async () => {
    const { fg, port } = await startApp(box, ['--worker-count', '2']);
    // Each worker's agent has said its figures (with its first pong).
    let idle = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout);
    await eventually(async () => (idle = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout)).workers.every((w: { requests: unknown }) => w.requests !== null), 'the figures');
    // The socket naught learned from the app's listen(PORT), held for the workers (--balance kernel).
    const learned = { fd: expect.any(Number), name: 'unknown', address: expect.stringMatching(new RegExp(`^${anyAddress(port)}$`)) };
    expect(idle).toEqual({
      count: { booting: 0, online: 2, dying: 0, new_online: 0 },
      waitingFor: null,
      crashLoops: [],
      supervisor: { pid: fg.child.pid, mode: 'foreground', node: process.version, uptimeMs: expect.any(Number), operation: null, notify: null, sockets: [learned], restartsBy: { crash: 0, offline: 0, memory: 0, hang: 0, age: 0 },
        // naught runs in this test's cgroup.
        workerCount: { given: 2, count: 2, availableCpus: availableParallelism(), cpuQuota: cpuQuota() },
        // Root may set a worker's priority back (CAP_SYS_NICE).
        bootNice: process.getuid?.() === 0 ? 10 : null,
        bootIdle: process.getuid?.() === 0,
        releases: { current: { id: 0, directory: realpathSync(box.dir), script: realpathSync(box.path('server.js')), workers: 2 }, previous: null },
      },
      workers: [0, 1].map((number) => ({
        number,
        pid: expect.any(Number),
        state: 'online',
        release: 'current',
        directory: realpathSync(box.dir),
        uptimeMs: expect.any(Number),
        silentForMs: expect.any(Number),
        restarts: 0,
        restartsBy: { crash: 0, offline: 0, memory: 0, hang: 0, age: 0 },
        memoryBytes: expect.any(Number),
        cpuSeconds: expect.any(Number),
        // Measured only with --metrics.
        loopDelay: null,
        lastExit: null,
        lastStderr: null,
        lastStack: null,
        requests: { total: 0, byClass: { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 }, p50Ms: null, p99Ms: null, histogram: { bounds: DURATION_BOUNDS, cumulative: DURATION_BOUNDS.map(() => 0), sumSeconds: 0 } },
      })),
    });

    box.installApp('v2');
    const gate = box.path('boot');
    const deploying = naughtRunning(['deploy'], { cwd: box.dir, env: { BOOT_GATE: gate } });
    await until(() => deploying.stderr().split('SpawnNew').length === 3, 'the new workers to be spawned');
    const during = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout);
    expect(during.waitingFor).toBe('new');
    expect(during.supervisor.operation).toEqual({ kind: 'deploy', forMs: expect.any(Number) });
    expect(during.workers.map((w: { number: number; state: string; release: string }) => `${w.number} ${w.state} ${w.release}`)).toEqual([
      '0 online current',
      '0 booting new',
      '1 online current',
      '1 booting new',
    ]);
    writeFileSync(gate, '');
    expect((await deploying.result).code).toBe(0);
    await fg.stop();
  });

  test('naught deploy on a terminal: one line of progress drawn over, then how long it took', async () => {
    const { fg } = await startApp(box, ['--worker-count', '2']);
    box.installApp('v2');
    const output = await onTerminal(box.dir, 'deploy');
    const frames = plain(output).split('\r\x1b[2K').slice(1);
    expect(frames[0]).toBe('deploying: new workers online 0/1, old workers exited 0/2');
    expect(frames.at(-1)).toMatch(/^deploying: new workers online 2\/2, old workers exited 2\/2\ndone in \d+\.\d s\n$/);
    // No event lines on a terminal.
    expect(output).not.toContain('SpawnNew.');
    await fg.stop();
  });

  test('naught deploy on a terminal: a failed deploy says why, with the last lines the dead worker wrote to stderr', async () => {
    const { port, fg } = await startApp(box, ['--worker-count', '2']);
    box.installApp('v2');
    // The deploy's environment is merged over the workers': the new release crashes at boot.
    const output = plain(await onTerminal(box.dir, 'deploy', { BOOT: 'crash' }, 1));
    expect(output).toMatch(/\ndeploy failed: new worker [01] exited with code 1; its last lines on stderr:\n {2}\| v2 crashing at boot\n$/);
    expect(output).not.toContain('Deploy failed.');
    expect(await body(port, '/hi')).toBe('v1 undefined');
    await fg.stop();
  });

  test("naught deploy on a terminal: a canary's rollback is counted as a rollback, not as new workers", async () => {
    const { fg } = await startApp(box, ['--worker-count', '3']);
    const code = readFileSync(box.installApp('v2'), 'utf8');
    writeFileSync(box.path('server.js'), code.replace("'use strict';", "'use strict';\nprocess.env.CRASH_AFTER_MS = '2000';"));
    const output = plain(await onTerminal(box.dir, 'deploy --canary 1 --canary-window 20', {}, 1));
    const [before, after] = output.split('canary failed: canary worker 0 exited with code 1; rolling back\n') as [string, string];
    expect(before.split('\r\x1b[2K').at(-1)).toMatch(/^deploying: new workers online 1\/1, old workers exited 1\/3\n/);
    const frames = after.split('\r\x1b[2K').slice(1);
    expect(frames[0]).toBe('rolling back: workers of the running release online 0/1');
    expect(frames.at(-1)).toBe('rolling back: workers of the running release online 1/1\ndeploy failed: canary worker 0 exited with code 1; rolled back\n');
    expect(output).not.toContain('new workers online 2/');
    await fg.stop();
  });

  test('naught deploy on a terminal: a crash-looping worker restarted during the deploy is not counted as a new worker', async () => {
    const { port, fg } = await startApp(box, ['--worker-count', '2'], { CRASH_FLAG: box.path('broken') });
    writeFileSync(box.path('broken'), '');
    const mark = fg.events.length;
    await body(port, '/crash');
    // Its second death in a row: the next restart waits.
    await until(() => fg.names(mark).filter((name) => name === 'WorkerDeath').length === 2, 'two deaths in a row', 10_000);
    box.installApp('v2');
    const gate = box.path('boot');
    // The deploy's environment is merged over the workers': the new release does not crash.
    const deploying = onTerminal(box.dir, 'deploy', { BOOT_GATE: gate, CRASH_FLAG: box.path('fixed') });
    // The new workers boot until the gate opens (both spawned with the deploy's first event); a restart of the crash loop comes meanwhile.
    await until(() => fg.events.some((event, index) => index >= mark && event.waitingFor === 'new'), 'the deploy under way', 10_000);
    const begun = fg.events.findIndex((event, index) => index >= mark && event.waitingFor === 'new');
    await until(() => fg.names(begun).filter((name) => name === 'SpawnNew').length === 3, 'a restart during the deploy', 20_000);
    writeFileSync(gate, '');
    const frames = plain(await deploying).split('\r\x1b[2K').slice(1);
    expect(frames.at(-1)).toMatch(/^deploying: new workers online 2\/2, old workers exited \d\/\d\ndone in \d+\.\d s\n$/);
    expect(frames.join('')).not.toContain('/3');
    await fg.stop();
  });

  test('on a terminal, a crash loop and a deploy read at a glance', async () => {
    const { port, fg } = await startApp(box, ['--worker-count', '2'], { CRASH_FLAG: box.path('broken') });
    writeFileSync(box.path('broken'), '');
    const mark = fg.events.length;
    const looping = (await body(port, '/crash')).split(' ')[1];
    await until(() => fg.names(mark).filter((name) => name === 'WorkerDeath').length === 3, 'three deaths in a row', 10_000);
    const looped = plain(await statusOnTerminal(box.dir)).split('\n');
    expect(looped[1]).toBe('workers online: 1');
    expect(looped.at(-2)).toMatch(new RegExp(`^worker ${looping} crash-looping, next restart in [12] s$`));

    // The fixed release, deploying: the summary says so, with the new workers beside the old.
    rmSync(box.path('broken'));
    box.installApp('v2');
    const gate = box.path('boot');
    const deploying = naughtRunning(['deploy'], { cwd: box.dir, env: { BOOT_GATE: gate } });
    await until(() => deploying.stderr().split('SpawnNew').length === 3, 'the new workers to be spawned');
    const during = plain(await statusOnTerminal(box.dir)).split('\n');
    expect(during[1]).toMatch(/^deploy in progress  \(deploy for \d+ s\)$/);
    expect(during.filter((line) => /\sbooting\s+new\s/.test(line))).toHaveLength(2);
    writeFileSync(gate, '');
    expect((await deploying.result).code).toBe(0);
    await fg.stop();
  });
});
