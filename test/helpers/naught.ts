// Running the built CLI the way users do: as a command that finishes, or as a
// foreground naught forked with an IPC channel so the test sees every event.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { NaughtEvent, ParentMessage } from '../../src/protocol/messages.js';
import { freePort } from './http.js';

export const NAUGHT = path.resolve('dist/naught.js');

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  deadlineMs?: number;
  /** Foreground only: leave naught's stdout unread (a stalled console) until readStdout(). */
  holdStdout?: boolean;
  /** Foreground only: naught's stdout is /dev/null. */
  nullStdout?: boolean;
  /** Run naught as this user (the test runs as root). */
  user?: { uid: number; gid: number };
  /** Another copy of the CLI than this checkout's dist/naught.js (an installed one). */
  bin?: string;
  /** Another node than the one running the tests (naught upgrade takes the node of its command). */
  node?: string;
}

/** Runs `naught ...args` to completion. */
export function naught(args: string[], options: RunOptions): Promise<Result> {
  return collect(spawn(options.node ?? process.execPath, [options.bin ?? NAUGHT, ...args], spawnOptions(options)), options.deadlineMs);
}

/** Starts `naught ...args` and returns it running, e.g. to interrupt it. */
export function naughtRunning(args: string[], options: RunOptions): { child: ChildProcess; result: Promise<Result>; stderr(): string } {
  const child = spawn(options.node ?? process.execPath, [options.bin ?? NAUGHT, ...args], spawnOptions(options));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, result: collect(child, options.deadlineMs), stderr: () => stderr };
}

function spawnOptions({ cwd, env, user }: RunOptions) {
  return { cwd, env: { ...process.env, ...env }, ...user, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] };
}

function collect(child: ChildProcess, deadlineMs = 20_000): Promise<Result> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`naught ${child.spawnargs.slice(2).join(' ')} ran past ${deadlineMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, deadlineMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A foreground naught; its events arrive over the IPC channel as they happen. */
export class Foreground {
  readonly child: ChildProcess;
  readonly messages: ParentMessage[] = [];
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters = new Set<() => void>();

  constructor(args: string[], options: RunOptions) {
    this.child = fork(options.bin ?? NAUGHT, args, { ...spawnOptions(options), stdio: ['ignore', options.nullStdout ? 'ignore' : 'pipe', 'pipe', 'ipc'] });
    if (!options.holdStdout && !options.nullStdout) this.readStdout();
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.on('message', (message: ParentMessage) => {
      this.messages.push(message);
      for (const wake of this.waiters) wake();
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Starts reading naught's stdout (when it was held). */
  readStdout(): void {
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
  }

  /** The events so far (without IpcListening). */
  get events(): NaughtEvent[] {
    return this.messages.filter((m): m is NaughtEvent => 'count' in m);
  }

  /** Event names from index `from` on. */
  names(from = 0): string[] {
    return this.events.slice(from).map((e) => e.event);
  }

  /** Resolves with the first event named `name` at index `from` or later. */
  waitFor(name: string, from = 0, deadlineMs = 15_000): Promise<NaughtEvent> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.events.slice(from).find((e) => e.event === name);
        if (found === undefined) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${name} event within ${deadlineMs} ms; events: ${this.names(from).join(', ')}\nstderr: ${this.stderr}`));
      }, deadlineMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Sends `signal` and waits for naught to exit; past `deadlineMs`, fails with what naught said. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', deadlineMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`naught did not exit within ${deadlineMs} ms of ${signal}; events: ${this.names().slice(-12).join(', ')}\nstderr: ${this.stderr.slice(-4000)}`)),
        deadlineMs,
      );
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Lines as naught prints events: `<Event>. booting: B, online: O, dying: D, new_online: N`. */
export function lines(...rows: Array<[string, number, number, number, number]>): string {
  return rows.map(([event, b, o, d, n]) => `${event}. booting: ${b}, online: ${o}, dying: ${d}, new_online: ${n}\n`).join('');
}

/**
 * The fixture app (v1) in `box`, under a foreground naught that serves it on a free
 * port; once Ready unless `waitReady` is false.
 */
export async function startApp(
  box: { dir: string; installApp(version: string): string },
  args: string[] = [],
  env: Record<string, string> = {},
  waitReady = true,
): Promise<{ port: number; fg: Foreground }> {
  const port = await freePort();
  box.installApp('v1');
  const fg = new Foreground(['start', ...args, 'server.js'], { cwd: box.dir, env: { PORT: String(port), ...env } });
  if (waitReady) await fg.waitFor('Ready');
  return { port, fg };
}

/** The apps written as their frameworks' docs show them (test/fixtures/frameworks). */
export const FRAMEWORKS = path.resolve('test/fixtures/frameworks');

/**
 * The framework fixture `fixture` (v1) in `box`, able to require this checkout's
 * dependencies, under a foreground naught with 2 workers on a free port, once Ready.
 */
export async function startFramework(
  box: { dir: string; installApp(version: string, file?: string, fixture?: string): string; linkModules(): void },
  fixture: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ port: number; fg: Foreground }> {
  const port = await freePort();
  box.linkModules();
  box.installApp('v1', 'server.js', path.join(FRAMEWORKS, fixture));
  const fg = new Foreground(['start', '--worker-count', '2', ...args, 'server.js'], { cwd: box.dir, env: { PORT: String(port), ...env } });
  await fg.waitFor('Ready');
  return { port, fg };
}
