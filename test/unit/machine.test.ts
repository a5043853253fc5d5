// The cluster's state machine on a fake clock: SPEC's deploy and stop tables, the
// offline rules and the crash-loop backoff, in milliseconds of real time.
import { describe, expect, test } from 'vitest';
import { KILL_GRACE_MS, detail, initialState, snapshot, step, type Outcome, type Effect, type Input, type State, type Timer, timerKey } from '../../src/cluster/machine.js';
import { NO_LIMITS, STACK_WAIT_MS, type Health } from '../../src/cluster/health.js';
import { RESTART_BACKOFF } from '../../src/cluster/restart-policy.js';
import type { Counts, NaughtEvent } from '../../src/protocol/messages.js';

const CODE = { cwd: '/srv/app/releases/1', script: '/srv/app/releases/1/server.js' };

/** Drives the machine as the driver does, with timers on a clock that moves only when told. */
class Cluster {
  state: State;
  now = 0;
  readonly events: NaughtEvent[] = [];
  readonly effects: Effect[] = [];
  readonly answers = new Map<number, Outcome[]>();
  /** By timerKey(): the timer and when it falls due. */
  private readonly timers = new Map<string, { timer: Timer; at: number }>();
  private nextTicket = 1;

  constructor(count: number, health: Health = NO_LIMITS, drainMs: number | null = null, rampMs = 0) {
    this.state = initialState({ count, env: { A: '1' }, cwd: '/srv/app/current', code: CODE, health, drainMs, rampMs });
  }

  feed(input: Input): this {
    const before = JSON.stringify(this.state, replacer);
    const next = step(this.state, input, this.now);
    // A step never changes the state it was given.
    expect(JSON.stringify(this.state, replacer)).toBe(before);
    this.state = next.state;
    this.events.push(...next.events);
    this.effects.push(...next.effects);
    for (const effect of next.effects) {
      if (effect.kind === 'arm') this.timers.set(timerKey(effect.timer), { timer: effect.timer, at: this.now + effect.ms });
      if (effect.kind === 'cancel') this.timers.delete(timerKey(effect.timer));
      if (effect.kind === 'answer') this.answers.set(effect.ticket, [...(this.answers.get(effect.ticket) ?? []), effect.outcome]);
    }
    return this;
  }

  /** Moves the clock, firing each timer that falls due on the way, in order. */
  advance(ms: number): this {
    return this.fireUntil(this.now + ms, true);
  }

  /** naught stops for `ms` (paused, starved of CPU): the timers due meanwhile fire late, at its end, in order. */
  stall(ms: number): this {
    return this.fireUntil(this.now + ms, false);
  }

  private fireUntil(until: number, onTime: boolean): this {
    if (!onTime) this.now = until;
    for (;;) {
      const due = [...this.timers.values()].filter(({ at }) => at <= until).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      if (onTime) this.now = due.at;
      this.timers.delete(timerKey(due.timer));
      this.feed({ kind: 'timer', timer: due.timer });
    }
    this.now = until;
    return this;
  }

  ticket(): number {
    return this.nextTicket++;
  }

  /** The timers armed now, by timerKey(). */
  armed(): string[] {
    return [...this.timers.keys()];
  }

  boot(): this {
    return this.feed({ kind: 'boot', ticket: this.ticket() });
  }

  deploy(options: { count?: number; timeoutMs?: number; batch?: number } = {}, ticket = this.ticket()): this {
    return this.feed({ kind: 'deploy', ticket, request: { count: options.count ?? 0, ...options }, cwd: '/srv/app/current', resolved: { code: CODE } });
  }

  /** Ids of the live workers in a state. */
  ids(state: State['workers'][number]['state']): number[] {
    return this.state.workers.filter((w) => w.state === state).map((w) => w.id);
  }

  onlineAll(state: 'booting' = 'booting'): this {
    for (const id of this.ids(state)) this.feed({ kind: 'online', worker: id });
    return this;
  }

  exitAll(ids: number[], code = 0): this {
    for (const id of ids) this.feed({ kind: 'exit', worker: id, exit: { code, signal: null } });
    return this;
  }

  /** The events since `mark`, as SPEC writes them: name and counts. */
  lines(mark = 0): string[] {
    return this.events.slice(mark).map(({ event, count }) => `${event} ${countText(count)}`);
  }

  names(mark = 0): string[] {
    return this.events.slice(mark).map((e) => e.event);
  }

  effectsOf(kind: Effect['kind'], mark = 0): Effect[] {
    return this.effects.slice(mark).filter((e) => e.kind === kind);
  }
}

function replacer(_key: string, value: unknown): unknown {
  return value instanceof Map ? [...value] : value;
}

const countText = (c: Counts): string => `${c.booting},${c.online},${c.dying},${c.new_online}`;

/** A cluster of `count` workers, booted and online. */
function running(count: number): Cluster {
  return new Cluster(count).boot().onlineAll();
}

describe('boot', () => {
  test("SPEC's example: Bootup, SpawnNew, NewOnline, Ready; the boot begins with Bootup and ends with Ready", () => {
    const cluster = running(1);
    expect(cluster.lines()).toEqual(['Bootup 0,0,0,0', 'SpawnNew 1,0,0,0', 'NewOnline 0,0,0,1', 'Ready 0,1,0,0']);
    expect(cluster.events.map((e) => e.waitingFor)).toEqual([null, 'new', 'new', null]);
    expect(cluster.events[0]!.operation).toEqual({ kind: 'boot', begins: true });
    expect(cluster.events[3]!.operation).toEqual({ kind: 'boot', ends: 'ready' });
    expect(cluster.answers.get(1)).toEqual(['ready']);
    expect(cluster.effectsOf('fork')).toMatchObject([{ kind: 'fork', number: 0, release: { count: 1, code: CODE } }]);
  });

  test('a worker that dies before it is online fails the boot: the others are destroyed, then naught stops', () => {
    const cluster = new Cluster(2).boot();
    const [first] = cluster.ids('booting');
    cluster.exitAll([first!], 1);
    const [second] = cluster.ids('destroying');
    expect(cluster.effectsOf('signal')).toEqual([{ kind: 'signal', worker: second, signal: 'SIGTERM' }]);
    cluster.exitAll([second!]);
    expect(cluster.names()).toEqual(['Bootup', 'SpawnNew', 'SpawnNew', 'NewDeath', 'DestroyNew', 'NewDestroyed', 'Shutdown']);
    expect(cluster.answers.get(1)).toEqual(['failed']);
    expect(cluster.state.closed).toBe(true);
  });
});

