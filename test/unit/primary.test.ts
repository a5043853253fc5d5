// The driver (cluster/primary.ts) carrying out what the machine decides, on a fake
// node:cluster and a clock that moves only when told: which worker it forks with what,
// what it tells each, which signal it sends when, and what it answers.
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { NO_LIMITS } from '../../src/cluster/health.js';
import { KILL_GRACE_MS, type Outcome } from '../../src/cluster/machine.js';
import { Primary, type Clock, type ClusterApi, type PrimaryOptions, type Program } from '../../src/cluster/primary.js';
import { AGENT_CMD } from '../../src/protocol/agent.js';
import type { NaughtEvent } from '../../src/protocol/messages.js';

/** A worker process as node:cluster's Worker shows it: signals and messages are recorded, exits are the test's to say. */
class FakeWorker extends EventEmitter {
  readonly process: EventEmitter & { pid: number; kill(signal: string): boolean; send(message: unknown, handle?: unknown): boolean };
  readonly signals: string[] = [];
  /** What naught sent the app ('shutdown'). */
  readonly told: unknown[] = [];
  /** What naught sent the agent, and the handle with it, if any. */
  readonly sent: Array<[unknown, unknown]> = [];
  connected = true;
  /** Set by disconnect(), as node:cluster sets it. */
  exitedAfterDisconnect: boolean | undefined;
  /** The worker has not read its 'disconnect' yet: its channel stays open after disconnect() until closeChannel(). */
  slowToClose = false;

  constructor(
    pid: number,
    readonly env: Record<string, string | undefined>,
    readonly settings: unknown,
  ) {
    super();
    const signals = this.signals;
    const sent = this.sent;
    this.process = Object.assign(new EventEmitter(), {
      pid,
      kill: (signal: string) => (signals.push(signal), true),
      send: (message: unknown, handle?: unknown) => (sent.push([message, handle]), true),
    });
  }

  isConnected(): boolean {
    return this.connected;
  }

  send(message: unknown, callback?: () => void): boolean {
    this.told.push(message);
    callback?.();
    return true;
  }

  disconnect(): void {
    this.exitedAfterDisconnect = true;
    if (!this.slowToClose) this.closeChannel();
  }

  closeChannel(): void {
    this.connected = false;
    this.process.emit('disconnect');
  }

  /** The agent asks for a socket at `port` (--balance kernel). */
  askToListen(id: number, port: number): void {
    this.process.emit('internalMessage', { cmd: AGENT_CMD, kind: 'listen', id, address: { port } });
  }

  /** The app says it accepts connections. */
  online(): void {
    this.emit('message', 'online');
  }

  exit(code: number | null, signal: string | null = null): void {
    this.process.emit('exit', code, signal);
  }
}

/** node:cluster's setupPrimary and fork, forking fakes. */
function fakeCluster(): ClusterApi & { workers: FakeWorker[] } {
  let settings: unknown;
  const workers: FakeWorker[] = [];
  return {
    workers,
    setupPrimary: (given?: unknown) => void (settings = given),
    fork: ((env: Record<string, string | undefined>) => {
      const worker = new FakeWorker(1000 + workers.length, env, settings);
      workers.push(worker);
      return worker;
    }) as unknown as ClusterApi['fork'],
  };
}

/** Timers that fire only when the test moves the clock past them. */
class TestClock implements Clock {
  private at = 0;
  private readonly timers = new Map<number, { due: number; callback: () => void }>();
  private next = 1;

  now(): number {
    return this.at;
  }

  setTimeout(callback: () => void, ms: number): NodeJS.Timeout {
    const id = this.next++;
    this.timers.set(id, { due: this.at + ms, callback });
    return id as unknown as NodeJS.Timeout;
  }

  clearTimeout(timer: NodeJS.Timeout): void {
    this.timers.delete(timer as unknown as number);
  }

  advance(ms: number): void {
    const until = this.at + ms;
    for (;;) {
      const [id, due] = [...this.timers].sort((a, b) => a[1].due - b[1].due).find(([, timer]) => timer.due <= until) ?? [];
      if (id === undefined || due === undefined) break;
      this.timers.delete(id);
      this.at = due.due;
      due.callback();
    }
    this.at = until;
  }
}

