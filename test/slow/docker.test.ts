// The Dockerfile, built and run with podman: logs on stdout, tini as PID 1,
// HEALTHCHECK with naught status --probe readiness, SIGHUP deploys, `stop` ends well inside the grace.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from '../helpers/processes.js';
import { buildImage, ensureBaseImage, IMAGE, LIMITS, mustPodman, podman } from './helpers/podman.js';

const GET = 'require("http").get("http://127.0.0.1:8000/", (r) => r.pipe(process.stdout))';

describe('the Docker image', () => {
  const containers: string[] = [];

  beforeAll(async () => {
    await ensureBaseImage();
    await buildImage();
  });

  afterAll(async () => {
    for (const id of containers) await podman(['rm', '-f', id]);
    expect((await mustPodman(['ps', '-a', '--quiet'])).trim()).toBe('');
  });

  test('runs the app under tini, answers its healthcheck, deploys on HUP, and stops cleanly and quickly', async () => {
    const id = (await mustPodman(['run', '-d', '--network=none', ...LIMITS, IMAGE])).trim();
    containers.push(id);
    const logs = async (): Promise<string> => {
      const result = await podman(['logs', id]);
      return result.stdout + result.stderr;
    };
    await eventually(async () => (await logs()).includes('Ready.'), 'the workers to be online');

    expect(await mustPodman(['exec', id, 'node', '-e', GET])).toMatch(/^hello from worker \d+\n$/);
    expect(await mustPodman(['exec', id, 'naught', 'status'])).toMatch(/^workers online: \d+\n$/);
    expect((await podman(['healthcheck', 'run', id])).code).toBe(0);
    const processes = await mustPodman(['exec', id, 'ps', '-o', 'pid=,comm=', '-p', '1']);
    expect(processes.trim()).toBe('1 tini');

    // Worker output and events both reach `podman logs`.
    expect(await logs()).toMatch(/worker \d+ listening on http:\/\/localhost:8000/);
    await mustPodman(['kill', '--signal', 'HUP', id]);
    await eventually(async () => (await logs()).split('Ready.').length === 3, 'the HUP deploy to finish');
    expect(await logs()).toContain('ShutdownOld.');

    // Exit code 0: naught stopped on SIGTERM; 137 would mean podman had to SIGKILL it.
    await mustPodman(['stop', '--time', '10', id]);
    expect((await mustPodman(['inspect', id, '--format', '{{.State.ExitCode}}'])).trim()).toBe('0');
    expect((await logs()).trimEnd().split('\n').at(-1)).toBe('Shutdown. booting: 0, online: 0, dying: 0, new_online: 0');
  });
});