describe('deploy', () => {
  test("SPEC's example of one worker: SpawnNew, NewOnline, ShutdownOld, OldExit, Ready", () => {
    const cluster = running(1);
    const [old] = cluster.ids('online');
    const mark = cluster.events.length;
    cluster.deploy({}, 7).onlineAll();
    cluster.exitAll([old!]);
    expect(cluster.lines(mark)).toEqual(['SpawnNew 1,1,0,0', 'NewOnline 0,1,0,1', 'ShutdownOld 0,0,1,1', 'OldExit 0,0,0,1', 'Ready 0,1,0,0']);
    expect(cluster.events.slice(mark).map((e) => e.waitingFor)).toEqual(['new', 'new', 'old', 'old', null]);
    expect(cluster.events[mark]!.operation).toEqual({ kind: 'deploy', begins: true });
    expect(cluster.events.at(-1)!.operation).toEqual({ kind: 'deploy', ends: 'ready' });
    expect(cluster.answers.get(7)).toEqual(['ready']);
  });

  test('not one old worker is touched before every new one is online', () => {
    const cluster = running(3);
    const mark = cluster.effects.length;
    cluster.deploy();
    const fresh = cluster.ids('booting');
    for (const id of fresh.slice(0, 2)) cluster.feed({ kind: 'online', worker: id });
    expect(cluster.effectsOf('shutdown', mark)).toEqual([]);
    cluster.feed({ kind: 'online', worker: fresh[2]! });
    expect(cluster.effectsOf('shutdown', mark)).toHaveLength(3);
  });

  test('a new worker that dies fails it: the other new ones are destroyed, the old ones keep serving, the reason is on the event', () => {
    const cluster = running(2);
    const mark = cluster.events.length;
    const effects = cluster.effects.length;
    cluster.deploy({}, 9);
    const [first, second] = cluster.ids('booting');
    cluster.feed({ kind: 'online', worker: second! });
    cluster.exitAll([first!], 3);
    cluster.exitAll([second!]);
    expect(cluster.lines(mark)).toEqual(['SpawnNew 1,2,0,0', 'SpawnNew 2,2,0,0', 'NewOnline 1,2,0,1', 'NewDeath 0,2,0,1', 'DestroyNew 0,2,0,0', 'NewDestroyed 0,2,0,0', 'DeployFailed 0,2,0,0']);
    expect(cluster.events.at(-1)).toMatchObject({ failure: 'new worker 0 exited with code 3', operation: { kind: 'deploy', ends: 'failed' } });
    expect(cluster.effectsOf('shutdown', effects)).toEqual([]);
    expect(cluster.answers.get(9)).toEqual(['failed']);
    expect(cluster.state.op).toBeNull();
  });

  test('--timeout: Timeout when it falls due, then as a failure', () => {
    const cluster = running(1);
    const mark = cluster.events.length;
    cluster.deploy({ timeoutMs: 2000 }).advance(1999);
    expect(cluster.names(mark)).toEqual(['SpawnNew']);
    cluster.advance(1);
    expect(cluster.names(mark)).toEqual(['SpawnNew', 'Timeout', 'DestroyNew']);
    cluster.exitAll(cluster.ids('destroying'));
    expect(cluster.events.at(-1)).toMatchObject({ event: 'DeployFailed', failure: 'the deploy timed out after 2 s' });
  });

  test('a destroyed worker that ignores SIGTERM gets SIGKILL after the grace', () => {
    const cluster = running(1).deploy({ timeoutMs: 100 }).advance(100);
    const [doomed] = cluster.ids('destroying');
    cluster.advance(KILL_GRACE_MS - 1);
    expect(cluster.effectsOf('signal').map((e) => e.kind === 'signal' && e.signal)).toEqual(['SIGTERM']);
    cluster.advance(1);
    expect(cluster.effectsOf('signal')).toEqual([
      { kind: 'signal', worker: doomed, signal: 'SIGTERM' },
      { kind: 'signal', worker: doomed, signal: 'SIGKILL' },
    ]);
  });

  test('a deploy while one runs is refused now and answered failed when that one ends; old workers past their timeout are destroyed', () => {
    const cluster = running(1);
    const [old] = cluster.ids('online');
    cluster.deploy({ timeoutMs: 5000 }, 20).deploy({}, 21).onlineAll();
    expect(cluster.answers.get(21)).toEqual(['busy']);
    cluster.advance(5000);
    expect(cluster.names().slice(-3)).toEqual(['ShutdownOld', 'Timeout', 'DestroyOld']);
    cluster.exitAll([old!]);
    expect(cluster.names().slice(-2)).toEqual(['OldExit', 'Ready']);
    expect(cluster.answers.get(20)).toEqual(['ready']);
    expect(cluster.answers.get(21)).toEqual(['busy', 'failed']);
  });

  test('abort: before the new workers are online they go; after, the old ones left are destroyed; the boot cannot be aborted', () => {
    const booting = new Cluster(1).boot().feed({ kind: 'abort', ticket: 1 });
    expect(booting.names().at(-1)).toBe('ErrorNoDeployInProgress');
    expect(booting.answers.get(1)).toEqual(['nothing-to-abort']);

    const early = running(1).deploy({}, 5).feed({ kind: 'abort', ticket: 6 });
    early.exitAll(early.ids('destroying'));
    expect(early.names().slice(-3)).toEqual(['DestroyNew', 'NewDestroyed', 'DeployFailed']);
    expect(early.events.at(-1)!.failure).toBe('the deploy was aborted');
    expect([early.answers.get(5), early.answers.get(6)]).toEqual([['failed'], ['aborted']]);

    const late = running(1).deploy({}, 5).onlineAll().feed({ kind: 'abort', ticket: 6 });
    late.exitAll(late.ids('retiring'));
    expect(late.names().slice(-4)).toEqual(['ShutdownOld', 'DestroyOld', 'OldExit', 'Ready']);
    expect([late.answers.get(5), late.answers.get(6)]).toEqual([['ready'], ['too-late']]);
  });

  test('the count changes with the deploy, and a working directory that names nothing fails it at once', () => {
    const cluster = running(1).deploy({ count: 3 });
    expect(cluster.ids('booting')).toHaveLength(3);
    const other = running(2);
    const mark = other.events.length;
    other.feed({ kind: 'deploy', ticket: 40, request: { count: 0 }, cwd: '/srv/app/current', resolved: { failure: 'working directory /srv/app/current: ENOENT' } });
    expect(other.events.slice(mark)).toEqual([
      expect.objectContaining({ event: 'DeployFailed', failure: 'working directory /srv/app/current: ENOENT', operation: { kind: 'deploy', begins: true, ends: 'failed' } }),
    ]);
    expect(other.answers.get(40)).toEqual(['failed']);
  });
});

describe('stop', () => {
  test("SPEC's table: ShutdownOld each, OldExit each, Shutdown", () => {
    const cluster = running(2);
    const mark = cluster.events.length;
    cluster.feed({ kind: 'stop' });
    cluster.exitAll(cluster.ids('retiring'));
    expect(cluster.lines(mark)).toEqual(['ShutdownOld 0,1,1,0', 'ShutdownOld 0,0,2,0', 'OldExit 0,0,1,0', 'OldExit 0,0,0,0', 'Shutdown 0,0,0,0']);
    expect(cluster.events[mark]!.operation).toEqual({ kind: 'stop', begins: true });
    expect(cluster.events.at(-1)!.operation).toEqual({ kind: 'stop', ends: 'stopped' });
    expect(cluster.state.closed).toBe(true);
  });

  test('with a timeout: Timeout, DestroyOld each, OldExit each, Shutdown', () => {
    const cluster = running(2).feed({ kind: 'stop', timeoutMs: 500 });
    const mark = cluster.events.length;
    cluster.advance(500);
    cluster.exitAll(cluster.ids('retiring'));
    expect(cluster.names(mark)).toEqual(['Timeout', 'DestroyOld', 'DestroyOld', 'OldExit', 'OldExit', 'Shutdown']);
  });

  test('a stop during a deploy fails it (waiting for shutdown already); a deploy while stopping is refused; a second stop says so', () => {
    const cluster = running(1).deploy({}, 3);
    const mark = cluster.events.length;
    cluster.feed({ kind: 'stop' });
    expect(cluster.lines(mark)).toEqual(['DeployFailed 1,1,0,0', 'ShutdownOld 0,1,1,0', 'ShutdownOld 0,0,2,0']);
    expect(cluster.events[mark]).toMatchObject({ waitingFor: 'shutdown', failure: 'naught was told to stop', operation: { kind: 'deploy', ends: 'stopped' } });
    expect(cluster.events[mark + 1]!.operation).toEqual({ kind: 'stop', begins: true });
    expect(cluster.answers.get(3)).toEqual(['stopped']);
    cluster.deploy({}, 4).feed({ kind: 'stop', ticket: 5 });
    expect(cluster.names().slice(-2)).toEqual(['ErrorShuttingDown', 'AlreadyShuttingDown']);
    expect([cluster.answers.get(4), cluster.answers.get(5)]).toEqual([['stopping'], ['already-stopping']]);
  });

  test('force: a stop that does not wait destroys every worker still retiring', () => {
    const cluster = running(2).feed({ kind: 'stop' });
    const mark = cluster.events.length;
    cluster.feed({ kind: 'force' });
    expect(cluster.names(mark)).toEqual(['DestroyOld', 'DestroyOld']);
    expect(cluster.effectsOf('signal')).toHaveLength(2);
  });
});

