// What the ipc requests and the signals do to the cluster primary, and how each
// requester is answered.
import type { Outcome } from '../cluster/machine.js';
import type { Primary } from '../cluster/primary.js';
import { autoWorkerCount } from '../cluster/cpu-quota.js';
import { cpuSeconds, residentBytes } from '../host/process-usage.js';
import type { Answer, StatusDetail, UpgradeRequest } from '../protocol/messages.js';
import type { Client, RequestHandler } from './ipc-server.js';
import { serveExamination } from './examine.js';
import { serveLogs, type OutputLogs } from './logs.js';
import type { SignalActions } from './signals.js';

/** What a client is told for each answer of the machine. */
const ANSWERS: Readonly<Record<Outcome, Answer>> = {
  ready: 'deployed',
  failed: 'deploy-failed',
  stopped: 'deploy-failed',
  busy: 'deploy-busy',
  stopping: 'deploy-refused',
  aborted: 'aborted',
  'too-late': 'abort-too-late',
  'nothing-to-abort': 'nothing-to-abort',
  'already-stopping': 'already-stopping',
};

/** What the status detail says of naught itself beside the primary's own state. */
export type SupervisorFacts = Pick<StatusDetail['supervisor'], 'mode' | 'notify' | 'sockets' | 'workerCount' | 'bootNice' | 'bootIdle'>;

export function requestHandler(
  primary: Primary,
  facts: SupervisorFacts,
  outputLogs: OutputLogs,
  upgrade: (request: UpgradeRequest, client: Client) => void,
): RequestHandler {
  return (request, client) => {
    if (request.action === 'status') {
      client.send({ type: 'status', ...primary.status(), ...(request.detail ? { detail: statusDetail(primary, facts) } : {}) });
      return;
    }
    if (request.action === 'logs') return void serveLogs(request, client, outputLogs);
    if (request.action === 'examine') return void serveExamination(request, client, primary);
    client.follow();
    const answer = (value: Outcome): void => client.send({ type: 'answer', answer: ANSWERS[value] });
    switch (request.action) {
      case 'deploy': {
        const { action, workerCount, ...changes } = request;
        primary.deploy({ ...changes, count: workerCount === 'auto' ? autoWorkerCount().count : workerCount }, answer);
        break;
      }
      case 'rollback':
        primary.rollback(answer);
        break;
      case 'deploy-abort':
        primary.abortDeploy(answer);
        break;
      case 'stop':
        // The stop's end is its Shutdown event; naught exits right after.
        void primary.stop(request.timeoutMs, answer);
        break;
      case 'upgrade':
        upgrade(request, client);
        break;
    }
  };
}

/** `stopTimeoutMs`: how long a stop by signal waits for 'shutdown' before the workers are killed. */
export function signalActions(primary: Primary, reopenLogs: () => void, stopTimeoutMs: number | undefined): SignalActions {
  return {
    reopenLogs,
    deploy: () => primary.deploy({}, () => {}),
    stop: () => primary.stopBySignal(stopTimeoutMs),
  };
}

/** What `naught status --json` says, and what the metrics are read from. */
export function statusDetail(primary: Primary, facts: SupervisorFacts): StatusDetail {
  const { operation, workers, releases } = primary.detail();
  return {
    supervisor: { pid: process.pid, node: process.version, ...facts, uptimeMs: Math.round(process.uptime() * 1000), operation, releases, restartsBy: primary.restarts() },
    workers: workers.map((worker) => ({
      ...worker,
      memoryBytes: worker.pid === null ? null : residentBytes(worker.pid),
      cpuSeconds: worker.pid === null ? null : cpuSeconds(worker.pid),
    })),
  };
}
