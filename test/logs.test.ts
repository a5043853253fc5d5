// Worker output and events in rotating gzipped files: nothing lost, split or doubled.
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { body, freePort } from './helpers/http.js';
import { Foreground, naught } from './helpers/naught.js';
import { linesOf } from './helpers/log-lines.js';
import { isAlive, until } from './helpers/processes.js';
import { useSandbox, type Sandbox } from './helpers/sandbox.js';

/** What the fixture's /say route writes: `<tag> <i> ` padded with x to `size` bytes with the newline. */
function said(tag: string, i: number, size = 20): string {
  const head = `${tag} ${i} `;
  return `${head}${'x'.repeat(size - head.length - 1)}\n`;
}

/** The archives of `name` (oldest first, gunzipped) and then the current file, each whole. */
function logFiles(box: Sandbox, dir: string, name: string, ext: string): string[] {
  const archive = new RegExp(`^${name}-(\\d+)${ext.replace('.', '\\.')}\\.gz$`);
  const files = readdirSync(box.path(dir));
  // Every rotated file was compressed; no plain archive is left over.
  expect(files.filter((f) => f.startsWith(`${name}-`) && !f.endsWith('.gz'))).toEqual([]);
  const archives = files
    .filter((f) => archive.test(f))
    .sort((a, b) => Number(archive.exec(a)![1]) - Number(archive.exec(b)![1]));
  return [
    ...archives.map((f) => gunzipSync(readFileSync(box.path(dir, f))).toString()),
    readFileSync(box.path(dir, `${name}${ext}`), 'utf8'),
  ];
}

describe('log files', () => {
  const box = useSandbox();

  test('rotation under concurrent writers: every line exactly once, in order per writer, none torn', async () => {
    const port = await freePort();
    box.installApp('v1');
    const maxLogSize = 20_000;
    const fg = new Foreground(['start', '--worker-count', '4', '--max-log-size', String(maxLogSize), '--stdout', 'logs/out.log', 'server.js'], {
      cwd: box.dir,
      env: { PORT: String(port) },
    });
    await fg.waitFor('Ready');
    const writers = 12;
    const count = 2000;
    const size = 61;
    // Requests on fresh connections spread over the workers, which write at the same time.
    await Promise.all(Array.from({ length: writers }, (_, i) => body(port, `/say?tag=r${i}&count=${count}&size=${size}`)));
    await fg.stop();

    const files = logFiles(box, 'logs', 'out', '.log');
    expect(files.length).toBeGreaterThan((writers * count * size) / maxLogSize / 2);
    for (const content of files) expect(content.endsWith('\n')).toBe(true);
    // Rotation happens once a file passes the size, between writes of whole lines.
    for (const content of files.slice(0, -1)) expect(Buffer.byteLength(content)).toBeGreaterThanOrEqual(maxLogSize);

    const all = files.join('').split('\n').slice(0, -1);
    const said = all.filter((line) => line.startsWith('r'));
    expect(all.filter((line) => !line.startsWith('r'))).toEqual(Array(4).fill('v1 attempting to listen'));
    expect(said).toHaveLength(writers * count);
    for (const line of said) expect(line).toMatch(new RegExp(`^r\\d+ \\d+ x+$`));
    for (const line of said) expect(line).toHaveLength(size - 1);
    for (let i = 0; i < writers; i += 1) {
      const mine = said.filter((line) => line.startsWith(`r${i} `)).map((line) => Number(line.split(' ')[1]));
      expect(mine).toEqual(Array.from({ length: count }, (_, n) => n));
    }

    // In the foreground the console got the same lines, in the same order per writer.
    const consoleSaid = fg.stdout.split('\n').filter((line) => line.startsWith('r'));
    expect(consoleSaid.sort()).toEqual([...said].sort());
    for (let i = 0; i < writers; i += 1) {
      const mine = fg.stdout.split('\n').filter((line) => line.startsWith(`r${i} `));
      expect(mine).toEqual(said.filter((line) => line.startsWith(`r${i} `)));
    }

    // naught.log rotates by the same rule and keeps every event.
    const events = logFiles(box, '.', 'naught', '.log').join('').split('\n').slice(0, -1);
    expect(events.map((line) => line.split('.')[0])).toEqual(fg.names());
  });

  test("a worker's last line without a newline gets one, and nothing of it is lost", async () => {
    const port = await freePort();
    box.installApp('v1');
    const fg = new Foreground(['start', 'server.js'], { cwd: box.dir, env: { PORT: String(port) } });
    await fg.waitFor('Ready');
    const mark = fg.events.length;
    await body(port, '/unterminated-exit');
    await fg.waitFor('Ready', mark);
    await body(port, '/say?tag=after&count=1');
    await fg.stop();
    expect(readFileSync(box.path('stdout.log'), 'utf8')).toBe(
      `v1 attempting to listen\nlast words without a newline\nv1 attempting to listen\n${said('after', 0)}`,
    );
  });

  test('a worker killed with SIGKILL right after writing loses nothing it wrote: its agent holds nothing back', async () => {
    const port = await freePort();
    box.installApp('v1');
    const fg = new Foreground(['start', '--stdout', 'out.log', '--stderr', 'err.log', 'server.js'], { cwd: box.dir, env: { PORT: String(port) } });
    await fg.waitFor('Ready');
    const mark = fg.events.length;
    // 2000 lines of each stream, then SIGKILL in the same tick: nothing is left for a later flush.
    await expect(body(port, '/say-then-kill?tag=k&count=2000&size=80')).rejects.toThrow();
    await fg.waitFor('WorkerOnline', mark);
    await expect(body(port, '/say-then-kill?tag=e&count=2000&size=80&stream=stderr')).rejects.toThrow();
    await fg.waitFor('WorkerOnline', fg.events.length);
    await fg.stop();
    const expected = (tag: string): string[] => Array.from({ length: 2000 }, (_, i) => said(tag, i, 80).slice(0, -1));
    expect(linesOf(readFileSync(box.path('out.log'), 'utf8'), 'k ')).toEqual(expected('k'));
    expect(linesOf(readFileSync(box.path('err.log'), 'utf8'), 'e ')).toEqual(expected('e'));
  });

  test('a process the app left holding its output does not keep naught from exiting', async () => {
    const port = await freePort();
    box.installApp('v1');
    const fg = new Foreground(['start', 'server.js'], { cwd: box.dir, env: { PORT: String(port) } });
    await fg.waitFor('Ready');
    const orphan = Number(await body(port, '/orphan'));
    await body(port, '/say?tag=before&count=2');
    try {
      expect(await fg.stop()).toEqual({ code: 0, signal: null });
      expect(readFileSync(box.path('stdout.log'), 'utf8')).toContain(said('before', 0) + said('before', 1));
    } finally {
      process.kill(orphan, 'SIGKILL');
      await until(() => !isAlive(orphan), 'the orphan to go');
    }
  });

  test('/dev/null turns a log off', async () => {
    box.installApp('v1');
    const port = await freePort();
    expect(
      await naught(['start', '--daemon-mode', 'true', '--stdout', '/dev/null', '--stderr', '/dev/null', '--log', '/dev/null', 'server.js'], {
        cwd: box.dir,
        env: { PORT: String(port) },
      }),
    ).toMatchObject({ code: 0 });
    // Far more than a pipe buffer (64 KiB): an unread pipe would block the worker here.
    expect(await body(port, '/say?count=5000&size=200')).toBe('said 5000');
    expect(await naught(['stop'], { cwd: box.dir })).toMatchObject({ code: 0 });
    expect(readdirSync(box.dir)).toEqual(['server.js']);
  });
});