describe("'offline'", () => {
  test('the worker is replaced with the same number at once and allowed to finish; a second offline is ignored', () => {
    const cluster = running(2);
    const [gone] = cluster.ids('online');
    const number = cluster.state.workers.find((w) => w.id === gone)!.number;
    const mark = cluster.events.length;
    cluster.feed({ kind: 'offline', worker: gone! }).feed({ kind: 'offline', worker: gone! });
    expect(cluster.lines(mark)).toEqual(['WorkerOffline 0,1,1,0', 'SpawnNew 1,1,1,0']);
    expect(cluster.events.at(-1)).toMatchObject({ worker: number, replacement: true });
    expect(cluster.effectsOf('disconnect')).toEqual([{ kind: 'disconnect', worker: gone }]);
    expect(cluster.effectsOf('fork').at(-1)).toMatchObject({ number });
    cluster.onlineAll().exitAll([gone!]);
    expect(cluster.names(mark)).toEqual(['WorkerOffline', 'SpawnNew', 'WorkerOnline', 'Ready', 'WorkerDeath']);
  });

  test('a new worker that goes offline fails the deploy; an offline worker a stop waits for exits as OldExit', () => {
    const deploying = running(1).deploy();
    deploying.feed({ kind: 'offline', worker: deploying.ids('booting')[0]! });
    // Nothing else of the release to destroy: it fails at once, and the offline worker finishes on its own.
    expect(deploying.names().slice(-2)).toEqual(['WorkerOffline', 'DeployFailed']);
    expect(deploying.events.at(-1)!.failure).toBe('new worker 0 went offline');

    const stopping = running(1);
    const [worker] = stopping.ids('online');
    stopping.feed({ kind: 'offline', worker: worker! }).feed({ kind: 'stop' });
    stopping.exitAll(stopping.state.workers.map((w) => w.id));
    expect(stopping.names().slice(-6)).toEqual(['WorkerOffline', 'SpawnNew', 'ShutdownOld', 'OldExit', 'OldExit', 'Shutdown']);
  });
});

describe('crash loops', () => {
  /** Lets worker 0 die `times` times, each `livedMs` after its start. */
  function dies(cluster: Cluster, times: number, livedMs: number): void {
    for (let i = 0; i < times; i += 1) {
      const worker = cluster.state.workers.find((w) => w.number === 0 && w.state !== 'retiring')!;
      cluster.advance(Math.max(0, worker.startedAt + livedMs - cluster.now));
      cluster.exitAll([worker.id], 1);
      const restart = cluster.events.at(-1)!.restart;
      if (restart !== undefined) cluster.advance(restart.inMs);
    }
  }

  test('a first crash restarts at once; quick deaths in a row wait 1, 2 and 4 s, said on the death and in the status', () => {
    const cluster = running(2);
    dies(cluster, 4, 100);
    const deaths = cluster.events.filter((e) => e.event === 'WorkerDeath');
    expect(deaths.map((e) => e.restart)).toEqual([undefined, { crashes: 2, inMs: 1000 }, { crashes: 3, inMs: 2000 }, { crashes: 4, inMs: 4000 }]);
    expect(deaths.every((e) => e.worker === 0)).toBe(true);

    // The restart after the last death has started; the worker is still in its loop.
    expect(snapshot(cluster.state, 'Status', cluster.now).crashLoops).toEqual([{ worker: 0, crashes: 4, restartInMs: null }]);
    const worker = cluster.state.workers.find((w) => w.number === 0)!;
    cluster.exitAll([worker.id], 1);
    cluster.advance(3000);
    expect(snapshot(cluster.state, 'Status', cluster.now).crashLoops).toEqual([{ worker: 0, crashes: 5, restartInMs: 5000 }]);
  });

  test('a delayed restart is forked when its delay is over, not a millisecond before', () => {
    const cluster = running(1);
    dies(cluster, 1, 100);
    cluster.advance(100).exitAll([cluster.state.workers[0]!.id], 1);
    const forks = cluster.effectsOf('fork').length;
    cluster.advance(RESTART_BACKOFF.firstDelayMs - 1);
    expect(cluster.effectsOf('fork')).toHaveLength(forks);
    cluster.advance(1);
    expect(cluster.effectsOf('fork')).toHaveLength(forks + 1);
    // Said as a replacement: not one of a deploy's new workers, were one under way.
    expect(cluster.events.at(-1)).toMatchObject({ event: 'SpawnNew', worker: 0, replacement: true });
  });

  test('a worker that lived resetAfterMs before it died is a first crash again', () => {
    const cluster = running(1);
    dies(cluster, 2, 100);
    dies(cluster, 1, RESTART_BACKOFF.resetAfterMs);
    expect(cluster.events.at(-1)).toMatchObject({ event: 'WorkerDeath' });
    expect(cluster.events.at(-1)!.restart).toBeUndefined();
  });

  test('a deploy replaces a pending restart and starts the count afresh; a deploy while every old worker waits is a deploy', () => {
    const cluster = running(1);
    dies(cluster, 1, 100);
    const worker = cluster.state.workers[0]!;
    cluster.advance(100).exitAll([worker.id], 1);
    expect(cluster.events.at(-1)!.restart).toEqual({ crashes: 2, inMs: 1000 });
    cluster.deploy();
    expect(snapshot(cluster.state, 'Status', cluster.now)).toMatchObject({ operation: { kind: 'deploy' }, count: { booting: 1, online: 0 } });
    expect(cluster.events.at(-1)).toMatchObject({ event: 'SpawnNew', worker: 0 });
    expect(cluster.events.at(-1)!.replacement).toBeUndefined();
    cluster.onlineAll();
    expect(cluster.effectsOf('cancel').at(-1)).toEqual({ kind: 'cancel', timer: { kind: 'restart', number: 0 } });
    expect(cluster.names().slice(-2)).toEqual(['NewOnline', 'Ready']);
    cluster.advance(2000);
    expect(cluster.state.workers).toHaveLength(1);
    expect(snapshot(cluster.state, 'Status', cluster.now).crashLoops).toBeUndefined();
  });

  test('a stop while a restart is pending drops it and ends at once', () => {
    const cluster = running(1);
    dies(cluster, 1, 100);
    cluster.advance(100).exitAll([cluster.state.workers[0]!.id], 1);
    cluster.feed({ kind: 'stop' });
    expect(cluster.names().slice(-1)).toEqual(['Shutdown']);
    cluster.advance(RESTART_BACKOFF.maxDelayMs);
    expect(cluster.effectsOf('fork')).toHaveLength(2);
  });
});

test('a status reply is the state as an event', () => {
  const cluster = running(1);
  expect(snapshot(cluster.state, 'Status', cluster.now)).toEqual({ event: 'Status', count: { booting: 0, online: 1, dying: 0, new_online: 0 }, waitingFor: null, operation: null });
});

