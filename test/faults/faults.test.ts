// Fault injection: each process (naught, an old worker, a new worker, the deploy
// command) is killed with SIGKILL in each phase (first boot, new workers booting,
// old workers draining, stopping), under continuous HTTP load and logging. After
// each fault these invariants are checked:
// - serving: the old workers keep serving until the new ones are online; the only
//   requests lost are those in flight on a killed worker that was serving;
// - no orphan: no process of the test is left (also checked after every test);
// - no lost log line: every line a worker wrote before it answered is in the log
//   file once, and none is torn (when naught itself survives: a killed reader
//   takes with it what was still in the pipe);
// - naught answers `status` afterwards: the same naught, or, when naught was
//   killed, a plain `naught start` run again in the same place.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { get } from '../helpers/http.js';
import { Foreground, naught, naughtRunning, startApp } from '../helpers/naught.js';
import { isAlive, processesUnder, until, workerPids } from '../helpers/processes.js';
import { useSandbox } from '../helpers/sandbox.js';

type Phase = 'first boot' | 'new workers booting' | 'old workers draining' | 'stopping';
type Victim = 'naught' | 'an old worker' | 'a new worker' | 'the deploy command';
/** How the operation under way ends after the fault. */
type Outcome = 'deployed' | 'deploy failed' | 'stopped' | 'boot failed' | 'naught gone';

const CASES: Array<[Phase, Victim, Outcome]> = [
  ['first boot', 'naught', 'naught gone'],
  ['first boot', 'a new worker', 'boot failed'],
  ['new workers booting', 'naught', 'naught gone'],
  ['new workers booting', 'an old worker', 'deployed'],
  ['new workers booting', 'a new worker', 'deploy failed'],
  ['new workers booting', 'the deploy command', 'deployed'],
  ['old workers draining', 'naught', 'naught gone'],
  ['old workers draining', 'an old worker', 'deployed'],
  ['old workers draining', 'a new worker', 'deployed'],
  ['old workers draining', 'the deploy command', 'deployed'],
  ['stopping', 'naught', 'naught gone'],
  ['stopping', 'an old worker', 'stopped'],
];

const WORKERS = 2;
const CLIENTS = 4;
const LINES_PER_REQUEST = 3;

/** Requests on fresh connections that each make a worker log numbered lines, until stopped. */
function loggingLoad(port: number) {
  const acknowledged: string[] = [];
  const failures: string[] = [];
  let running = true;
  const client = async (id: number): Promise<void> => {
    for (let seq = 0; running; seq += 1) {
      const tag = `c${id}-${seq}`;
      try {
        const response = await get(port, `/say?tag=${tag}&count=${LINES_PER_REQUEST}`);
        if (response.status === 200) acknowledged.push(tag);
        else failures.push(`status ${response.status}`);
      } catch (error) {
        failures.push((error as NodeJS.ErrnoException).code ?? String(error));
      }
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, id) => client(id));
  return {
    acknowledged,
    failures,
    async stop() {
      running = false;
      await Promise.all(clients);
    },
  };
}

