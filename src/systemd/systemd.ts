// naught as a systemd service: every event becomes the notifications systemd
// expects, derived from what the primary is waiting for before and after it.
//
//   boot done (new → nothing)        READY=1
//   deploy begins (nothing → new)    RELOADING=1 + MONOTONIC_USEC
//   deploy ends (new/old → nothing)  READY=1, whether it succeeded or failed
//   stop begins (→ shutdown)         STOPPING=1
//   every event                      STATUS=<one line>
//   while starting, deploying, stopping  EXTEND_TIMEOUT_USEC, so systemd's
//                                    timeouts only fire once progress stops
// systemd moves its watchdog deadline by EXTEND_TIMEOUT_USEC as well as the job's
// (service_extend_timeout() in src/core/service.c), so the window is short and never
// longer than the watchdog's own: a naught that wedges mid-deploy is still caught.
// A daemon sends no MAINPID=: sent while the CLI that forked it is alive, it makes
// systemd (252) mark the main pid "alien" for good, and under KillMode=mixed an
// alien main pid gets SIGKILL without the SIGTERM grace. Type=forking with
// PIDFile= names the daemon instead, once it is systemd's own child.
import type { NaughtEvent, WaitingFor } from '../protocol/messages.js';
import { statusLine } from './status-line.js';
import { openTransport, type Message, type Transport, type TransportName } from './transport.js';
import { watchdogInterval } from './watchdog.js';

/** How long systemd should wait for the next sign of progress (an event) before its own timeouts apply again. */
export const PROGRESS_WINDOW_USEC = 5_000_000;

export interface SystemdOptions {
  env: NodeJS.ProcessEnv;
  /** True when systemd started our parent, a naught CLI, rather than this process. */
  startedByNaught: boolean;
  /** Why the last deploy failed. */
  failure(): string | null;
  report(message: string): void;
  /** A line for the operator, in naught's log as well as on its console. */
  notice(message: string): void;
}

export class Systemd {
  private previous: WaitingFor = null;
  private booted = false;
  private readonly watchdog: NodeJS.Timeout | undefined;
  private readonly progressWindowUsec: number;

  /** Null when naught does not run under a service manager that listens. */
  static connect(options: SystemdOptions): Systemd | null {
    if (!options.env.NOTIFY_SOCKET) return null;
    return new Systemd(openTransport(options.env, options.report), options);
  }

  private constructor(
    private readonly transport: Transport,
    private readonly options: SystemdOptions,
  ) {
    // Said once, so an operator can tell whether the addon works (and why not).
    options.notice(transport.choice);
    const owners = options.startedByNaught ? [process.pid, process.ppid] : [process.pid];
    const interval = watchdogInterval(options.env, owners);
    if (interval !== null) this.watchdog = setInterval(() => transport.send({ WATCHDOG: '1' }), interval);
    // The ping interval is half of WATCHDOG_USEC.
    this.progressWindowUsec = interval === null ? PROGRESS_WINDOW_USEC : Math.min(PROGRESS_WINDOW_USEC, interval * 2000);
  }

  get transportName(): TransportName {
    return this.transport.name;
  }

  onEvent(event: NaughtEvent): void {
    const was = this.previous;
    const now = event.waitingFor;
    this.previous = now;
    const message: Message = {};
    if (now === 'shutdown' && was !== 'shutdown') {
      message.STOPPING = '1';
    } else if (now === null && (was === 'new' || was === 'old')) {
      message.READY = '1';
      this.booted = true;
    } else if (now === 'new' && was === null && this.booted) {
      message.RELOADING = '1';
      // CLOCK_MONOTONIC, which systemd 253+ requires with RELOADING=1.
      message.MONOTONIC_USEC = String(process.hrtime.bigint() / 1000n);
    }
    message.STATUS = statusLine(event, this.options.failure());
    if (now !== null) message.EXTEND_TIMEOUT_USEC = String(this.progressWindowUsec);
    this.transport.send(message);
  }

  /** Stops the watchdog and waits for the last notifications to go out. */
  async close(): Promise<void> {
    clearInterval(this.watchdog);
    await this.transport.flush();
  }
}