describe('health', () => {
  const MB = 1024 * 1024;
  const limits = (health: Partial<Health>): Health => ({ ...NO_LIMITS, ...health });

  /** The `probe` effects' lists since `mark`. */
  const probes = (cluster: Cluster, mark = 0) => cluster.effectsOf('probe', mark) as Array<Extract<Effect, { kind: 'probe' }>>;

  test('over --max-memory: the replacement starts first, the old worker retires once it is online, one worker at a time', () => {
    const cluster = new Cluster(2, limits({ maxMemoryBytes: 100 * MB })).boot().onlineAll();
    const [first, second] = cluster.ids('online');
    cluster.advance(1000);
    expect(probes(cluster).at(-1)).toEqual({ kind: 'probe', ping: [], measure: [first, second] });
    const mark = cluster.events.length;
    cluster.feed({ kind: 'memory', worker: first!, bytes: 100 * MB });
    expect(cluster.events.length).toBe(mark);
    cluster.feed({ kind: 'memory', worker: first!, bytes: 150 * MB }).feed({ kind: 'memory', worker: second!, bytes: 150 * MB });
    expect(cluster.lines(mark)).toEqual(['WorkerRecycle 0,2,0,0', 'SpawnNew 1,2,0,0']);
    expect(cluster.events[mark]).toMatchObject({ worker: 0, health: { reason: 'memory', detail: 'uses 150 MB (--max-memory 100 MB)' } });
    // No request is refused: until its replacement is online, the worker serves.
    expect(cluster.effectsOf('shutdown')).toEqual([]);
    cluster.onlineAll();
    expect(cluster.lines(mark).slice(2)).toEqual(['WorkerOnline 0,3,0,0', 'ShutdownOld 0,2,1,0', 'Ready 0,2,1,0']);
    cluster.exitAll([first!]);
    expect(cluster.names().at(-1)).toBe('OldExit');
    // Now the second one may go.
    cluster.feed({ kind: 'memory', worker: second!, bytes: 150 * MB });
    expect(cluster.names().at(-2)).toBe('WorkerRecycle');
    const counts = snapshot(cluster.state, 'Status', cluster.now);
    expect(counts.count).toEqual({ booting: 1, online: 2, dying: 0, new_online: 0 });
    expect(cluster.state.numbers.get(0)!.restarts).toEqual({ crash: 0, offline: 0, memory: 1, hang: 0, age: 0 });
  });

  test('--worker-timeout: a worker that stops answering is cut off, killed and replaced at once; a booting one is not judged', () => {
    const cluster = new Cluster(2, limits({ workerTimeoutMs: 2000 })).boot();
    cluster.advance(10_000);
    expect(cluster.names()).not.toContain('WorkerHang');
    cluster.onlineAll();
    const [stuck, fine] = cluster.ids('online');
    const mark = cluster.events.length;
    const effects = cluster.effects.length;
    for (let t = 0; t < 6; t += 1) cluster.advance(500).feed({ kind: 'alive', worker: fine! });
    expect(probes(cluster, effects)[0]!.ping).toEqual([stuck, fine]);
    // Cut off and replaced at once; killed once its stack is in.
    expect(cluster.lines(mark)).toEqual(['SpawnNew 1,1,1,0']);
    const cut = cluster.effects.length;
    expect(cluster.effects.slice(effects).filter((e) => e.kind === 'disconnect' || e.kind === 'signal' || e.kind === 'stack')).toEqual([
      { kind: 'disconnect', worker: stuck },
      { kind: 'stack', worker: stuck },
    ]);
    const stack = { frames: [{ fn: 'spinForever', file: '/srv/app/server.js', line: 12, column: 9 }], report: '/var/log/app/hang-worker0.json' };
    cluster.feed({ kind: 'stack', worker: stuck!, stack });
    expect(cluster.lines(mark)).toEqual(['SpawnNew 1,1,1,0', 'WorkerHang 1,1,1,0']);
    expect(cluster.events[mark + 1]).toMatchObject({ worker: 0, health: { reason: 'hang', detail: 'has not answered for 2.5 s (--worker-timeout 2 s)' }, stack });
    expect(cluster.effects.slice(cut).filter((e) => e.kind === 'disconnect' || e.kind === 'signal')).toEqual([
      { kind: 'disconnect', worker: stuck },
      { kind: 'signal', worker: stuck, signal: 'SIGTERM' },
    ]);
    expect(cluster.armed()).not.toContain(`stack:${stuck}`);
    cluster.advance(KILL_GRACE_MS);
    expect(cluster.effectsOf('signal').at(-1)).toEqual({ kind: 'signal', worker: stuck, signal: 'SIGKILL' });
    cluster.exitAll([stuck!]);
    expect(cluster.names().at(-1)).toBe('WorkerDeath');
    expect(cluster.state.numbers.get(0)).toMatchObject({ lastExit: 'hung, then exited with code 0', restarts: { hang: 1 }, lastStack: stack });
  });

  test('--worker-timeout: the replacement does not wait for the stack; it may serve before the hung worker is said and killed', () => {
    const cluster = new Cluster(2, limits({ workerTimeoutMs: 2000 })).boot().onlineAll();
    const [stuck, fine] = cluster.ids('online');
    const mark = cluster.events.length;
    for (let t = 0; t < 6; t += 1) cluster.advance(500).feed({ kind: 'alive', worker: fine! });
    const cut = cluster.effects.length;
    cluster.onlineAll();
    expect(cluster.names(mark)).toEqual(['SpawnNew', 'WorkerOnline', 'Ready']);
    expect(cluster.effects.slice(cut).filter((e) => e.kind === 'signal')).toEqual([]);
    cluster.feed({ kind: 'stack', worker: stuck!, stack: { missing: 'a test' } });
    expect(cluster.names(mark)).toEqual(['SpawnNew', 'WorkerOnline', 'Ready', 'WorkerHang']);
    expect(cluster.effectsOf('signal').at(-1)).toEqual({ kind: 'signal', worker: stuck, signal: 'SIGTERM' });
  });

  test('--worker-timeout: naught stalled past the timeout judges no worker by its own stall; one silent after it is still cut off', () => {
    const cluster = new Cluster(2, limits({ workerTimeoutMs: 2000 })).boot().onlineAll();
    const [stuck, fine] = cluster.ids('online');
    cluster.advance(500).feed({ kind: 'alive', worker: stuck! }).feed({ kind: 'alive', worker: fine! });
    const mark = cluster.events.length;
    // The health timer fires 4.5 s late, before naught reads the answers that came meanwhile.
    cluster.stall(5000);
    expect(cluster.names(mark)).toEqual([]);
    cluster.feed({ kind: 'alive', worker: fine! });
    cluster.advance(500);
    expect(cluster.names(mark)).toEqual(['SpawnNew']);
    expect(cluster.events[mark]).toMatchObject({ worker: 0 });
    expect(cluster.effectsOf('stack')).toEqual([{ kind: 'stack', worker: stuck }]);
  });

  test('a hung worker whose stack does not come is killed after STACK_WAIT_MS, and one that exits first is said to have hung', () => {
    const cluster = new Cluster(2, limits({ workerTimeoutMs: 2000 })).boot().onlineAll();
    const [stuck, fine] = cluster.ids('online');
    const answering = (ms: number) => {
      for (let t = 0; t < ms; t += 250) cluster.advance(250).feed({ kind: 'alive', worker: fine! });
    };
    answering(2500);
    const mark = cluster.events.length;
    answering(STACK_WAIT_MS - 250);
    expect(cluster.names(mark)).not.toContain('WorkerHang');
    answering(250);
    expect(cluster.events.find((e) => e.event === 'WorkerHang')).toMatchObject({ worker: 0, stack: { missing: 'its stack did not come within 1 s' } });
    expect(cluster.effectsOf('signal').at(-1)).toEqual({ kind: 'signal', worker: stuck, signal: 'SIGTERM' });
    // A late stack changes nothing.
    const said = cluster.events.length;
    cluster.feed({ kind: 'stack', worker: stuck!, stack: { missing: 'late' } });
    expect(cluster.events.length).toBe(said);

    cluster.exitAll([stuck!]).onlineAll();
    const [next] = cluster.ids('online').filter((id) => id !== fine);
    answering(2500);
    const before = cluster.events.length;
    cluster.exitAll([next!], 1);
    expect(cluster.names(before)).toEqual(['WorkerHang', 'WorkerDeath']);
    expect(cluster.events[before]).toMatchObject({ stack: { missing: 'it exited before its stack was taken' } });
    expect(cluster.armed()).not.toContain(`stack:${next}`);
  });

  test('a worker naught examines is not judged by its silence (a heap snapshot stops its loop); once done it has a whole timeout again', () => {
    const cluster = new Cluster(1, limits({ workerTimeoutMs: 2000, maxMemoryBytes: 10 ** 9 })).boot().onlineAll();
    const [worker] = cluster.ids('online');
    cluster.advance(1000).feed({ kind: 'examined', worker: worker!, examined: true });
    cluster.advance(30_000);
    expect(cluster.names()).not.toContain('WorkerHang');
    // Nor by the memory a heap snapshot takes.
    cluster.feed({ kind: 'memory', worker: worker!, bytes: 10 ** 12 });
    expect(cluster.names()).not.toContain('WorkerRecycle');
    cluster.feed({ kind: 'examined', worker: worker!, examined: false });
    cluster.advance(2000);
    expect(cluster.names()).not.toContain('WorkerHang');
    cluster.advance(STACK_WAIT_MS + 1000);
    expect(cluster.names()).toContain('WorkerHang');
  });

  test('a death nobody asked for is said with how it ended and its last lines on stderr, and kept for status', () => {
    const cluster = new Cluster(2).boot().onlineAll();
    const [crashed] = cluster.ids('online');
    const mark = cluster.events.length;
    cluster.feed({ kind: 'exit', worker: crashed!, exit: { code: 1, signal: null, stderr: ['Error: boom', '    at handler (/srv/app/server.js:3:9)'] } });
    expect(cluster.events[mark]).toMatchObject({ event: 'WorkerDeath', worker: 0, death: { exit: 'exited with code 1', stderr: ['Error: boom', '    at handler (/srv/app/server.js:3:9)'] } });
    expect(detail(cluster.state, cluster.now).workers.find((w) => w.number === 0)).toMatchObject({ lastExit: 'exited with code 1', lastStderr: ['Error: boom', '    at handler (/srv/app/server.js:3:9)'] });
    // A worker naught retires is no death to explain.
    cluster.deploy().onlineAll();
    const retired = cluster.events.length;
    cluster.exitAll(cluster.ids('retiring'));
    expect(cluster.events.slice(retired).some((e) => e.death !== undefined)).toBe(false);
  });

  test('a hung old worker during a deploy is killed, and its death is the deploy’s to handle', () => {
    const cluster = new Cluster(1, limits({ workerTimeoutMs: 2000 })).boot().onlineAll();
    const [old] = cluster.ids('online');
    cluster.deploy();
    const [fresh] = cluster.ids('booting');
    cluster.advance(2500 + STACK_WAIT_MS);
    expect(cluster.names().slice(-1)).toEqual(['WorkerHang']);
    expect(cluster.ids('booting')).toEqual([fresh]);
    // Its crash is restarted as the old release, then retired with the rest.
    cluster.exitAll([old!], 1);
    cluster.feed({ kind: 'online', worker: fresh! });
    expect(cluster.names().slice(-2)).toEqual(['NewOnline', 'ShutdownOld']);
    cluster.exitAll(cluster.ids('retiring'));
    expect(cluster.names().slice(-2)).toEqual(['OldExit', 'Ready']);
  });

  test('an old worker told to shut down is judged while its channel is open: stuck, it is killed and the deploy ends; one that closed its channel is not', () => {
    const cluster = new Cluster(2, limits({ workerTimeoutMs: 2000 })).boot().onlineAll();
    const [stuck, closed] = cluster.ids('online');
    cluster.deploy().onlineAll();
    expect(cluster.ids('retiring')).toEqual([stuck, closed]);
    // The healthy one closes its channel (its servers closed) and still finishes a long request.
    cluster.feed({ kind: 'disconnected', worker: closed! });
    const mark = cluster.events.length;
    const fresh = cluster.ids('new_online');
    const answering = (ms: number) => {
      for (let t = 0; t < ms; t += 500) for (const id of fresh) cluster.advance(500 / fresh.length).feed({ kind: 'alive', worker: id });
    };
    answering(2500);
    cluster.feed({ kind: 'stack', worker: stuck!, stack: { missing: 'not here' } });
    expect(cluster.lines(mark)).toEqual(['WorkerHang 0,0,2,2']);
    expect(cluster.events[mark]).toMatchObject({ worker: 0, health: { reason: 'hang', retiring: true } });
    expect(cluster.effectsOf('signal').at(-1)).toEqual({ kind: 'signal', worker: stuck, signal: 'SIGTERM' });
    cluster.advance(KILL_GRACE_MS).exitAll([stuck!]);
    answering(60_000);
    expect(cluster.names().filter((name) => name === 'WorkerHang')).toHaveLength(1);
    cluster.exitAll([closed!]);
    expect(cluster.names().slice(-2)).toEqual(['OldExit', 'Ready']);
  });

  test('--max-worker-age: workers come due one after another and are recycled one at a time', () => {
    const cluster = new Cluster(4, limits({ maxAgeMs: 10_000 })).boot().onlineAll();
    const down: number[] = [];
    // 18 s: each worker once (worker 0 is due again at about 20 s).
    for (let t = 0; t < 36; t += 1) {
      cluster.advance(500);
      // Each replacement takes 800 ms to come online, and its old worker 200 ms to exit.
      for (const worker of cluster.state.workers) {
        if (worker.state === 'booting' && cluster.now - worker.startedAt >= 800) cluster.feed({ kind: 'online', worker: worker.id });
        else if (worker.state === 'retiring') cluster.exitAll([worker.id]);
      }
      down.push(cluster.state.workers.filter((w) => w.state !== 'online' && w.state !== 'recycling').length);
      // Four serve at every moment.
      expect(cluster.state.workers.filter((w) => w.state === 'online' || w.state === 'recycling').length).toBeGreaterThanOrEqual(4);
    }
    const recycled = cluster.events.filter((e) => e.event === 'WorkerRecycle').map((e) => e.worker);
    expect(recycled).toEqual([0, 1, 2, 3]);
    expect(Math.max(...down)).toBe(1);
    expect(cluster.events.filter((e) => e.event === 'WorkerRecycle').map((e) => e.health!.detail)[0]).toBe('is 10 s old (--max-worker-age 10 s)');
  });

  test('a deploy with --max-memory sets the new release’s limit; a stop ends the checks', () => {
    const cluster = new Cluster(1).boot().onlineAll();
    cluster.advance(5000);
    expect(probes(cluster)).toEqual([]);
    cluster.feed({ kind: 'deploy', ticket: 50, request: { count: 0, maxMemoryBytes: 64 * MB }, cwd: '/srv/app/current', resolved: { code: CODE } });
    cluster.onlineAll().exitAll(cluster.ids('retiring'));
    cluster.advance(1000);
    expect(probes(cluster).at(-1)!.measure).toEqual(cluster.ids('online'));
    cluster.feed({ kind: 'stop' });
    expect(cluster.effectsOf('cancel').at(-1)).toEqual({ kind: 'cancel', timer: { kind: 'health' } });
  });
});

