// A real Prometheus (Debian's package) scrapes naught's --metrics every second
// through a deploy, a failed deploy, a crash and a canary deploy, and its HTTP API
// answers with the series naught serves; promtool accepts the text naught serves.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { body, freePort, get } from '../helpers/http.js';
import { naught, startApp } from '../helpers/naught.js';
import { eventually } from '../helpers/processes.js';
import { useSandbox } from '../helpers/sandbox.js';

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

describe('Prometheus scrapes naught', () => {
  const box = useSandbox();

  test('through a deploy, a failed deploy, a crash and a canary deploy: the series, their labels and their values as Prometheus stores them', async () => {
    const metricsPort = await freePort();
    const { port, fg } = await startApp(box, ['--worker-count', '2', '--metrics', String(metricsPort), '--stdout', '/dev/null', '--stderr', '/dev/null']);
    const prometheus = await startPrometheus(box, metricsPort);
    try {
      const query = async (expression: string): Promise<Sample[]> => {
        const answer = JSON.parse(await body(prometheus.port, `/api/v1/query?query=${encodeURIComponent(expression)}`));
        expect(answer.status).toBe('success');
        return answer.data.result as Sample[];
      };
      const value = async (expression: string): Promise<number | null> => {
        const [first] = await query(expression);
        return first === undefined ? null : Number(first.value[1]);
      };
      await eventually(async () => (await value('up{job="naught"}')) === 1, 'Prometheus to scrape naught', 30_000);

      // The new workers take 3 s to come online: Prometheus scrapes the deploy under way.
      box.installApp('v2');
      expect(await naught(['deploy'], { cwd: box.dir, env: { BOOT_DELAY_MS: '3000' } })).toMatchObject({ code: 0 });
      box.installApp('v3');
      expect(await naught(['deploy', '--timeout', '1'], { cwd: box.dir, env: { BOOT_DELAY_MS: '3000' } })).toMatchObject({ code: 1 });
      const mark = fg.events.length;
      await body(port, '/crash');
      await fg.waitFor('WorkerOnline', mark);

      await eventually(async () => (await value('naught_worker_restarts_total{reason="crash"}')) === 1, 'the crash to be scraped', 15_000);
      expect(await value('naught_deploys_total{result="ready"}')).toBe(1);
      expect(await value('naught_deploys_total{result="failed"}')).toBe(1);
      expect(await value('naught_deploy_duration_seconds_count')).toBe(2);
      // The failed deploy timed out after 1 s; the other took its new workers' 3 s boot at least.
      expect(await value('naught_deploy_duration_seconds_bucket{le="2.5"}')).toBe(1);
      expect(await value('max_over_time(naught_workers{state="booting"}[5m])')).toBe(2);
      // The crashed worker's replacement boots in 3 s too (the deploy's environment is the workers' now).
      await eventually(async () => (await value('naught_workers{state="online"}')) === 2, 'its replacement online, scraped', 15_000);
      expect(await value('naught_crash_looping_workers')).toBe(0);
      expect(await value('naught_build_info')).toBe(1);
      expect(await value('process_resident_memory_bytes{job="naught"}')).toBeGreaterThan(10 * 1024 * 1024);
      // Per worker: one series per worker number, and no label but the number.
      for (const name of ['naught_worker_resident_memory_bytes', 'naught_worker_cpu_seconds_total', 'naught_worker_event_loop_delay_max_seconds']) {
        const samples = await query(name);
        expect(samples.map((sample) => sample.metric.worker).sort(), name).toEqual(['0', '1']);
        for (const sample of samples) expect(Object.keys(sample.metric).sort()).toEqual(['__name__', 'instance', 'job', 'worker']);
      }

      // Each worker's HTTP responses by class, and their durations as a histogram Prometheus takes quantiles of.
      for (let i = 0; i < 20; i += 1) await body(port, '/hi');
      for (let i = 0; i < 4; i += 1) await get(port, '/nowhere');
      await eventually(async () => (await value('sum(naught_http_requests_total{code="4xx"})')) === 4, 'the 404s to be scraped', 15_000);
      expect(await value('sum(naught_http_requests_total{code="2xx"})')).toBeGreaterThanOrEqual(20);
      expect((await query('naught_http_requests_total')).map((sample) => Object.keys(sample.metric).sort().join(','))).toEqual(Array(10).fill('__name__,code,instance,job,worker'));
      const p99 = await value('histogram_quantile(0.99, sum by (le) (naught_http_request_duration_seconds_bucket))');
      expect(p99).toBeGreaterThan(0);
      expect(p99).toBeLessThan(1);
      // A canary deploy that passes is counted.
      expect(await naught(['deploy', '--canary', '1', '--canary-window', '2'], { cwd: box.dir, env: { BOOT_DELAY_MS: '0' } })).toMatchObject({ code: 0 });
      await eventually(async () => (await value('naught_canaries_total{result="passed"}')) === 1, 'the canary to be scraped', 15_000);
      expect(await value('naught_canaries_total{result="failed"}')).toBe(0);

      // promtool, Prometheus' own linter, accepts what naught serves.
      const text = await body(metricsPort, '/metrics');
      const lint = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect({ status: lint.status, out: lint.stdout + lint.stderr }).toEqual({ status: 0, out: '' });
    } finally {
      await prometheus.stop();
      expect(await fg.stop()).toEqual({ code: 0, signal: null });
    }
  });
});

/** Prometheus on a loopback port, scraping naught's endpoint every second, its data in the sandbox. */
async function startPrometheus(box: { path(...parts: string[]): string }, target: number): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freePort();
  const config = box.path('prometheus.yml');
  writeFileSync(
    config,
    ['global:', '  scrape_interval: 1s', '  scrape_timeout: 1s', 'scrape_configs:', '  - job_name: naught', '    static_configs:', `      - targets: ['127.0.0.1:${target}']`, ''].join('\n'),
  );
  const child: ChildProcess = spawn(
    'prometheus',
    [`--config.file=${config}`, `--storage.tsdb.path=${box.path('tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await eventually(async () => (await get(port, '/-/ready').catch(() => null))?.status === 200, `Prometheus to be ready (${stderr})`, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, stop };
}
