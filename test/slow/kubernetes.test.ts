// packaging/kubernetes/naught.yaml as it is, played by a real consumer of Kubernetes YAML:
// Debian's podman 4.3.1 (`podman kube play`), in a network namespace of the test's own,
// with the user's image built FROM the Dockerfile's image (no registry). Where podman
// does not do what a kubelet does, the test does it the kubelet's way and says so:
// podman 4.3 turns the liveness probe into a healthcheck (run here with `podman
// healthcheck run`: no systemd timer runs it), ignores the startup and readiness
// probes (their exec commands are run here in the container), the preStop hook (run
// likewise before the stop) and terminationGracePeriodSeconds (its stop timeout stays
// 10 s); and `podman kube down` SIGKILLs at once (podman#22397, fixed in 5.1), so the
// graceful stop is `podman pod stop`, podman#21767's workaround, before `kube down`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from '../helpers/processes.js';
import { startLoad } from './helpers/load.js';
import { NetworkNamespace } from './helpers/netns.js';
import { run } from './helpers/run.js';
import { buildImage, ensureBaseImage, IMAGE, LIMITS, mustPodman, podman } from './helpers/podman.js';

const MANIFEST = path.resolve('packaging/kubernetes/naught.yaml');

interface ExecProbe {
  exec: { command: string[] };
}
interface Container {
  image: string;
  args: string[];
  startupProbe: ExecProbe;
  readinessProbe: ExecProbe;
  livenessProbe: ExecProbe;
  lifecycle: { preStop: ExecProbe };
  resources: { limits: { cpu: string } };
}
interface Deployment {
  kind: 'Deployment';
  metadata: { name: string };
  spec: { replicas: number; template: { spec: { terminationGracePeriodSeconds: number; containers: Container[] } } };
}

/** The manifest's documents, read by a real YAML parser (Python's, which ansible-core brings). */
function documents(): Array<{ kind: string }> {
  const script = 'import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))';
  return JSON.parse(execFileSync('python3', ['-c', script, MANIFEST], { encoding: 'utf8' })) as Array<{ kind: string }>;
}

/** GET on a fresh connection, from inside the network namespace of process `pid` (a pod's). */
async function getInside(pid: number, url: string): Promise<{ status: number; body: string }> {
  const script = `require('http').get(process.argv[1], (r) => { let b = ''; r.on('data', (c) => (b += c)); r.on('end', () => console.log(JSON.stringify({ status: r.statusCode, body: b }))); }).on('error', (e) => console.log(JSON.stringify({ status: 0, body: e.code })))`;
  return JSON.parse((await run(['nsenter', '-t', String(pid), '-n', process.execPath, '-e', script, url])).stdout);
}