describe('deploy in batches', () => {
  /** Brings the running batch online and lets its old workers exit; returns the live count at its peak. */
  function nextBatch(cluster: Cluster): number {
    const peak = cluster.state.workers.length;
    cluster.onlineAll();
    cluster.exitAll(cluster.ids('retiring'));
    return peak;
  }

  test('--batch 1 of 4: one new worker, then its old one retires, then the next; never more than N + 1 workers', () => {
    const cluster = running(4);
    const mark = cluster.events.length;
    cluster.deploy({ batch: 1 }, 60);
    const peaks = [0, 1, 2, 3].map(() => nextBatch(cluster));
    expect(peaks).toEqual([5, 5, 5, 5]);
    expect(cluster.lines(mark).slice(0, 5)).toEqual(['SpawnNew 1,4,0,0', 'NewOnline 0,4,0,1', 'ShutdownOld 0,3,1,1', 'OldExit 0,3,0,1', 'SpawnNew 1,4,0,0']);
    expect(cluster.names().at(-1)).toBe('Ready');
    expect(cluster.answers.get(60)).toEqual(['ready']);
    expect(cluster.state.workers.map((w) => w.release.id)).toEqual([1, 1, 1, 1]);
    expect(cluster.state.current.id).toBe(1);
  });

  test('a failure in the third batch: its new worker goes, workers 0–1 stay on the new release, 2–3 on the old; the next deploy completes it', () => {
    const cluster = running(4);
    cluster.deploy({ batch: 1 }, 61);
    nextBatch(cluster);
    nextBatch(cluster);
    cluster.exitAll(cluster.ids('booting'), 1);
    expect(cluster.events.at(-1)).toMatchObject({
      event: 'DeployFailed',
      failure: 'new worker 2 exited with code 1; workers 0–1 run the new release, 2–3 the old',
    });
    expect(cluster.answers.get(61)).toEqual(['failed']);
    const releases = detail(cluster.state, cluster.now).workers.map((w) => `${w.number} ${w.release}`);
    expect(releases).toEqual(['0 new', '1 new', '2 current', '3 current']);
    // A crash of worker 0 restarts it on the release its batch moved it to.
    const zero = cluster.state.workers.find((w) => w.number === 0)!;
    cluster.exitAll([zero.id], 1);
    expect(cluster.effectsOf('fork').at(-1)).toMatchObject({ number: 0, release: { id: 1 } });
    cluster.onlineAll();
    cluster.deploy({}, 62);
    nextBatch(cluster);
    expect(cluster.answers.get(62)).toEqual(['ready']);
    expect(detail(cluster.state, cluster.now).workers.map((w) => w.release)).toEqual(['current', 'current', 'current', 'current']);
  });

  test('an abort while a batch drains ends the deploy after it: failed, with the batches so far on the new release', () => {
    const cluster = running(4);
    cluster.deploy({ batch: 2 }, 63).onlineAll();
    cluster.feed({ kind: 'abort', ticket: 64 });
    cluster.exitAll(cluster.ids('retiring'));
    expect(cluster.names().slice(-5)).toEqual(['DestroyOld', 'DestroyOld', 'OldExit', 'OldExit', 'DeployFailed']);
    expect(cluster.events.at(-1)).toMatchObject({ event: 'DeployFailed', failure: 'the deploy was aborted; workers 0–1 run the new release, 2–3 the old' });
    expect([cluster.answers.get(63), cluster.answers.get(64)]).toEqual([['failed'], ['aborted']]);
    expect(cluster.ids('booting')).toEqual([]);
  });
});

