// Log faults on a real file system: a full disk (a tiny tmpfs) and permissions
// revoked from the user naught runs as. Both need root, as CI has.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { body, freePort } from './helpers/http.js';
import { Foreground } from './helpers/naught.js';
import { linesOf, sayUntilLogged } from './helpers/log-lines.js';
import { until } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

const root = process.getuid?.() === 0;

describe.runIf(root)('log faults (root: a tiny tmpfs)', () => {
  const box = useSandbox();
  let mounted: string | null = null;
  let fg: Foreground | null = null;
  // Registered after the sandbox's hook, so it runs before it: naught stops, then the mount goes.
  afterEach(async () => {
    if (fg !== null && fg.child.exitCode === null) await fg.stop();
    fg = null;
    if (mounted !== null) execFileSync('umount', ['-l', mounted]);
    mounted = null;
  });

  const lines = (prefix: string): string[] => linesOf(readFileSync(box.path('logs/out.log'), 'utf8'), prefix);

  test('a full disk: reported once, the service keeps serving, writing resumes and says what is missing', async () => {
    mounted = box.path('logs');
    mkdirSync(mounted);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', mounted]);
    const port = await freePort();
    box.installApp('v1');
    fg = new Foreground(['start', '--stdout', 'logs/out.log', 'server.js'], { cwd: box.dir, env: { PORT: String(port) } });
    await fg.waitFor('Ready');
    await body(port, '/say?tag=a&count=10');
    await until(() => lines('a ').length === 10, 'the first lines');

    // Fill the disk.
    try {
      writeFileSync(box.path('logs/filler'), Buffer.alloc(1024 * 1024));
    } catch {
      // ENOSPC: the filler took what there was.
    }
    for (let i = 0; i < 5; i += 1) expect(await body(port, `/say?tag=b&count=1000&size=100`)).toBe('said 1000');
    await until(() => fg!.stderr.includes('naught: cannot write'), 'the failure to be reported');
    expect(fg.stderr.match(/naught: cannot write .*out\.log: ENOSPC/g)).toHaveLength(1);

    rmSync(box.path('logs/filler'));
    await sayUntilLogged(port, box.path('logs/out.log'), 'c', 'writing to resume');
    await until(() => /naught: writing .*out\.log again \(\d+ line\(s\) were lost meanwhile\)/.test(fg!.stderr), 'the recovery to be reported');
    // The file says where lines are missing.
    expect(readFileSync(box.path('logs/out.log'), 'utf8')).toMatch(/^naught: \d+ line\(s\) could not be written here: .*ENOSPC/m);

    expect(fg.stderr.match(/naught: cannot write/g)).toHaveLength(1);
    // The console (journald, docker logs) had every line all along.
    await until(() => fg!.stdout.split('\n').filter((line) => line.startsWith('b ')).length === 5000, 'every line on the console');
  });

  test('permissions revoked: a reopen that fails is reported once, lines are counted, writing resumes when they are back', async () => {
    // naught runs as nobody; the test (root) changes what nobody may do.
    const nobody = { uid: 65534, gid: 65534 };
    chmodSync(path.dirname(box.dir), 0o711);
    // nobody's own directory (a world-writable one is refused for the ipc socket).
    chownSync(box.dir, nobody.uid, nobody.gid);
    // nobody's own too: one others may write is refused.
    mkdirSync(box.path('logs'));
    chownSync(box.path('logs'), nobody.uid, nobody.gid);
    const port = await freePort();
    box.installApp('v1');
    fg = new Foreground(['start', '--stdout', 'logs/out.log', 'server.js'], { cwd: box.dir, env: { PORT: String(port) }, user: nobody });
    await fg.waitFor('Ready');
    await body(port, '/say?tag=a&count=10');
    await until(() => lines('a ').length === 10, 'the first lines');

    // logrotate moved the file, but the directory is no longer writable for naught.
    chmodSync(box.path('logs'), 0o555);
    renameSync(box.path('logs/out.log'), box.path('logs/out.log.1'));
    process.kill(Number(readFileSync(box.path('naught.pid'), 'utf8')), 'SIGUSR2');
    for (let i = 0; i < 3; i += 1) expect(await body(port, '/say?tag=b&count=100')).toBe('said 100');
    await until(() => fg!.stderr.includes('naught: cannot open'), 'the failure to be reported');

    chmodSync(box.path('logs'), 0o755);
    await sayUntilLogged(port, box.path('logs/out.log'), 'c', 'writing to resume');
    expect(fg.stderr.match(/naught: cannot open .*out\.log: EACCES/g)).toHaveLength(1);
    expect(readFileSync(box.path('logs/out.log'), 'utf8')).toMatch(/^naught: \d+ line\(s\) could not be written here: .*EACCES/m);
    expect(lines('b ')).toEqual([]);
  });
});
