// The diagnostic reports of workers naught killed for hanging (cluster/worker-inspector.ts
// takes them), kept as files beside naught.log (--report-dir): the newest KEPT_REPORTS,
// so that a worker that hangs again and again cannot fill the disk.
import { readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const KEPT_REPORTS = 20;

const REPORT_NAME = /^hang-\d{8}T\d{9}Z-worker\d+\.json$/;

/** Keeps `report` of worker `number` in `dir`; says where, or null when there is no directory or it could not (`say` tells why). */
export function hangReportKeeper(dir: string | null, mode: number, say: (line: string) => void): (number: number, report: string) => string | null {
  return (number, report) => {
    if (dir === null) return null;
    // 20261207T021502123Z: sorts as it happened.
    const stamp = new Date().toISOString().replace(/[-:.]/g, '');
    const file = path.join(dir, `hang-${stamp}-worker${number}.json`);
    try {
      writeFileSync(file, report, { mode, flag: 'wx' });
      const kept = readdirSync(dir).filter((name) => REPORT_NAME.test(name)).sort();
      for (const old of kept.slice(0, -KEPT_REPORTS)) unlinkSync(path.join(dir, old));
      return file;
    } catch (error) {
      say(`naught: cannot keep worker ${number}'s report in ${dir}: ${(error as Error).message}`);
      return null;
    }
  };
}