describe('the drain', () => {
  /** A cluster whose releases drain for `drainMs`, booted and online. */
  const draining = (count: number, drainMs = 10_000, rampMs = 0): Cluster => new Cluster(count, NO_LIMITS, drainMs, rampMs).boot().onlineAll();

  test("a deploy drains each old worker, and its 'shutdown' waits until the agent says it is drained; the events are 1.x's", () => {
    const cluster = draining(1);
    const [old] = cluster.ids('online');
    const mark = cluster.events.length;
    const effects = cluster.effects.length;
    cluster.deploy().onlineAll();
    expect(cluster.ids('draining')).toEqual([old]);
    expect(cluster.effectsOf('drain', effects)).toEqual([{ kind: 'drain', worker: old, rampMs: 0 }]);
    expect(cluster.effectsOf('shutdown', effects)).toEqual([]);
    cluster.feed({ kind: 'drained', worker: old! });
    expect(cluster.effectsOf('shutdown', effects)).toEqual([{ kind: 'shutdown', worker: old }]);
    expect(cluster.armed()).not.toContain(`drain:${old}`);
    cluster.exitAll([old!]);
    expect(cluster.lines(mark)).toEqual(['SpawnNew 1,1,0,0', 'NewOnline 0,1,0,1', 'ShutdownOld 0,0,1,1', 'OldExit 0,0,0,1', 'Ready 0,1,0,0']);
  });

  test("a worker that stays undrained gets 'shutdown' at the drain timeout", () => {
    const cluster = draining(1, 3000);
    const [old] = cluster.ids('online');
    const effects = cluster.effects.length;
    cluster.deploy().onlineAll().advance(2999);
    expect(cluster.effectsOf('shutdown', effects)).toEqual([]);
    cluster.advance(1);
    expect(cluster.effectsOf('shutdown', effects)).toEqual([{ kind: 'shutdown', worker: old }]);
    expect(cluster.ids('retiring')).toEqual([old]);
  });

  test('a worker that exits while draining is an old exit, and its drain timer goes', () => {
    const cluster = draining(1);
    const [old] = cluster.ids('online');
    cluster.deploy().onlineAll().exitAll([old!]);
    expect(cluster.names().slice(-2)).toEqual(['OldExit', 'Ready']);
    expect(cluster.armed()).not.toContain(`drain:${old}`);
  });

  test('a stop drains the serving workers for at most half of its timeout, and a booting worker not at all', () => {
    const cluster = draining(1);
    const [serving] = cluster.ids('online');
    cluster.feed({ kind: 'offline', worker: serving! });
    const [booting] = cluster.ids('booting');
    const effects = cluster.effects.length;
    cluster.feed({ kind: 'stop', timeoutMs: 7000 });
    // The worker that said 'offline' is already going; the booting one has nothing to drain.
    expect(cluster.effectsOf('shutdown', effects)).toEqual([{ kind: 'shutdown', worker: booting }]);
    const fresh = draining(2);
    const ids = fresh.ids('online');
    const mark = fresh.effects.length;
    fresh.feed({ kind: 'stop', timeoutMs: 7000 });
    expect(fresh.effectsOf('drain', mark)).toEqual(ids.map((worker) => ({ kind: 'drain', worker, rampMs: 0 })));
    expect(fresh.effectsOf('arm', mark)).toEqual([...ids.map((id) => ({ kind: 'arm', timer: { kind: 'drain', worker: id }, ms: 3500 })), { kind: 'arm', timer: { kind: 'stop' }, ms: 7000 }]);
  });

  test('a deploy or a recycle hands a worker\'s load over for the ramp, at most the drain; a stop, with no successor, does not ramp', () => {
    const deployed = draining(2, 10_000, 3000);
    const old = deployed.ids('online');
    let mark = deployed.effects.length;
    deployed.deploy().onlineAll();
    expect(deployed.effectsOf('drain', mark)).toEqual(old.map((worker) => ({ kind: 'drain', worker, rampMs: 3000 })));
    const short = draining(1, 2000, 3000);
    mark = short.effects.length;
    short.deploy().onlineAll();
    expect(short.effectsOf('drain', mark)).toEqual([{ kind: 'drain', worker: expect.any(Number), rampMs: 2000 }]);
    const recycled = new Cluster(1, { ...NO_LIMITS, maxMemoryBytes: 100 }, 5000, 3000).boot().onlineAll();
    const [big] = recycled.ids('online');
    recycled.feed({ kind: 'memory', worker: big!, bytes: 200 });
    mark = recycled.effects.length;
    recycled.onlineAll();
    expect(recycled.effectsOf('drain', mark)).toEqual([{ kind: 'drain', worker: big, rampMs: 3000 }]);
    const stopped = draining(2, 10_000, 3000);
    mark = stopped.effects.length;
    stopped.feed({ kind: 'stop', timeoutMs: 7000 });
    expect(stopped.effectsOf('drain', mark)).toEqual(stopped.ids('draining').map((worker) => ({ kind: 'drain', worker, rampMs: 0 })));
  });

  test('a recycled worker is drained once its replacement is online', () => {
    const cluster = new Cluster(1, { ...NO_LIMITS, maxMemoryBytes: 100 }, 5000).boot().onlineAll();
    const [old] = cluster.ids('online');
    cluster.feed({ kind: 'memory', worker: old!, bytes: 200 });
    const effects = cluster.effects.length;
    cluster.onlineAll();
    expect(cluster.ids('draining')).toEqual([old]);
    expect(cluster.effectsOf('drain', effects)).toEqual([{ kind: 'drain', worker: old, rampMs: 0 }]);
  });

  test("a draining worker that stops answering is killed within --worker-timeout, so no drain waits on a wedged loop", () => {
    const cluster = new Cluster(1, { ...NO_LIMITS, workerTimeoutMs: 2000 }, 60_000).boot().onlineAll();
    const [old] = cluster.ids('online');
    cluster.deploy();
    for (const id of cluster.ids('booting')) cluster.feed({ kind: 'online', worker: id });
    const effects = cluster.effects.length;
    cluster.advance(3000 + STACK_WAIT_MS);
    expect(cluster.effectsOf('signal', effects)).toContainEqual({ kind: 'signal', worker: old, signal: 'SIGTERM' });
  });

  test('a release that does not drain (no agent, --drain-timeout 0) retires as 1.x did', () => {
    const cluster = running(1);
    const [old] = cluster.ids('online');
    const effects = cluster.effects.length;
    cluster.deploy().onlineAll();
    expect(cluster.effectsOf('drain', effects)).toEqual([]);
    expect(cluster.effectsOf('shutdown', effects)).toEqual([{ kind: 'shutdown', worker: old }]);
  });
});

