// The same naught command run again in a new node process: the detached daemon of
// `--daemon-mode true`, and the copy that carries --node-args. A variable in the
// copy's environment says which it is; the copy removes it before any worker
// could inherit it.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { withEngineFlags } from '../host/engine.js';

/** The successor of `naught upgrade` is marked the same way, with its predecessor's pid (supervisor/successor-process.ts). */
export type Rerun = 'NAUGHT_DAEMON_CHILD' | 'NAUGHT_RELAUNCHED';

export function rerun(as: Rerun, nodeArgs: readonly string[], options: Pick<SpawnOptions, 'stdio' | 'detached'>): ChildProcess {
  // Same node flags (and the supervisor's own), same script, same arguments: `ps` shows what the operator typed.
  return spawn(process.execPath, [...withEngineFlags(process.execArgv), ...nodeArgs, process.argv[1]!, ...process.argv.slice(2)], {
    ...options,
    env: { ...process.env, [as]: '1' },
  });
}

/** True in a copy run `as` this, once: the marker is gone afterwards. */
export function isRerun(as: Rerun): boolean {
  const flag = process.env[as] === '1';
  delete process.env[as];
  return flag;
}
