// A real systemd, booted in a systemd-nspawn container on a cached Debian rootfs.
// The rootfs is mounted read-only under a tmpfs overlay (--volatile=overlay), so
// every machine starts clean and the cache is never changed. The host's node and
// this checkout are bind-mounted read-only, at /usr/bin/node and /opt/naught: the
// node is the one running the tier (test:all runs it on the newest line).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { isAlive, until } from '../../helpers/processes.js';
import { type Load, startLoad } from './load.js';
import { run, type RunResult } from './run.js';
import { rootfsPath, type Suite } from './rootfs.js';

/** The cgroup directories a container of ours gets: both trees on a hybrid host, one on cgroup2. */
export function cgroupDirs(name: string): string[] {
  const hybrid = ['/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified'].filter((dir) => existsSync(dir));
  return (hybrid.length > 0 ? hybrid : ['/sys/fs/cgroup']).map((root) => path.join(root, `naught-${name}`));
}

/** Every machine name of this run starts with it, so the run's teardown can find leftovers. */
export const MACHINE_PREFIX_ENV = 'NAUGHT_MACHINE_PREFIX';

let booted = 0;

export class Machine {
  private constructor(
    readonly name: string,
    private readonly nspawn: ChildProcess,
    readonly leader: number,
  ) {}

  static async boot(suite: Suite): Promise<Machine> {
    booted += 1;
    const name = `${process.env[MACHINE_PREFIX_ENV] ?? 'nt'}w${process.pid}x${booted}`;
    const cgroups = cgroupDirs(name);
    for (const dir of cgroups) mkdirSync(dir, { recursive: true });
    // nspawn needs a cgroup of its own (there is no host systemd to make one).
    const enter = cgroups.map((dir) => `echo $$ > ${dir}/cgroup.procs`).join('; ');
    const args = [
      '-q', '-D', rootfsPath(suite), '-M', name, '--boot', '--register=no', '--keep-unit',
      '--private-network', '--volatile=overlay', '--console=pipe',
      `--bind-ro=${process.execPath}:/usr/bin/node`, `--bind-ro=${path.resolve('.')}:/opt/naught`,
    ];
    const nspawn = spawn('sh', ['-c', `${enter}; exec systemd-nspawn "$@"`, 'nspawn', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let leader = 0;
    try {
      await until(() => (leader = containerInit(nspawn.pid!)) !== 0, `container ${name} to start`, 10_000);
      const machine = new Machine(name, nspawn, leader);
      await until(() => ['running', 'degraded'].includes(machine.systemState()), `systemd in ${name} to finish booting`, 30_000);
      return machine;
    } catch (error) {
      // A machine that did not boot is not left behind.
      const exited = new Promise((resolve) => nspawn.once('exit', resolve));
      nspawn.kill('SIGKILL');
      await exited;
      for (const dir of cgroupDirs(name)) removeTree(dir);
      throw error;
    }
  }

  /** Runs a command inside the container (all its namespaces). */
  exec(command: string[], input?: string): Promise<RunResult> {
    return run(['nsenter', '-t', String(this.leader), '-a', ...command], { input });
  }

  /** Like exec, but fails unless the command exits 0. */
  async must(command: string[], input?: string): Promise<string> {
    const result = await this.exec(command, input);
    if (result.code !== 0) throw new Error(`${command.join(' ')} exited ${result.code}: ${result.stderr}${result.stdout}`);
    return result.stdout;
  }

  async writeFile(file: string, content: string): Promise<void> {
    await this.must(['sh', '-c', `mkdir -p "$(dirname "$1")" && cat > "$1"`, 'write', file], content);
  }

  /** `systemctl show` properties of a unit. */
  async show(unit: string, ...properties: string[]): Promise<Record<string, string>> {
    const out = await this.must(['systemctl', 'show', unit, ...properties.map((p) => `--property=${p}`)]);
    return Object.fromEntries(out.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  }

  /** Requests to `url` in the container's network (test/helpers/load.cjs: `extra` is its concurrency and keep-alive), from its first answer until stopped. */
  load(url: string, ...extra: string[]): Promise<Load> {
    return startLoad((command) => ['nsenter', '-t', String(this.leader), '-n', ...command], url, ...extra);
  }

  /** Powers the container off, waits for it, and removes its cgroups. */
  async halt(): Promise<void> {
    const nspawnPid = this.nspawn.pid!;
    const exited = new Promise((resolve) => this.nspawn.once('exit', resolve));
    if (isAlive(nspawnPid)) {
      await this.exec(['systemctl', 'poweroff', '--no-block']);
      const timer = setTimeout(() => this.nspawn.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    for (const dir of cgroupDirs(this.name)) removeTree(dir);
  }

  private systemState(): string {
    try {
      const args = ['-t', String(this.leader), '-a', 'systemctl', 'is-system-running'];
      return execFileSync('nsenter', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch (error) {
      // is-system-running exits non-zero while starting; its output still says where it is.
      return String((error as { stdout?: string }).stdout ?? '').trim() || 'unknown';
    }
  }
}

/** The container's PID 1 (systemd): the child of nspawn named systemd; nspawn forks short-lived helpers too. */
function containerInit(nspawnPid: number): number {
  try {
    const children = readFileSync(`/proc/${nspawnPid}/task/${nspawnPid}/children`, 'utf8').trim().split(' ').filter(Boolean);
    return Number(children.find((child) => readFileSync(`/proc/${child}/comm`, 'utf8').trim() === 'systemd') ?? 0);
  } catch {
    return 0;
  }
}

/** cgroup directories are removed bottom-up with rmdir (their files cannot be unlinked). */
export function removeTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeTree(path.join(dir, entry.name));
  }
  rmdirSync(dir);
}