describe('a worker that sends what naught cannot take', () => {
  test('is cut off and killed; its death is a crash, restarted as one, and its last exit says what it sent', () => {
    const cluster = running(2);
    const [bad] = cluster.ids('online');
    const mark = cluster.events.length;
    const effects = cluster.effects.length;
    cluster.feed({ kind: 'fault', worker: bad!, why: 'sent naught a message it cannot read' });
    // A second report of the same worker changes nothing.
    cluster.feed({ kind: 'fault', worker: bad!, why: 'sent naught a message of more than 16 MiB' });
    expect(cluster.lines(mark)).toEqual(['WorkerFault 0,2,0,0']);
    expect(cluster.events[mark]).toMatchObject({ worker: 0, fault: 'sent naught a message it cannot read' });
    expect(cluster.effects.slice(effects).filter((e) => e.kind === 'disconnect' || e.kind === 'signal')).toEqual([
      { kind: 'disconnect', worker: bad },
      { kind: 'signal', worker: bad, signal: 'SIGTERM' },
    ]);
    cluster.advance(KILL_GRACE_MS);
    cluster.feed({ kind: 'exit', worker: bad!, exit: { code: null, signal: 'SIGKILL' } });
    expect(cluster.lines(mark).slice(1)).toEqual(['WorkerDeath 1,1,0,0']);
    expect(cluster.state.numbers.get(0)).toMatchObject({ lastExit: 'sent naught a message it cannot read, then was killed by SIGKILL', restarts: { crash: 1 } });
  });

  test("a deploy's new worker that does fails the deploy, and the reason says what it sent", () => {
    const cluster = running(1);
    cluster.deploy();
    const [fresh] = cluster.ids('booting');
    cluster.feed({ kind: 'fault', worker: fresh!, why: 'asked naught to listen on its own fd 0' });
    cluster.exitAll([fresh!], 0);
    expect(cluster.events.at(-1)).toMatchObject({ event: 'DeployFailed', failure: 'new worker 0 asked naught to listen on its own fd 0, then exited with code 0' });
  });
});