describe('the Kubernetes recipe under podman kube play', () => {
  const deployment = documents().find((doc): doc is Deployment => doc.kind === 'Deployment')!;
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0]!;
  let netns: NetworkNamespace;
  let context: string;

  beforeAll(async () => {
    await ensureBaseImage();
    await buildImage();
    // The user's image, as README tells: FROM naught's, the app copied into /app.
    context = mkdtempSync(path.join(tmpdir(), 'naught-pod-app-'));
    copyFileSync('test/fixtures/pod-app.mjs', path.join(context, 'server.js'));
    writeFileSync(path.join(context, 'Containerfile'), `FROM ${IMAGE}\nCOPY server.js /app/server.js\n`);
    await mustPodman(['build', '--network=none', ...LIMITS, '-t', container.image, context]);
    netns = NetworkNamespace.create('pod');
  });

  afterAll(async () => {
    await podman(['kube', 'down', MANIFEST], netns.file);
    netns.remove();
    rmSync(context, { recursive: true, force: true });
    expect((await mustPodman(['ps', '-a', '--quiet'])).trim()).toBe('');
  });

  test("its numbers: the grace outlasts preStop and naught's --stop-timeout; probes are naught status --probe; auto workers under a CPU limit", () => {
    const option = (name: string): string => container.args[container.args.indexOf(name) + 1]!;
    const preStop = container.lifecycle.preStop.exec.command;
    expect(preStop[0]).toBe('sleep');
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(Number(preStop[1]) + Number(option('--stop-timeout')));
    expect(container.startupProbe.exec.command).toEqual(['naught', 'status', '--probe', 'readiness']);
    expect(container.readinessProbe.exec.command).toEqual(['naught', 'status', '--probe', 'readiness']);
    expect(container.livenessProbe.exec.command).toEqual(['naught', 'status', '--probe', 'liveness']);
    expect([option('--daemon-mode'), option('--worker-count'), option('--stdout'), option('--stderr'), option('--log')]).toEqual(['false', 'auto', '-', '-', '-']);
  });

  test('pods become ready with a worker per CPU of the limit, serve, deploy in the pod with no request failed, and stop draining requests in flight', async () => {
    await mustPodman(['kube', 'play', MANIFEST], netns.file);
    const names = Array.from({ length: deployment.spec.replicas }, (_, i) => `${deployment.metadata.name}-pod-${i}-app`);
    const inPod = (name: string, command: string[]) => podman(['exec', name, ...command]);

    // Right after the play the app is still booting (2 s): not ready, as the startup probe sees it.
    expect((await inPod(names[0]!, container.startupProbe.exec.command)).code).toBe(1);
    for (const name of names) {
      await eventually(async () => (await inPod(name, container.startupProbe.exec.command)).code === 0, `${name} to be ready`, 30_000);
      expect(await inPod(name, container.readinessProbe.exec.command)).toMatchObject({ code: 0, stdout: 'workers online: 2\n' });
      expect(await podman(['healthcheck', 'run', name])).toMatchObject({ code: 0 });
      const status = JSON.parse(await mustPodman(['exec', name, 'naught', 'status', '--json']));
      expect(status.supervisor.workerCount).toEqual({
        given: 'auto',
        count: 2,
        availableCpus: expect.any(Number),
        cpuQuota: { cpus: Number(container.resources.limits.cpu), file: expect.stringMatching(/cpu\.(max|cfs_quota_us)$/) },
      });
    }

    // Each pod serves on its own address in the pod network, reached from the test's namespace.
    const addresses = await Promise.all(
      names.map(async (name) => (await mustPodman(['inspect', name, '--format', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}'])).trim()),
    );
    const load = await startLoad((command) => netns.wrap(command), `http://${addresses[0]}:8000/`);
    // An in-pod deploy, as README's `kubectl exec deploy/myapp -- naught deploy`.
    const deployed = await inPod(names[0]!, ['naught', 'deploy']);
    const tally = await load.stop();
    expect(deployed).toMatchObject({ code: 0, stderr: expect.stringMatching(/done\n$/) });
    expect(tally.failed).toBe(0);
    expect(tally.ok).toBeGreaterThan(0);
    expect(Object.keys(tally.bodies).sort()).toEqual(['release 1 worker 0\n', 'release 1 worker 1\n']);

    // The kubelet's stop: the preStop hook, then SIGTERM with the grace. A 3 s request is in
    // flight in each pod, sent from inside the pod's own network (podman takes the pod's
    // link down as the stop begins; a kubelet keeps it until every container has exited).
    for (const name of names) expect(await inPod(name, container.lifecycle.preStop.exec.command)).toMatchObject({ code: 0 });
    const pids = await Promise.all(names.map(async (name) => Number(await mustPodman(['inspect', name, '--format', '{{.State.Pid}}']))));
    const slow = pids.map((pid) => getInside(pid, 'http://127.0.0.1:8000/slow?ms=3000'));
    for (const name of names) {
      await eventually(async () => (await podman(['logs', name])).stdout.includes('slow request begun'), `the slow request to reach ${name}`);
    }
    const began = performance.now();
    await mustPodman(['pod', 'stop', ...names.map((name) => name.replace(/-app$/, ''))], netns.file);
    const stoppedInMs = performance.now() - began;
    for (const answer of await Promise.all(slow)) expect(answer).toMatchObject({ status: 200, body: expect.stringMatching(/^slow done on worker \d\n$/) });
    // Within podman's grace (10 s: 4.3 does not read terminationGracePeriodSeconds), and
    // naught exited by itself (137 would be podman's SIGKILL).
    console.log(`podman kube play: in-pod deploy under load, ${tally.failed} of ${tally.ok + tally.failed} failed; pod stop with a 3 s request in flight in each pod: ${Math.round(stoppedInMs)} ms`);
    expect(stoppedInMs).toBeLessThan(10_000);
    for (const name of names) {
      expect((await mustPodman(['inspect', name, '--format', '{{.State.ExitCode}}'])).trim()).toBe('0');
      const logs = await podman(['logs', name]);
      expect((logs.stdout + logs.stderr).trimEnd().split('\n').at(-1)).toBe('Shutdown. booting: 0, online: 0, dying: 0, new_online: 0');
    }
    await mustPodman(['kube', 'down', MANIFEST], netns.file);
    expect((await mustPodman(['ps', '-a', '--quiet'])).trim()).toBe('');
  });
});
