// Worker health with real processes under real load: a leaking worker is replaced
// online first, a wedged one is cut off and replaced, old ones are recycled in turn.
// The rules themselves, to the millisecond, are in test/unit/machine.test.ts.
import { describe, expect, test } from 'vitest';
import { body } from './helpers/http.js';
import { keepAliveLoad } from './helpers/load.js';
import { NAUGHT, naught, startApp } from './helpers/naught.js';
import { eventually, until } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

describe('worker health', () => {
  const box = useSandbox();

  test('--max-memory: a leaking app is recycled 5 times under 20 keep-alive connections and not one request fails', async () => {
    // A worker starts well under 100 MB and keeps 64 KB per request.
    const { port, fg } = await startApp(box, ['--worker-count', '2', '--max-memory', '100M'], { LEAK_KB: '64' });
    const mark = fg.events.length;
    const load = keepAliveLoad(port, '/worker', 20);
    await until(() => fg.names(mark).filter((name) => name === 'WorkerRecycle').length >= 5, 'five recycles', 50_000);
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    expect(result.ok).toBeGreaterThan(1000);
    const said = /^naught: worker [01] uses \d+(\.\d)? MB \(--max-memory 100 MB\); replacing it, online first$/m;
    await until(() => said.test(fg.stderr), 'the line that says why');
    const status = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout);
    const memory = status.workers.reduce((sum: number, worker: { restartsBy: { memory: number } }) => sum + worker.restartsBy.memory, 0);
    expect(memory).toBeGreaterThanOrEqual(5);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('--worker-timeout: a worker wedged in a loop is cut off, killed and replaced; no request after that reaches it', async () => {
    const { port, fg } = await startApp(box, ['--worker-count', '2', '--worker-timeout', '2']);
    const mark = fg.events.length;
    const wedged = await body(port, '/wedge');
    const hang = await fg.waitFor('WorkerHang', mark, 10_000);
    const said = /^naught: worker [01] hung at [^ ]+server\.js:\d+:\d+: has not answered for \d+(\.\d)? s \(--worker-timeout 2 s\); killed, and replaced$/m;
    // naught's stderr comes through a pipe of its own, a moment after the event.
    await until(() => said.test(fg.stderr), 'the line that says why');
    // Every request from the hang on is answered, and by another process.
    const pids = new Set<string>();
    for (let i = 0; i < 40; i += 1) pids.add(await body(port, '/pid'));
    expect(pids.has(wedged)).toBe(false);
    // Events arrive one message at a time: wait for each kind. The replacement does not wait
    // for the hung worker's stack, so it may be online before WorkerHang; the death comes after it.
    for (const name of ['WorkerOnline', 'Ready']) await fg.waitFor(name, mark, 10_000);
    await fg.waitFor('WorkerDeath', fg.events.indexOf(hang), 10_000);
    expect(fg.names(mark).sort()).toEqual(['Ready', 'SpawnNew', 'WorkerDeath', 'WorkerHang', 'WorkerOnline']);
    const status = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout);
    expect(status.workers.map((w: { restartsBy: { hang: number } }) => w.restartsBy.hang).sort()).toEqual([0, 1]);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('--worker-timeout: naught itself stopped past the timeout (SIGSTOP, a paused VM) kills no worker when it runs again', async () => {
    const { fg } = await startApp(box, ['--worker-count', '2', '--worker-timeout', '2']);
    const mark = fg.events.length;
    fg.child.kill('SIGSTOP');
    // The stimulus: naught stopped for longer than --worker-timeout (its health check is then overdue).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    fg.child.kill('SIGCONT');
    // Answered after the overdue check ran: naught runs its timers before it reads a request.
    const status = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout);
    expect(status.workers.map((w: { restartsBy: { hang: number } }) => w.restartsBy.hang)).toEqual([0, 0]);
    expect(fg.names(mark)).toEqual([]);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('--max-worker-age: workers are recycled in turn; every worker number serves at every moment and no request fails', async () => {
    const { port, fg } = await startApp(box, ['--worker-count', '3', '--max-worker-age', '3']);
    const mark = fg.events.length;
    const load = keepAliveLoad(port, '/worker', 10);
    await until(() => fg.names(mark).filter((name) => name === 'WorkerRecycle').length >= 4, 'four recycles', 30_000);
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    const events = fg.events.slice(mark);
    // Recycling counts as online: three serve throughout, and at most one replacement boots.
    expect(events.every((event) => event.count.online >= 3 && event.count.booting <= 1)).toBe(true);
    const recycled = [...fg.stderr.matchAll(/^naught: worker (\d) is [\d.]+ s old \(--max-worker-age 3 s\); replacing it, online first$/gm)].map((m) => Number(m[1]));
    expect(recycled.slice(0, 3).sort()).toEqual([0, 1, 2]);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test("the agent's pings never reach the app's own message handler; the agent is left out only when none of its jobs applies", async () => {
    const { port, fg } = await startApp(box, ['--worker-timeout', '2']);
    const mark = fg.events.length;
    // Pings go every 500 ms; once answers have come a while after 'online', none has been seen by the app.
    const answered = async (): Promise<boolean> => {
      const [worker] = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout).workers;
      return worker.uptimeMs > 1500 && worker.silentForMs < 700;
    };
    await eventually(answered, 'answers to pings');
    expect(JSON.parse(await body(port, '/messages'))).toEqual([]);
    expect(fg.names(mark)).toEqual([]);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });

    // Without pings it still writes the output naught captures.
    const quiet = await startApp(box, ['--worker-timeout', 'none']);
    // With node's inspector flags (SIGUSR1 opens it for naught alone: docs/diagnostics.md); node:cluster adds the port.
    expect(JSON.parse(await body(quiet.port, '/execArgv'))).toEqual(['--inspect-publish-uid=stderr', '--require', NAUGHT.replace(/naught\.js$/, 'agent.js'), '--inspect-port=0']);
    expect(await quiet.fg.stop()).toEqual({ code: 0, signal: null });
    const off = await startApp(box, ['--worker-timeout', 'none', '--drain-timeout', '0', '--stdout', '/dev/null', '--stderr', '/dev/null', '--balance', 'round-robin']);
    expect(JSON.parse(await body(off.port, '/execArgv'))).toEqual([]);
    expect(await off.fg.stop()).toEqual({ code: 0, signal: null });
  });
});