describe('canary deploys', () => {
  const AGENT: Health = { ...NO_LIMITS, agent: true };
  /** Figures of `ok` 2xx and `bad` 5xx responses. */
  const figures = (ok: number, bad: number) => ({ byClass: [0, ok, 0, 0, bad], buckets: [ok + bad, ...Array(14).fill(0)], sumSeconds: 0 });
  const canaryDeploy = (cluster: Cluster, canary: { count: number; windowMs?: number; marginPercent?: number }, ticket = cluster.ticket()) =>
    cluster.feed({ kind: 'deploy', ticket, request: { count: 0, canary }, cwd: '/srv/app/current', resolved: { code: { cwd: '/srv/app/releases/2', script: '/srv/app/releases/2/server.js' } } });
  /** Boots the canary: online, its old worker gone; the window begins. */
  const intoWindow = (cluster: Cluster): Cluster => cluster.onlineAll().exitAll(cluster.ids('retiring'));
  const say = (cluster: Cluster, id: number, ok: number, bad: number) => cluster.feed({ kind: 'alive', worker: id, http: figures(ok, bad) });
  const releaseOf = (cluster: Cluster) => cluster.state.workers.map((w) => `${w.number}:${w.release.code.cwd.slice(-1)}:${w.state}`).sort();

  test('k new workers replace k old ones, serve beside the rest for the window, and pass: the rest follow', () => {
    const cluster = new Cluster(3, AGENT).boot().onlineAll();
    const ticket = cluster.ticket();
    canaryDeploy(cluster, { count: 1, windowMs: 10_000 }, ticket);
    expect(cluster.names()).toContain('SpawnNew');
    expect(cluster.ids('booting')).toHaveLength(1);
    intoWindow(cluster);
    const start = cluster.events.find((e) => e.event === 'CanaryStart');
    expect(start?.canary).toEqual({ workers: '0', windowMs: 10_000, old: 2 });
    for (const worker of cluster.state.workers) say(cluster, worker.id, 0, 0);
    cluster.advance(9_000);
    expect(cluster.ids('booting')).toHaveLength(0);
    for (const worker of cluster.state.workers) say(cluster, worker.id, 200, 1);
    cluster.advance(1000);
    const passed = cluster.events.find((e) => e.event === 'CanaryPassed');
    expect(passed?.verdict).toMatchObject({ passed: true, requests: 201, serverErrors: 1, oldRequests: 402, oldServerErrors: 2 });
    expect(cluster.ids('booting')).toHaveLength(2);
    intoWindow(cluster);
    expect(cluster.answers.get(ticket)).toEqual(['ready']);
    expect(releaseOf(cluster)).toEqual(['0:2:online', '1:2:online', '2:2:online']);
    expect(cluster.state.previous?.code.cwd).toBe('/srv/app/releases/1');
  });

  test('a canary that answers too many 5xx is replaced by the release that runs, online first, and the deploy fails with the figures', () => {
    const cluster = new Cluster(2, AGENT).boot().onlineAll();
    const ticket = cluster.ticket();
    canaryDeploy(cluster, { count: 1, windowMs: 5000 }, ticket);
    intoWindow(cluster);
    for (const worker of cluster.state.workers) say(cluster, worker.id, 0, 0);
    const [canary] = cluster.state.workers.filter((w) => w.release.id !== 0);
    const [old] = cluster.state.workers.filter((w) => w.release.id === 0);
    say(cluster, canary!.id, 52, 48).feed({ kind: 'alive', worker: old!.id, http: figures(150, 0) });
    cluster.advance(5000);
    const failed = cluster.events.find((e) => e.event === 'CanaryFailed');
    expect(failed?.failure).toBe('canary worker 0 answered 48% 5xx (old workers 0.0%) over 5 s');
    // The old release's worker boots first; the canary serves until it is online.
    expect(releaseOf(cluster)).toEqual(['0:1:booting', '0:2:online', '1:1:online']);
    cluster.onlineAll();
    expect(releaseOf(cluster)).toEqual(['0:1:new_online', '0:2:retiring', '1:1:online']);
    cluster.exitAll(cluster.ids('retiring'));
    expect(cluster.answers.get(ticket)).toEqual(['failed']);
    expect(cluster.events.at(-1)).toMatchObject({ event: 'DeployFailed', failure: 'canary worker 0 answered 48% 5xx (old workers 0.0%) over 5 s; rolled back' });
    expect(releaseOf(cluster)).toEqual(['0:1:online', '1:1:online']);
    expect(cluster.state.current.id).toBe(0);
    // The checks go on (the agent's figures); the canary's window and the deploy's timers are gone.
    expect(cluster.armed()).toEqual(['health']);
  });

  test('under 100 requests the 5xx share is not judged: the canary passes and says so', () => {
    const cluster = new Cluster(2, AGENT).boot().onlineAll();
    canaryDeploy(cluster, { count: 1, windowMs: 2000 });
    intoWindow(cluster);
    const [canary] = cluster.state.workers.filter((w) => w.release.id !== 0);
    say(cluster, canary!.id, 40, 40);
    cluster.advance(2000);
    expect(cluster.events.find((e) => e.event === 'CanaryPassed')?.verdict?.text).toBe(
      'no canary worker exited or hung over 2 s; 80 requests, too few to judge the 5xx share (100 needed)',
    );
  });

  test('a canary worker that dies in the window is not restarted: the release that runs takes its number', () => {
    const cluster = new Cluster(2, AGENT).boot().onlineAll();
    const ticket = cluster.ticket();
    canaryDeploy(cluster, { count: 1, windowMs: 10_000 }, ticket);
    intoWindow(cluster);
    const [canary] = cluster.state.workers.filter((w) => w.release.id !== 0);
    cluster.advance(2000).exitAll([canary!.id], 1);
    expect(cluster.events.find((e) => e.event === 'CanaryFailed')?.failure).toBe('canary worker 0 exited with code 1');
    expect(releaseOf(cluster)).toEqual(['0:1:booting', '1:1:online']);
    cluster.onlineAll();
    expect(cluster.answers.get(ticket)).toEqual(['failed']);
    expect(releaseOf(cluster)).toEqual(['0:1:online', '1:1:online']);
  });

  test('a canary that hangs before its window (its old worker still there) is rolled back and retired: its death starts nothing', () => {
    const cluster = new Cluster(2, { ...AGENT, workerTimeoutMs: 2000 }).boot().onlineAll();
    const ticket = cluster.ticket();
    canaryDeploy(cluster, { count: 1, windowMs: 10_000 }, ticket);
    cluster.onlineAll();
    const [canary] = cluster.state.workers.filter((w) => w.release.id !== 0);
    const others = cluster.state.workers.filter((w) => w.id !== canary!.id).map((w) => w.id);
    for (let t = 0; t < 6; t += 1) {
      cluster.advance(500);
      for (const id of others) cluster.feed({ kind: 'alive', worker: id });
    }
    cluster.feed({ kind: 'stack', worker: canary!.id, stack: { missing: 'a test' } });
    expect(cluster.effectsOf('signal')).toEqual([{ kind: 'signal', worker: canary!.id, signal: 'SIGTERM' }]);
    cluster.exitAll(cluster.ids('retiring').filter((id) => id !== canary!.id));
    expect(releaseOf(cluster)).toEqual(['0:1:booting', '0:2:new_online', '1:1:online']);
    cluster.onlineAll();
    expect(releaseOf(cluster)).toEqual(['0:1:new_online', '0:2:retiring', '1:1:online']);
    const mark = cluster.events.length;
    cluster.advance(KILL_GRACE_MS).exitAll([canary!.id], 137);
    expect(cluster.names(mark)).not.toContain('SpawnNew');
    expect(cluster.answers.get(ticket)).toEqual(['failed']);
    expect(releaseOf(cluster)).toEqual(['0:1:online', '1:1:online']);
  });

  test('an abort in the window rolls back; one during the rollback waits for it', () => {
    const cluster = new Cluster(2, AGENT).boot().onlineAll();
    const ticket = cluster.ticket();
    canaryDeploy(cluster, { count: 1 }, ticket);
    intoWindow(cluster);
    const abort = cluster.ticket();
    cluster.feed({ kind: 'abort', ticket: abort });
    expect(cluster.events.find((e) => e.event === 'CanaryFailed')?.failure).toBe('the deploy was aborted');
    const again = cluster.ticket();
    cluster.feed({ kind: 'abort', ticket: again });
    cluster.onlineAll().exitAll(cluster.ids('retiring'));
    expect(cluster.answers.get(ticket)).toEqual(['failed']);
    expect([cluster.answers.get(abort), cluster.answers.get(again)]).toEqual([['aborted'], ['aborted']]);
    expect(releaseOf(cluster)).toEqual(['0:1:online', '1:1:online']);
  });

  test('a canary as large as the cluster is refused: nothing starts', () => {
    const cluster = new Cluster(2, AGENT).boot().onlineAll();
    const ticket = cluster.ticket();
    canaryDeploy(cluster, { count: 2 }, ticket);
    expect(cluster.answers.get(ticket)).toEqual(['failed']);
    expect(cluster.events.at(-1)?.failure).toBe('a canary of 2 leaves no old worker to judge it by (2 workers); it must be fewer');
    expect(cluster.ids('booting')).toEqual([]);
  });
});

describe('rollback', () => {
  test('brings back the release before the last deploy, its code pinned, and then the one it replaced', () => {
    const cluster = running(2);
    const none = cluster.ticket();
    cluster.feed({ kind: 'rollback', ticket: none, resolved: null });
    expect(cluster.events.at(-1)?.failure).toBe('nothing to roll back to: no deploy has gone through since naught started');
    cluster.feed({ kind: 'deploy', ticket: cluster.ticket(), request: { count: 3, env: { B: '2' } }, cwd: '/srv/app/current', resolved: { code: { cwd: '/srv/app/releases/2', script: '/srv/app/releases/2/server.js' } } });
    cluster.onlineAll().exitAll(cluster.ids('retiring'));
    const previous = cluster.state.previous!;
    expect(previous.code).toEqual(CODE);
    const ticket = cluster.ticket();
    cluster.feed({ kind: 'rollback', ticket, resolved: { code: previous.code } });
    cluster.onlineAll().exitAll(cluster.ids('retiring'));
    expect(cluster.answers.get(ticket)).toEqual(['ready']);
    expect(cluster.state.workers.map((w) => [w.release.code.cwd, w.release.env])).toEqual([
      [CODE.cwd, { A: '1' }],
      [CODE.cwd, { A: '1' }],
    ]);
    expect(cluster.state.previous?.code.cwd).toBe('/srv/app/releases/2');
    const gone = cluster.ticket();
    cluster.feed({ kind: 'rollback', ticket: gone, resolved: { failure: '/srv/app/releases/2 is gone' } });
    expect(cluster.events.at(-1)?.failure).toBe('the previous release cannot run again: /srv/app/releases/2 is gone');
    expect(cluster.answers.get(gone)).toEqual(['failed']);
  });
});
