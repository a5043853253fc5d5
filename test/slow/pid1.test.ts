// naught as the first process of a PID namespace, as in a container: directly as
// PID 1, and under tini as the Dockerfile runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { body, freePort } from '../helpers/http.js';
import { NAUGHT } from '../helpers/naught.js';
import { eventually, until } from '../helpers/processes.js';
import { useSandbox } from '../helpers/sandbox.js';

/** The host pid of the process with pid `inner` in the PID namespace of `reference`. */
function hostPid(reference: number, inner: number): number | undefined {
  const namespace = readlinkSync(`/proc/${reference}/ns/pid`);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const nspid = /^NSpid:\s+(.*)$/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1]?.split(/\s+/);
      if (nspid?.at(-1) === String(inner) && readlinkSync(`/proc/${entry}/ns/pid`) === namespace) return Number(entry);
    } catch {
      // Gone while we looked.
    }
  }
  return undefined;
}

function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

function state(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2];
  } catch {
    return undefined;
  }
}

describe('PID 1 in a PID namespace', () => {
  const box = useSandbox();

  function startInNamespace(init: string[], port: number): { unshare: ChildProcess; output: () => string; exited: Promise<number | null> } {
    box.installApp('v1');
    const unshare = spawn('unshare', ['--pid', '--fork', '--mount-proc', ...init, process.execPath, NAUGHT, 'start', '--worker-count', '2', 'server.js'], {
      cwd: box.dir,
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    unshare.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    unshare.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => unshare.on('exit', (code) => resolve(code)));
    return { unshare, output: () => output, exited };
  }

  /** The namespace's PID 1, seen from the host: unshare's child, once it runs `program`. */
  async function firstProcess(unshare: ChildProcess, program: string): Promise<number> {
    let pid = 0;
    const found = (): boolean => {
      const child = childrenOf(unshare.pid!)[0];
      if (child === undefined) return false;
      pid = child;
      // Node 26 names its main thread, and so the process, `node-MainThread` a moment after it starts.
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      return comm === program || comm.startsWith(`${program}-`);
    };
    await until(found, `PID 1 of the namespace to run ${program}`);
    return pid;
  }

  async function deployBySignal(pid1: number, port: number): Promise<void> {
    box.installApp('v2');
    process.kill(pid1, 'SIGHUP');
    await eventually(async () => (await body(port, '/hi')) === 'v2 undefined', 'the SIGHUP deploy to serve v2');
  }

  test('naught as PID 1: SIGHUP deploys, SIGTERM stops cleanly; it says it cannot reap orphans', async () => {
    const port = await freePort();
    const { unshare, output, exited } = startInNamespace([], port);
    const pid1 = await firstProcess(unshare, 'node');
    await until(() => output().includes('Ready.'), 'the workers to be online');
    expect(output()).toContain('naught: running as PID 1: orphaned processes of the app will not be reaped');
    await deployBySignal(pid1, port);

    // What the warning is about: an orphan that ends stays a zombie under node.
    const orphan = hostPid(pid1, Number(await body(port, '/orphan-exits')))!;
    expect(orphan).toBeDefined();
    await until(() => state(orphan) === 'Z', 'the orphan to end');

    process.kill(pid1, 'SIGTERM');
    expect(await exited).toBe(0);
    expect(output()).toContain('Shutdown. booting: 0, online: 0, dying: 0, new_online: 0');
  });

  test('naught as PID 1 starts no reaper: killed, the kernel ends its namespace, every worker with it', async () => {
    const port = await freePort();
    const { unshare, output, exited } = startInNamespace([], port);
    const pid1 = await firstProcess(unshare, 'node');
    await until(() => output().includes('Ready.'), 'the workers to be online');
    // Its children: the two workers, and no reaper (chrt, which sets a booting worker's priority, may come and go).
    const commands = new Map(childrenOf(pid1).map((pid) => [pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8')]));
    expect([...commands.values()].filter((command) => command.includes('naught-reaper'))).toEqual([]);
    const children = [...commands].filter(([, command]) => command.includes('server.js')).map(([pid]) => pid);
    expect(children).toHaveLength(2);

    process.kill(pid1, 'SIGKILL');
    await exited;
    await until(() => children.every((pid) => state(pid) === undefined), 'every worker to be gone');
  });

  test('under tini: orphans are reaped, SIGHUP deploys, SIGTERM stops cleanly', async () => {
    const port = await freePort();
    const { unshare, output, exited } = startInNamespace(['tini', '--'], port);
    const pid1 = await firstProcess(unshare, 'tini');
    await until(() => output().includes('Ready.'), 'the workers to be online');
    expect(output()).not.toContain('running as PID 1');

    const orphan = hostPid(pid1, Number(await body(port, '/orphan-exits')))!;
    expect(orphan).toBeDefined();
    // Reaped: once it ends it is gone, not a zombie.
    await until(() => state(orphan) === undefined, 'the orphan to end and be reaped');

    await deployBySignal(pid1, port);
    process.kill(pid1, 'SIGTERM');
    expect(await exited).toBe(0);
    expect(output()).toContain('Shutdown. booting: 0, online: 0, dying: 0, new_online: 0');
  });
});