describe('the driver', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'naught-primary-'));
    writeFileSync(path.join(dir, 'server.js'), '');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function primary(count: number, env: Record<string, string> = {}, { balance = 'round-robin', learn = () => Promise.reject(new Error('no learning here')) }: Partial<Pick<PrimaryOptions, 'learn'> & Pick<Program, 'balance'>> = {}) {
    const cluster = fakeCluster();
    const clock = new TestClock();
    const events: NaughtEvent[] = [];
    const driver = new Primary({
      program: { script: path.join(dir, 'server.js'), args: ['--port', '1'], execArgv: [], captured: { stdout: true, stderr: false }, sockets: [], balance, uninspectable: 'not here' },
      release: { count, env, cwd: dir, code: { cwd: dir, script: path.join(dir, 'server.js') }, health: NO_LIMITS, drainMs: null, rampMs: 0 },
      bootPriority: null,
      onEvent: (event) => events.push(event),
      onSpawn: () => null,
      keepReport: () => null,
      learn,
      forget: () => {},
      clock,
      cluster,
    });
    return { driver, cluster, clock, names: () => events.map((event) => event.event) };
  }

  test('a boot forks each worker number with the release, its number and no variable of the service manager; ready once every one is online', async () => {
    const { driver, cluster, names } = primary(2, { APP: 'yes', NOTIFY_SOCKET: '/run/systemd/notify' });
    const booted = driver.boot();
    expect(cluster.workers.map((worker) => worker.env.NAUGHT_WORKER)).toEqual(['0', '1']);
    for (const worker of cluster.workers) {
      expect(worker.env).toMatchObject({ APP: 'yes', NOTIFY_SOCKET: undefined });
      expect(worker.settings).toMatchObject({ exec: path.join(dir, 'server.js'), args: ['--port', '1'], cwd: dir, stdio: ['ignore', 'pipe', 'ignore', 'ipc'] });
    }
    cluster.workers.forEach((worker) => worker.online());
    expect(await booted).toBe('ready');
    expect(names()).toEqual(['Bootup', 'SpawnNew', 'SpawnNew', 'NewOnline', 'NewOnline', 'Ready']);
  });

  test("a deploy forks the new workers with the deploy's environment; the old ones get 'shutdown' only once every new one is online, then their channel closes", () => {
    const { driver, cluster, names } = primary(2);
    void driver.boot();
    const old = [...cluster.workers];
    old.forEach((worker) => worker.online());
    const answers: Outcome[] = [];
    const mark = names().length;
    driver.deploy({ env: { RELEASE: '2' } }, (answer) => answers.push(answer));
    const fresh = cluster.workers.slice(2);
    expect(fresh.map((worker) => [worker.env.NAUGHT_WORKER, worker.env.RELEASE])).toEqual([['0', '2'], ['1', '2']]);
    fresh[0]!.online();
    expect(old.flatMap((worker) => worker.told)).toEqual([]);
    fresh[1]!.online();
    expect(old.map((worker) => [worker.told, worker.connected])).toEqual([[['shutdown'], false], [['shutdown'], false]]);
    old.forEach((worker) => worker.exit(0));
    expect(answers).toEqual(['ready']);
    expect(names().slice(mark)).toEqual(['SpawnNew', 'SpawnNew', 'NewOnline', 'NewOnline', 'ShutdownOld', 'ShutdownOld', 'OldExit', 'OldExit', 'Ready']);
  });

  test('a stop with a timeout: the workers that outlive it get SIGTERM, and SIGKILL KILL_GRACE_MS later; closed once they are gone', async () => {
    const { driver, cluster, clock } = primary(1);
    void driver.boot();
    const [worker] = cluster.workers;
    worker!.online();
    let closed = false;
    void driver.stop(3000).then(() => (closed = true));
    expect(worker!.told).toEqual(['shutdown']);
    clock.advance(2999);
    expect(worker!.signals).toEqual([]);
    clock.advance(1);
    expect(worker!.signals).toEqual(['SIGTERM']);
    clock.advance(KILL_GRACE_MS);
    expect(worker!.signals).toEqual(['SIGTERM', 'SIGKILL']);
    worker!.exit(null, 'SIGKILL');
    await Promise.resolve();
    expect(closed).toBe(true);
  });

  test("a worker told to go gets no socket: the stop came while naught bound the one it asked for (a handle with the 'disconnect' crashes it inside node)", async () => {
    let bound = (_learned: Awaited<ReturnType<PrimaryOptions['learn']>>): void => {};
    const learn = () => new Promise<Awaited<ReturnType<PrimaryOptions['learn']>>>((resolve) => (bound = resolve));
    const { driver, cluster, names } = primary(1, {}, { balance: 'kernel', learn });
    void driver.boot();
    const [worker] = cluster.workers;
    worker!.slowToClose = true;
    worker!.askToListen(1, 8080);
    void driver.stop(undefined);
    expect([worker!.told, worker!.exitedAfterDisconnect, worker!.connected]).toEqual([['shutdown'], true, true]);
    bound({ handle: { fd: 9 } as never, fd: 9 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(worker!.sent).toEqual([]);
    worker!.closeChannel();
    worker!.exit(0);
    expect(names()).toEqual(['Bootup', 'SpawnNew', 'ShutdownOld', 'OldExit', 'Shutdown']);
  });

  test('a fork that throws is a start that failed: said in status, and the number is started again after its backoff', () => {
    const { driver, cluster, clock } = primary(1);
    void driver.boot();
    cluster.workers[0]!.online();
    const fork = cluster.fork;
    cluster.fork = (() => {
      throw Object.assign(new Error('spawn ENOMEM'), { code: 'ENOMEM' });
    }) as unknown as ClusterApi['fork'];
    cluster.workers[0]!.exit(1);
    expect(driver.detail().workers).toEqual([]);
    cluster.fork = fork;
    clock.advance(60_000);
    expect(cluster.workers).toHaveLength(2);
    expect(driver.detail().workers.map((worker) => worker.lastExit)).toEqual(['could not start (ENOMEM)']);
  });
});