describe('fault injection: SIGKILL of each process in each phase', () => {
  const box = useSandbox();

  test.each(CASES)('%s: %s killed → %s', async (phase, victim, outcome) => {
    // Workers that ignore 'shutdown' keep the draining and stopping phases open until their timeout.
    const holds = phase === 'old workers draining' || phase === 'stopping';
    const booting = phase === 'first boot';
    // Booting workers boot until the fault is done (BOOT_GATE), so the phase is the one named.
    const gate = box.path('boot');
    const { port, fg } = await startApp(
      box,
      ['--worker-count', String(WORKERS), '--stop-timeout', '2'],
      { SHUTDOWN: holds ? 'ignore' : 'graceful', ...(booting ? { BOOT_GATE: gate } : {}) },
      !booting,
    );
    const load = booting ? null : loggingLoad(port);
    if (load !== null) await until(() => load.acknowledged.length > 20, 'the load to be served');
    const old = booting ? [] : workerPids(box.dir);

    // Bring the phase about.
    let deploy: ReturnType<typeof naughtRunning> | null = null;
    let stop: ReturnType<typeof naughtRunning> | null = null;
    const mark = fg.events.length;
    if (phase === 'first boot') {
      await until(() => fg.names().filter((n) => n === 'SpawnNew').length === WORKERS, 'the workers to be spawned');
    } else if (phase === 'new workers booting') {
      box.installApp('v2');
      deploy = naughtRunning(['deploy'], { cwd: box.dir, env: { BOOT_GATE: gate } });
      await until(() => fg.names(mark).filter((n) => n === 'SpawnNew').length === WORKERS, 'the new workers to be spawned');
    } else if (phase === 'old workers draining') {
      box.installApp('v2');
      deploy = naughtRunning(['deploy', '--timeout', '3'], { cwd: box.dir, env: { SHUTDOWN: 'graceful' } });
      await until(() => fg.events.at(-1)?.count.dying === WORKERS, 'the old workers to drain');
    } else {
      stop = naughtRunning(['stop', '--timeout', '2'], { cwd: box.dir });
      await until(() => fg.events.at(-1)?.count.dying === WORKERS, 'the workers to be told to shut down');
    }
    // A worker just forked still shows naught's command line until it execs node: wait for the exec.
    const freshPids = () => workerPids(box.dir).filter((pid) => !old.includes(pid));
    if (phase === 'first boot' || phase === 'new workers booting') await until(() => freshPids().length === WORKERS, 'the new workers to exec');
    const fresh = freshPids();
    const target = {
      naught: fg.child.pid!,
      'an old worker': old[0]!,
      'a new worker': fresh[0]!,
      'the deploy command': deploy?.child.pid ?? 0,
    }[victim];
    expect(target).toBeGreaterThan(0);
    const servedBefore = load?.acknowledged.length ?? 0;
    const failedBefore = load?.failures.length ?? 0;
    const allWorkers = [...old, ...fresh];
    process.kill(target, 'SIGKILL');
    writeFileSync(gate, '');

    if (outcome === 'naught gone') {
      await fg.exited;
      // No orphan: the reaper ends every worker, in whatever state.
      await until(() => allWorkers.every((pid) => !isAlive(pid)), 'every worker to be gone', 5_000);
      await until(() => processesUnder(box.dir).every((p) => p.pid === deploy?.child.pid || p.pid === stop?.child.pid), 'nothing but the commands left');
      if (deploy !== null) expect((await deploy.result).code).toBe(1);
      if (stop !== null) expect((await stop.result).code).toBe(1);
      await load?.stop();
      // A plain start works again and answers.
      const again = new Foreground(['start', '--worker-count', String(WORKERS), 'server.js'], { cwd: box.dir, env: { PORT: String(port) } });
      await again.waitFor('Ready');
      expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: `workers online: ${WORKERS}\n` });
      expect(await again.stop()).toEqual({ code: 0, signal: null });
      return;
    }

    if (outcome === 'boot failed') {
      expect(await fg.exited).toEqual({ code: 1, signal: null });
      expect(fg.stderr).toContain('The server crashed without booting.');
      return;
    }

    if (outcome === 'stopped') {
      expect(await fg.exited).toEqual({ code: 0, signal: null });
      expect(await stop!.result).toMatchObject({ code: 0 });
      await load!.stop();
    } else {
      await fg.waitFor(outcome === 'deployed' ? 'Ready' : 'DeployFailed', mark, 15_000);
      if (victim !== 'the deploy command') expect((await deploy!.result).code).toBe(outcome === 'deployed' ? 0 : 1);
      // Served after the fault, and naught answers.
      await until(() => load!.acknowledged.length > servedBefore + 20, 'requests to be served after the fault');
      expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: `workers online: ${WORKERS}\n` });
      await load!.stop();
      expect(await fg.stop()).toEqual({ code: 0, signal: null });
    }

    // Serving: only a killed worker that was serving may take requests in flight with it.
    // (A stop refuses new connections once every worker has stopped listening: that is what a stop is.)
    // An old worker that drains still answers what reached it before it stopped accepting.
    if (phase !== 'stopping') {
      const serving = (phase === 'new workers booting' && victim === 'an old worker') || phase === 'old workers draining';
      expect(load!.failures.slice(0, failedBefore)).toEqual([]);
      expect(load!.failures.slice(failedBefore).length).toBeLessThanOrEqual(serving ? CLIENTS : 0);
    }

    // No lost and no torn log line: every acknowledged request's lines, once each.
    const logged = readFileSync(box.path('stdout.log'), 'utf8').split('\n');
    expect(logged.pop()).toBe('');
    const said = logged.filter((line) => /^c\d/.test(line));
    for (const line of said) expect(line).toMatch(/^c\d+-\d+ \d+ x*$/);
    const counts = new Map<string, number>();
    for (const line of said) {
      const key = line.split(' ').slice(0, 2).join(' ');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const tag of load!.acknowledged) {
      for (let i = 0; i < LINES_PER_REQUEST; i += 1) expect(counts.get(`${tag} ${i}`), `${tag} ${i}`).toBe(1);
    }
  });
});
