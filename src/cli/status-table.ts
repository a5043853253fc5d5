// `naught status` on a terminal: naught's own line, then a table of the workers,
// coloured by state (kleur, which stays plain when NO_COLOR is set).
import kleur from 'kleur';
import { hungWhere } from '../protocol/diagnostics.js';
import { crashLoopText, statusText } from '../protocol/event-line.js';
import { printable } from '../protocol/printable.js';
import type { NaughtEvent, StatusDetail, WorkerDetail } from '../protocol/messages.js';
import { clockText, megabytesText, percentText } from '../protocol/quantities.js';

const STATE_COLOUR: Record<WorkerDetail['state'], (text: string) => string> = {
  online: kleur.green,
  recycling: kleur.green,
  new_online: kleur.green,
  booting: kleur.yellow,
  draining: kleur.magenta,
  dying: kleur.magenta,
  hung: kleur.red,
  destroying: kleur.red,
};

/** `2`, or with why when not every one was a crash: `3 (1 crash, 2 memory)`. */
function restartsText({ restarts, restartsBy }: WorkerDetail): string {
  if (restarts === restartsBy.crash) return String(restarts);
  const reasons = Object.entries(restartsBy).filter(([, count]) => count > 0);
  return `${restarts} (${reasons.map(([reason, count]) => `${count} ${reason}`).join(', ')})`;
}

export function statusTable(status: NaughtEvent, detail: StatusDetail): string {
  const { supervisor } = detail;
  const head = `naught  pid ${supervisor.pid}  ${supervisor.mode}  up ${clockText(supervisor.uptimeMs)}`;
  const [summary] = statusText({ ...status, crashLoops: [] }).split('\n');
  const operation = supervisor.operation === null ? '' : `  (${supervisor.operation.kind} for ${clockText(supervisor.operation.forMs)})`;
  const rows = [
    ['#', 'pid', 'state', 'release', 'uptime', 'restarts', 'memory', 'requests', '5xx', 'last exit'],
    ...detail.workers.map((w) => [
      String(w.number),
      String(w.pid ?? '–'),
      w.state,
      w.release,
      clockText(w.uptimeMs),
      restartsText(w),
      megabytesText(w.memoryBytes),
      w.requests === null ? '–' : String(w.requests.total),
      w.requests === null || w.requests.total === 0 ? '–' : percentText(w.requests.byClass['5xx'] / w.requests.total),
      w.lastExit ?? '–',
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row, index) => {
    const cells = row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)));
    if (index === 0) return kleur.dim(cells.join('  '));
    const worker = detail.workers[index - 1]!;
    cells[2] = STATE_COLOUR[worker.state](cells[2]!);
    if (worker.requests !== null && worker.requests.byClass['5xx'] > 0) cells[8] = kleur.red(cells[8]!);
    if (worker.lastExit !== null) cells[9] = kleur.red(cells[9]!);
    return cells.join('  ');
  });
  const loops = (status.crashLoops ?? []).map((loop) => kleur.red(crashLoopText(loop)));
  const deaths = detail.workers.flatMap((worker) => deathLine(worker) ?? []).map((line) => kleur.red(line));
  return [kleur.bold(head), `${summary}${operation}`, ...lines, ...deaths, ...loops, ''].join('\n');
}

/** Why worker n's last one died, when naught can say: where it hung, or the line of its stderr that names an error (none: no line). */
function deathLine({ number, lastExit, lastStderr, lastStack }: WorkerDetail): string | null {
  if (lastExit === null) return null;
  if (lastExit.startsWith('hung') && lastStack !== null) {
    const where = hungWhere(lastStack);
    return where === null ? null : `worker ${number} ${where}${'report' in lastStack && lastStack.report !== null ? `; report ${printable(lastStack.report)}` : ''}`;
  }
  const lines = (lastStderr ?? []).filter((line) => line.trim() !== '' && !/^Node\.js v\d/.test(line));
  const telling = lines.findLast((line) => /^\w*(Error|Exception)\b/.test(line));
  return telling === undefined ? null : `worker ${number} ${lastExit}: ${printable(telling)}`;
}
