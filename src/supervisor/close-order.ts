// What the supervisor opened, closed on every path (a stop, a failed boot, a start that
// failed half-way) in the reverse order of opening: what was opened on top of something
// goes first. So the last lines of the last workers go out before the log files close,
// and the event sinks, opened first, close last of all.

export class CloseOrder {
  readonly #closes: Array<() => void | Promise<void>> = [];

  /** `close` runs at the end, before what was added earlier. */
  add(close: () => void | Promise<void>): void {
    this.#closes.push(close);
  }

  async close(): Promise<void> {
    for (let close = this.#closes.pop(); close !== undefined; close = this.#closes.pop()) await close();
  }
}
