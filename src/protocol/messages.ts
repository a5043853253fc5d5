// The vocabulary shared by the CLI, the supervisor and the cluster primary.
// Event names, count keys and `waitingFor` values are naught 1.x's public contract.

export type EventName =
  | 'Bootup'
  | 'SpawnNew'
  | 'NewOnline'
  | 'NewDeath'
  | 'ShutdownOld'
  | 'OldExit'
  | 'Ready'
  | 'Status'
  | 'WorkerOnline'
  | 'WorkerOffline'
  | 'WorkerDeath'
  | 'Timeout'
  | 'DeployFailed'
  | 'DestroyNew'
  | 'NewDestroyed'
  | 'DestroyOld'
  | 'ErrorDeployInProgress'
  | 'ErrorShuttingDown'
  | 'ErrorNoDeployInProgress'
  | 'AlreadyShuttingDown'
  | 'UnrecognizedMessage'
  | 'Shutdown';

export interface Counts {
  booting: number;
  online: number;
  dying: number;
  new_online: number;
}

/** What the primary is waiting for: nothing, new workers online, old workers gone, or the stop. */
export type WaitingFor = null | 'new' | 'old' | 'shutdown';

export interface NaughtEvent {
  event: EventName;
  count: Counts;
  waitingFor: WaitingFor;
}

/** Sent to a Node parent (and to the CLI that started a daemon) once the ipc socket accepts clients. */
export interface IpcListening {
  event: 'IpcListening';
}

/** Sent to the parent instead of IpcListening when the supervisor cannot start. */
export interface StartError {
  event: 'Error';
  value: string;
}

export type ParentMessage = IpcListening | StartError | NaughtEvent;

export interface DeployRequest {
  action: 'deploy';
  /** 0 keeps the current count. */
  workerCount: number;
  /** Merged over the workers' environment; absent keeps it. */
  env?: Record<string, string>;
  /** Seconds before the deploy is aborted. */
  timeout?: number;
  /** Absolute working directory for the new workers; absent keeps it. */
  cwd?: string;
}

export interface StopRequest {
  action: 'stop';
  /** Seconds before workers that ignore 'shutdown' are killed. */
  timeout?: number;
}

export type Request =
  | { action: 'status' }
  | DeployRequest
  | { action: 'deploy-abort' }
  | StopRequest;

export type Action = Request['action'];

/** Supervisor → CLI over the ipc socket. */
export type Reply =
  /** Every state change while the client follows (after deploy, deploy-abort or stop). */
  | ({ type: 'event' } & NaughtEvent)
  /** The answer to `status`. */
  | ({ type: 'status' } & NaughtEvent)
  /** How a deploy, deploy-abort or stop request ended. */
  | { type: 'result'; action: Action; ok: boolean }
  /** The request could not be understood. */
  | { type: 'error'; message: string };
