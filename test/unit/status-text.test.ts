import { describe, expect, test } from 'vitest';
import { statusText } from '../../src/protocol/event-line.js';
import { workerRequests } from '../../src/protocol/http-figures.js';
import { statusTable } from '../../src/cli/status-table.js';
import { statusLine } from '../../src/systemd/status-line.js';
import type { NaughtEvent, StatusDetail, WorkerDetail } from '../../src/protocol/messages.js';

const OPERATION_OF = { null: null, boot: 'boot', new: 'deploy', old: 'deploy', shutdown: 'stop' } as const;

/** `boot` is the first start: waiting for new workers, with the boot as its operation. */
const status = (waiting: keyof typeof OPERATION_OF, booting: number, online: number, dying: number, new_online: number): NaughtEvent => {
  const kind = OPERATION_OF[waiting];
  return {
    event: 'Status',
    waitingFor: waiting === 'null' ? null : waiting === 'boot' ? 'new' : waiting,
    operation: kind === null ? null : { kind },
    count: { booting, online, dying, new_online },
  };
};

describe('statusText', () => {
  test.each([
    [status('null', 0, 4, 0, 0), 'workers online: 4\n'],
    [status('boot', 2, 0, 0, 1), 'booting\nbooting: 2, online: 0, dying: 0, new_online: 1\n'],
    [status('null', 1, 3, 0, 0), 'booting\nbooting: 1, online: 3, dying: 0, new_online: 0\n'],
    [status('new', 2, 2, 0, 0), 'deploy in progress\nbooting: 2, online: 2, dying: 0, new_online: 0\n'],
    // A deploy while every old worker waits for its crash-loop restart is still a deploy.
    [status('new', 2, 0, 0, 0), 'deploy in progress\nbooting: 2, online: 0, dying: 0, new_online: 0\n'],
    [status('old', 0, 0, 2, 2), 'deploy in progress\nbooting: 0, online: 0, dying: 2, new_online: 2\n'],
    [status('shutdown', 0, 0, 3, 0), 'shutting down\nbooting: 0, online: 0, dying: 3, new_online: 0\n'],
    [
      { ...status('null', 0, 3, 0, 0), crashLoops: [{ worker: 2, crashes: 5, restartInMs: 7200 }, { worker: 3, crashes: 2, restartInMs: null }] },
      'workers online: 3\nworker 2 crash-looping, next restart in 8 s\nworker 3 crash-looping, starting again now\n',
    ],
  ])('%j', (event, text) => {
    expect(statusText(event)).toBe(text);
  });
});

describe('statusTable', () => {
  test('restarts say why when not every one was a crash', () => {
    const worker = (number: number, restartsBy: WorkerDetail['restartsBy'], requests: WorkerDetail['requests'] = null): WorkerDetail => ({
      number,
      pid: 100 + number,
      state: 'online',
      release: 'current',
      directory: '/srv/app',
      uptimeMs: 1000,
      silentForMs: 10,
      restarts: Object.values(restartsBy).reduce((a, b) => a + b, 0),
      restartsBy,
      memoryBytes: null,
      cpuSeconds: null,
      loopDelay: null,
      lastExit: null,
      lastStderr: null,
      lastStack: null,
      requests,
    });
    const none = { crash: 0, offline: 0, memory: 0, hang: 0, age: 0 };
    const served = workerRequests({ byClass: [0, 190, 0, 0, 10], buckets: [200, ...Array(14).fill(0)], sumSeconds: 0.05 });
    const detail: StatusDetail = {
      supervisor: { pid: 1, mode: 'foreground', node: 'v24.0.0', uptimeMs: 1000, operation: null, notify: null, sockets: [], restartsBy: { ...none, crash: 3, memory: 2 }, workerCount: { given: 2, count: 2, availableCpus: 2, cpuQuota: null }, bootNice: 10, bootIdle: true, releases: { current: { id: 0, directory: '/srv/app', script: '/srv/app/server.js', workers: 2 }, previous: null } },
      workers: [worker(0, { ...none, crash: 2 }), worker(1, { ...none, crash: 1, memory: 2 }, served)],
    };
    const rows = statusTable(status('null', 0, 2, 0, 0), detail)
      .replace(/\x1b\[[0-9;]*m/g, '')
      .split('\n')
      .filter((line) => /^[01] /.test(line));
    expect(rows.map((row) => row.split(/\s{2,}/)[5])).toEqual(['2', '3 (1 crash, 2 memory)']);
    // Requests and the 5xx share; – for a worker without figures (no agent, no HTTP server).
    expect(rows.map((row) => row.split(/\s{2,}/).slice(7, 9))).toEqual([
      ['–', '–'],
      ['200', '5.0%'],
    ]);
  });

  test("under the table, why each worker's last one died: where it hung, or the line of its stderr that names the error", () => {
    const none = { crash: 0, offline: 0, memory: 0, hang: 0, age: 0 };
    const base = { pid: 7, state: 'online', release: 'current', directory: '/srv/app', uptimeMs: 1000, silentForMs: 10, restarts: 1, restartsBy: none, memoryBytes: null, cpuSeconds: null, loopDelay: null, requests: null } as const;
    const crashed: WorkerDetail = { ...base, number: 0, lastExit: 'exited with code 1', lastStderr: ['about to throw', 'Error: boom', '    at x (/srv/app/server.js:1:1)', '', 'Node.js v26.12.1'], lastStack: null };
    const hung: WorkerDetail = { ...base, number: 1, lastExit: 'hung, then was killed by SIGTERM', lastStderr: null, lastStack: { frames: [{ fn: 'spin', file: '/srv/app/server.js', line: 3, column: 5 }], report: '/var/log/app/hang.json' } };
    const quiet: WorkerDetail = { ...base, number: 2, lastExit: 'was killed by SIGKILL', lastStderr: [], lastStack: null };
    const detail: StatusDetail = {
      supervisor: { pid: 1, mode: 'foreground', node: 'v26.0.0', uptimeMs: 1000, operation: null, notify: null, sockets: [], restartsBy: none, workerCount: { given: 3, count: 3, availableCpus: 2, cpuQuota: null }, bootNice: 0, bootIdle: false, releases: { current: { id: 0, directory: '/srv/app', script: '/srv/app/server.js', workers: 3 }, previous: null } },
      workers: [crashed, hung, quiet],
    };
    const lines = statusTable(status('null', 0, 3, 0, 0), detail).replace(/\x1b\[[0-9;]*m/g, '').split('\n');
    expect(lines.filter((line) => line.startsWith('worker '))).toEqual(['worker 0 exited with code 1: Error: boom', 'worker 1 hung in spin (/srv/app/server.js:3:5); report /var/log/app/hang.json']);
  });
});

describe('statusLine', () => {
  test('a canary: what it is judged by while it serves, and why it is rolled back', () => {
    const event = (name: NaughtEvent['event'], extra: Partial<NaughtEvent>): NaughtEvent => ({ ...status('old', 0, 3, 0, 0), event: name, ...extra });
    expect(statusLine(event('CanaryStart', { canary: { workers: '0', windowMs: 10_000, old: 2 } }))).toBe('deploying: canary (worker 0) judged for 10 s beside 2 old workers');
    expect(statusLine(event('CanaryStart', { canary: { workers: '0–1', windowMs: 30_000, old: 1 } }))).toBe('deploying: canary (workers 0–1) judged for 30 s beside 1 old worker');
    expect(statusLine(event('CanaryFailed', { failure: 'canary worker 0 exited with code 1' }))).toBe('deploying: canary failed (canary worker 0 exited with code 1); rolling back');
  });
});
