// naught logs: the last lines of the workers' log files, read by the running naught
// (a daemon's too), each stream to the same stream; with --follow, every line written
// after them, across rotations, until naught stops.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { body, freePort } from './helpers/http.js';
import { NAUGHT, naught, naughtRunning } from './helpers/naught.js';
import { until } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

/** The lines /say writes: `<tag> <i> ` padded with x to `size` bytes with the newline. */
function said(tag: string, from: number, to: number, size = 40): string {
  let text = '';
  for (let i = from; i < to; i += 1) {
    const head = `${tag} ${i} `;
    text += `${head}${'x'.repeat(size - head.length - 1)}\n`;
  }
  return text;
}

describe('naught logs', () => {
  const box = useSandbox();

  async function daemon(extra: string[] = []): Promise<number> {
    const port = await freePort();
    box.installApp('v1');
    const started = await naught(['start', '--daemon-mode', 'true', ...extra, 'server.js'], { cwd: box.dir, env: { PORT: String(port) } });
    expect(started.code, started.stderr).toBe(0);
    return port;
  }

  test("a daemon's last lines: stdout.log on stdout, stderr.log on stderr; --stdout, --stderr, --lines", async () => {
    const port = await daemon();
    await body(port, '/say?count=30&size=40&tag=out');
    await body(port, '/say?count=30&size=40&tag=err&stream=stderr');
    await until(() => existsSync(box.path('stderr.log')), 'stderr.log');

    const both = await naught(['logs', '--lines', '3'], { cwd: box.dir });
    expect(both).toMatchObject({ code: 0, stdout: said('out', 27, 30) });
    // The app's own "listening" line came before the 30 it said.
    expect(both.stderr).toBe(said('err', 27, 30));
    expect(await naught(['logs', '--stdout'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: said('out', 20, 30), stderr: '' });
    expect(await naught(['logs', '--stderr', '--lines', '1'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: '', stderr: said('err', 29, 30) });
    expect(await naught(['logs', '--lines', '0'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: '', stderr: '' });
    // More lines than there are: all of them, from the file's first.
    const all = await naught(['logs', '--stdout', '--lines', '1000'], { cwd: box.dir });
    expect(all.stdout).toBe(`v1 attempting to listen\n${said('out', 0, 30)}`);
    expect(await naught(['stop'], { cwd: box.dir })).toMatchObject({ code: 0 });
  });

  test('into a pipe: every line of 100,000 reaches the reader; a reader that leaves early ends it quietly; naught reads any --lines a block at a time', async () => {
    const port = await daemon();
    await body(port, '/say?count=100000&size=100&tag=out');
    const supervisor = Number(readFileSync(box.path('naught.pid'), 'utf8'));
    await until(() => existsSync(box.path('stdout.log')) && statSync(box.path('stdout.log')).size >= 100_000 * 100, 'the lines to be written');
    const peak = (): number => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${supervisor}/status`, 'utf8'))![1]) * 1024;
    const shell = (pipeline: string) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile('bash', ['-o', 'pipefail', '-c', pipeline], { cwd: box.dir }, (error, stdout, stderr) => resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? null), stdout, stderr }));
    });
    const naughtCli = `${JSON.stringify(process.execPath)} ${JSON.stringify(NAUGHT)}`;
    expect(await shell(`${naughtCli} logs --stdout --lines 100000 | wc -l`)).toEqual({ code: 0, stdout: '100000\n', stderr: '' });
    // A slow reader: every line still arrives, in order.
    expect(await shell(`${naughtCli} logs --stdout --lines 100000 | (sleep 1; cat) | tail -1`)).toEqual({ code: 0, stdout: said('out', 99_999, 100_000, 100), stderr: '' });
    expect(await shell(`${naughtCli} logs --stdout --lines 100000 | head -1`)).toEqual({ code: 0, stdout: said('out', 0, 1, 100), stderr: '' });
    // All 10 MB of lines asked for at once, and naught's peak memory does not grow by them (it read them whole before).
    const before = peak();
    expect(await shell(`${naughtCli} logs --stdout --lines 1000000000 > /dev/null`)).toMatchObject({ code: 0, stderr: '' });
    expect(peak() - before).toBeLessThan(6 * 1024 * 1024);
    expect(await naught(['stop'], { cwd: box.dir })).toMatchObject({ code: 0 });
  });

  test('--follow: every line written after the last ones, across rotations, once each and in order; it ends with naught', async () => {
    const port = await daemon(['--max-log-size', '4000', '--max-log-files', '2']);
    await body(port, '/say?count=5&size=40&tag=before');
    const follow = naughtRunning(['logs', '--follow', '--lines', '2', '--stdout'], { cwd: box.dir, deadlineMs: 30_000 });
    let seen = '';
    follow.child.stdout!.on('data', (chunk: Buffer) => (seen += chunk.toString()));
    await until(() => seen === said('before', 3, 5), 'the last two lines', 10_000);
    // 40 batches of 10 lines of 40 bytes: 16,000 bytes, four rotations at least; the archives are gzipped and the oldest removed meanwhile.
    for (let batch = 0; batch < 40; batch += 1) await body(port, `/say?count=10&size=40&tag=b${batch}`);
    const expected = said('before', 3, 5) + Array.from({ length: 40 }, (_, batch) => said(`b${batch}`, 0, 10)).join('');
    await until(() => seen.length >= expected.length, 'every line written', 15_000);
    expect(seen).toBe(expected);
    expect(readdirSync(box.dir).filter((file) => /^stdout-\d+\.log\.gz$/.test(file))).toHaveLength(2);
    expect(await naught(['stop'], { cwd: box.dir })).toMatchObject({ code: 0 });
    expect(await follow.result).toMatchObject({ code: 0, stderr: '' });
  });

  test('bad input and nothing to read: one line, exit code', async () => {
    expect(await naught(['logs', '--lines', 'many'], { cwd: box.dir })).toMatchObject({ code: 2, stdout: '', stderr: "naught: --lines must be a whole number, 0 or more, not 'many'\n" });
    expect(await naught(['logs'], { cwd: box.dir })).toMatchObject({ code: 1, stdout: '', stderr: 'server not running\n' });
    const port = await freePort();
    box.installApp('v1');
    const fg = naughtRunning(['start', '--stdout', '-', '--stderr', '/dev/null', 'server.js'], { cwd: box.dir, env: { PORT: String(port) } });
    await until(() => fg.stderr().includes('Ready.'), 'naught to be ready');
    expect(await naught(['logs'], { cwd: box.dir })).toMatchObject({
      code: 1,
      stdout: '',
      stderr: "naught logs: the workers' stdout and stderr go to no log file (--stdout -, --stderr /dev/null)\n",
    });
    fg.child.kill('SIGTERM');
    expect(await fg.result).toMatchObject({ code: 0 });
  });
});
