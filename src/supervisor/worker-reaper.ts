// No worker outlives a naught killed with SIGKILL, even on a bare VM with no
// cgroup to clean up.
//
// node:cluster already ends a connected worker when the primary's channel closes,
// but not one naught had disconnected (a worker draining after 'shutdown'), nor
// one whose event loop is stuck; and nothing in a dead process can act. So a
// small shell process holds the other end of a pipe from naught and the list of
// worker pids: when the pipe reaches end of file without the word that naught
// exited cleanly, naught is gone, and it sends SIGTERM to the workers left, then
// SIGKILL to those still there after the grace (the stop timeout). Puma's workers
// watch a pipe the same way; a shell costs about a megabyte where a node costs 40.
import { spawn, type ChildProcess } from 'node:child_process';

/**
 * `+pid` and `-pid` lines add and remove workers; `done` says naught is exiting
 * on purpose. Signals that reach the whole process group (Ctrl+C, a group kill)
 * are ignored: the reaper must outlive naught to do its job.
 */
const SCRIPT = `
trap '' HUP INT TERM USR2
grace=$1
pids=' '
while read -r line; do
  case $line in
    done) exit 0 ;;
    +*) pids="$pids\${line#+} " ;;
    -*) pid=\${line#-}; case $pids in *" $pid "*) pids="\${pids%% $pid *} \${pids#* $pid }" ;; esac ;;
  esac
done
set -- $pids
[ $# -eq 0 ] && exit 0
kill -TERM "$@" 2>/dev/null
[ "$grace" = none ] && exit 0
waited=0
while [ "$waited" -lt "$grace" ]; do
  alive=
  for pid; do kill -0 "$pid" 2>/dev/null && alive="$alive $pid"; done
  [ -z "$alive" ] && exit 0
  set -- $alive
  sleep 0.1
  waited=$((waited + 100))
done
kill -KILL "$@" 2>/dev/null
exit 0
`;

export class WorkerReaper {
  private constructor(private readonly child: ChildProcess) {}

  /**
   * Starts the reaper; `graceMs` is how long the workers left get between SIGTERM
   * and SIGKILL (undefined: SIGTERM only). Null as PID 1, where none is needed; and,
   * after a report, when no shell can be started: naught then runs unguarded rather
   * than not at all.
   */
  static start(graceMs: number | undefined, report: (message: string) => void): WorkerReaper | null {
    // As PID 1 (a container), naught's death ends its PID namespace: the kernel kills
    // every process in it (pid_namespaces(7)), the workers and a reaper alike.
    if (process.pid === 1) return null;
    const grace = graceMs === undefined ? 'none' : String(Math.round(graceMs));
    // Its own process group: a group signal aimed at naught's workers (or at naught) does not reach it.
    const child = spawn('/bin/sh', ['-c', SCRIPT, 'naught-reaper', grace], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    if (child.pid === undefined) {
      child.on('error', () => {});
      report('naught: cannot start /bin/sh to end the workers if naught is killed; a SIGKILL of naught may leave workers running');
      return null;
    }
    // If the reaper is gone, writes to it fail; the workers are then simply unguarded.
    child.stdin!.on('error', () => {});
    child.unref();
    (child.stdin as unknown as { unref(): void }).unref();
    return new WorkerReaper(child);
  }

  /** Guards a worker for as long as it runs. */
  watch(worker: ChildProcess): void {
    const { pid } = worker;
    if (pid === undefined) return;
    this.tell(`+${pid}`);
    worker.once('exit', () => this.tell(`-${pid}`));
  }

  /** naught exits on purpose: the reaper leaves without touching anything. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.stdin!.end('done\n');
    });
  }

  private tell(line: string): void {
    if (this.child.stdin!.writable) this.child.stdin!.write(`${line}\n`);
  }
}
