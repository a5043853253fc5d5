// The console copy of the logs (journald, docker logs) beside the files: a slow
// console never stalls naught nor costs a file line; a console-only stream loses
// nothing; retention; reopening after an external rotation.
import { readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { body, freePort } from './helpers/http.js';
import { Foreground, naught } from './helpers/naught.js';
import { linesOf, sayUntilLogged } from './helpers/log-lines.js';
import { eventually, until } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';
import { CLOSE_BOUND_MS } from '../src/supervisor/event-bus.js';

/** Peak and current resident memory of a process, in bytes. */
function memory(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
  return { peak: kb('VmHWM'), now: kb('VmRSS') };
}

describe('the console beside the files', () => {
  const box = useSandbox();

  test('a stalled console: naught keeps answering, its memory stays bounded, the file gets every line, the console says what it left out', async () => {
    const port = await freePort();
    box.installApp('v1');
    const fg = new Foreground(['start', '--max-log-size', String(1 << 30), 'server.js'], { cwd: box.dir, env: { PORT: String(port) }, holdStdout: true });
    await fg.waitFor('Ready');
    const supervisor = Number(readFileSync(box.path('naught.pid'), 'utf8'));
    const before = memory(supervisor).now;
    // 120 MB through naught while nobody reads its stdout. The worker answers once it has
    // written them all: a second or two here, longer when the machine is slow (its time is the bench's).
    const count = 600_000;
    const flood = body(port, `/say?tag=f&count=${count}&size=200`, 60_000);
    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: 'workers online: 1\n' });
    expect(await flood).toBe(`said ${count}`);
    await until(() => linesOf(readFileSync(box.path('stdout.log'), 'utf8'), 'f ').length === count, 'every line in stdout.log');
    // Without a bound the console queue alone would hold the 120 MB; with it, what
    // grows is garbage that V8 collects once external memory passes its 64 MB mark.
    expect(memory(supervisor).peak - before).toBeLessThan(96 * 1024 * 1024);

    fg.readStdout();
    await eventually(async () => fg.stdout.includes('fell behind'), 'the console to catch up and say so');
    const shown = linesOf(fg.stdout, 'f ');
    expect(shown.length).toBeLessThan(count);
    expect(fg.stdout).toMatch(/^naught: the stdout console fell behind; (\d+) line\(s\) were left out here \(the log file has them\)$/m);
    const left = Number(/fell behind; (\d+) line/.exec(fg.stdout)![1]);
    expect(shown.length + left).toBe(count);
    await fg.stop();
  });

  test('a console still stalled when naught stops does not keep it from exiting: it waits CLOSE_BOUND_MS, says so on stderr, exits 0', async () => {
    const port = await freePort();
    box.installApp('v1');
    const fg = new Foreground(['start', 'server.js'], { cwd: box.dir, env: { PORT: String(port) }, holdStdout: true });
    await fg.waitFor('Ready');
    // 6 MB, more than the pipe and the console queue hold, so the console has lines left at the stop.
    const count = 30_000;
    expect(await body(port, `/say?tag=s&count=${count}&size=200`)).toBe(`said ${count}`);
    await until(() => linesOf(readFileSync(box.path('stdout.log'), 'utf8'), 's ').length === count, 'every line in stdout.log');
    // Without the bound, naught waits for ever for a reader and this times out.
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
    expect(fg.stderr).toContain(`naught: the console did not finish within ${CLOSE_BOUND_MS / 1000} s; exiting without it\n`);
    expect(linesOf(readFileSync(box.path('stdout.log'), 'utf8'), 's ')).toHaveLength(count);
  });

  test('with --stdout -, the console is the only copy: a stalled console makes the worker wait and loses nothing', async () => {
    const port = await freePort();
    box.installApp('v1');
    const fg = new Foreground(['start', '--stdout', '-', 'server.js'], { cwd: box.dir, env: { PORT: String(port) }, holdStdout: true });
    await fg.waitFor('Ready');
    const count = 100_000;
    const flood = body(port, `/say?tag=c&count=${count}&size=100`);
    // naught itself is not stalled by its console.
    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 0 });
    fg.readStdout();
    expect(await flood).toBe(`said ${count}`);
    await until(() => linesOf(fg.stdout, 'c ').length === count, 'every line on the console');
    expect(fg.stdout).not.toContain('fell behind');
    expect(readdirSync(box.dir)).not.toContain('stdout.log');
    await fg.stop();
  });

  test('a console that is /dev/null is written nothing: naught writes each line once, to the file', async () => {
    const port = await freePort();
    box.installApp('v1');
    const fg = new Foreground(['start', '--max-log-size', String(1 << 30), 'server.js'], { cwd: box.dir, env: { PORT: String(port) }, nullStdout: true });
    await fg.waitFor('Ready');
    const supervisor = Number(readFileSync(box.path('naught.pid'), 'utf8'));
    // What the supervisor hands to write(2) and writev(2), /dev/null's share too.
    const written = (): number => Number(/^wchar: (\d+)$/m.exec(readFileSync(`/proc/${supervisor}/io`, 'utf8'))![1]);
    const before = written();
    const count = 50_000;
    expect(await body(port, `/say?tag=n&count=${count}&size=200`)).toBe(`said ${count}`);
    await until(() => linesOf(readFileSync(box.path('stdout.log'), 'utf8'), 'n ').length === count, 'every line in stdout.log');
    // 10 MB to the file; a copy to /dev/null would make it 20.
    expect(written() - before).toBeLessThan(count * 200 * 1.1);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('--max-log-files keeps the newest archives of each log', async () => {
    const port = await freePort();
    box.installApp('v1');
    const fg = new Foreground(['start', '--max-log-size', '10000', '--max-log-files', '2', 'server.js'], { cwd: box.dir, env: { PORT: String(port) } });
    await fg.waitFor('Ready');
    await body(port, '/say?tag=k&count=5000&size=40');
    await fg.stop();
    const archives = readdirSync(box.dir)
      .filter((f) => /^stdout-\d+\.log\.gz$/.test(f))
      .sort();
    expect(archives).toHaveLength(2);
    // The newest: with the current file they hold an unbroken tail of the lines, up to the last.
    const kept = [...archives.map((f) => gunzipSync(readFileSync(box.path(f))).toString()), readFileSync(box.path('stdout.log'), 'utf8')].join('');
    const numbers = linesOf(kept, 'k ').map((line) => Number(line.split(' ')[1]));
    expect(numbers.at(-1)).toBe(4999);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => 5000 - numbers.length + i));
    expect(numbers.length).toBeLessThan(5000);
  });

  test('SIGUSR2 opens the log files again; a removed log directory is made again and written', async () => {
    const port = await freePort();
    box.installApp('v1');
    const fg = new Foreground(['start', '--stdout', 'logs/out.log', 'server.js'], { cwd: box.dir, env: { PORT: String(port) } });
    await fg.waitFor('Ready');
    await body(port, '/say?tag=a&count=3');
    await until(() => linesOf(readFileSync(box.path('logs/out.log'), 'utf8'), 'a ').length === 3, 'the first lines');

    // What logrotate does: move the file, then signal.
    renameSync(box.path('logs/out.log'), box.path('logs/out.log.1'));
    process.kill(Number(readFileSync(box.path('naught.pid'), 'utf8')), 'SIGUSR2');
    await sayUntilLogged(port, box.path('logs/out.log'), 'b', 'a new logs/out.log');
    // A line said before naught took the signal may still reach the moved file (kill() does not wait for the
    // handler); once one reached the new file, every line goes there.
    await body(port, '/say?tag=d&count=3');
    await until(() => linesOf(readFileSync(box.path('logs/out.log'), 'utf8'), 'd ').length === 3, 'the lines said after it');
    expect(linesOf(readFileSync(box.path('logs/out.log.1'), 'utf8'), 'd ')).toEqual([]);
    expect(linesOf(readFileSync(box.path('logs/out.log'), 'utf8'), 'a ')).toEqual([]);

    rmSync(box.path('logs'), { recursive: true });
    await sayUntilLogged(port, box.path('logs/out.log'), 'c', 'logs/out.log made again');
    expect(fg.stderr).toContain(`naught: ${box.path('logs/out.log')} was moved or removed; writing it anew\n`);
    await fg.stop();
  });
});
