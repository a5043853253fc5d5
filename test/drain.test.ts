// The drain, seen from outside: busy keep-alive clients do not hold a deploy, a
// SIGTERM to a worker is a graceful stop, a worker whose listen failed is never
// online, and WebSocket clients are told the server is going away. Apps as their
// frameworks write them (test/fixtures/frameworks), with no naught option.
import { execFileSync } from 'node:child_process';
import http2 from 'node:http2';
import { createServer, type Server } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { body, freePort } from './helpers/http.js';
import { keepAliveLoad } from './helpers/load.js';
import { FRAMEWORKS, naught, startFramework } from './helpers/naught.js';
import { isAlive, until, workerPids } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

describe('the drain', () => {
  const box = useSandbox();

  test("busy keep-alive clients do not hold a deploy of README's minimal contract past the ramp, and the old release answers nothing begun after it", async () => {
    const { port, fg } = await startFramework(box, 'express-app.cjs', ['--drain-ramp', '1'], { CLOSE: 'plain' });
    const load = keepAliveLoad(port, '/', 4);
    await until(() => load.result.ok > 50, 'the load to start');
    box.installApp('v2', 'server.js', path.join(FRAMEWORKS, 'express-app.cjs'));
    const mark = fg.events.length;
    let newOnline = 0;
    // When the last of the new workers came online: the boot is over, the drain begins.
    const booted = (async () => {
      await fg.waitFor('NewOnline', mark);
      await until(() => fg.names(mark).filter((name) => name === 'NewOnline').length === 2, 'both new workers online');
      newOnline = Date.now();
    })();
    expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 0 });
    const returned = Date.now();
    await booted;
    await until(() => load.result.answers.filter(({ began }) => began > returned).length > 50, 'some load after the deploy');
    const result = await load.stop();
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
    expect(result.failures).toEqual([]);
    expect(returned - newOnline).toBeLessThan(1000 + 1000);
    const late = result.answers.filter(({ began, body }) => began > returned && !body.startsWith('v2 '));
    expect(late).toEqual([]);
    expect(result.answers.some(({ began }) => began > returned)).toBe(true);
  });

  /** Answers by release: how many the old release gave to requests begun after the new one's first answer. */
  const oldAfterNew = (answers: Array<{ began: number; body: string }>): number => {
    const first = answers.find(({ body }) => body.startsWith('v2 '));
    if (first === undefined) throw new Error('the new release never answered');
    return answers.filter(({ began, body }) => began > first.began && body.startsWith('v1 ')).length;
  };

  test('a deploy hands the load over for --drain-ramp: the old workers still answer, and accept, while the new ones warm', async () => {
    const ramped = await startFramework(box, 'express-app.cjs', ['--drain-ramp', '5']);
    const load = keepAliveLoad(ramped.port, '/', 20);
    await until(() => load.result.ok > 50, 'the load to start');
    box.installApp('v2', 'server.js', path.join(FRAMEWORKS, 'express-app.cjs'));
    const mark = ramped.fg.events.length;
    const deployed = naught(['deploy'], { cwd: box.dir });
    await ramped.fg.waitFor('ShutdownOld', mark);
    // New connections during the ramp: the kernel gives them to the old workers too.
    const fresh: string[] = [];
    for (let i = 0; i < 40; i += 1) fresh.push(await body(ramped.port, '/'));
    expect(await deployed).toMatchObject({ code: 0 });
    const result = await load.stop();
    expect(await ramped.fg.stop()).toEqual({ code: 0, signal: null });
    expect(result.failures).toEqual([]);
    expect(fresh.filter((answer) => answer.startsWith('v1 ')).length).toBeGreaterThan(0);
    // The 20 connections moved one by one: the old release answered on the rest for a while.
    expect(oldAfterNew(result.answers)).toBeGreaterThan(100);
  });

  test('with --drain-ramp 0, every keep-alive connection moves at once', async () => {
    const atOnce = await startFramework(box, 'express-app.cjs', ['--drain-ramp', '0']);
    const second = keepAliveLoad(atOnce.port, '/', 20);
    await until(() => second.result.ok > 50, 'the load to start');
    box.installApp('v2', 'server.js', path.join(FRAMEWORKS, 'express-app.cjs'));
    expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 0 });
    await until(() => second.result.answers.filter(({ body: answer }) => answer.startsWith('v2 ')).length > 100, 'the new release to serve');
    const moved = await second.stop();
    expect(await atOnce.fg.stop()).toEqual({ code: 0, signal: null });
    expect(moved.failures).toEqual([]);
    // Each connection's last answer from v1 at most.
    expect(oldAfterNew(moved.answers)).toBeLessThanOrEqual(20);
  });

  test('a stop does not ramp: no worker takes over, so under keep-alive load a SIGTERM with --drain-ramp 60 ends in seconds', async () => {
    const { port, fg } = await startFramework(box, 'express-app.cjs', ['--drain-ramp', '60', '--drain-timeout', '60', '--stop-timeout', '40']);
    const load = keepAliveLoad(port, '/', 20);
    await until(() => load.result.ok > 50, 'the load to start');
    const signalled = Date.now();
    // A ramp would hold the drain for half the stop timeout: 20 s.
    expect(await fg.stop('SIGTERM', 10_000)).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(10_000);
    await load.stop();
  });

  test('SIGTERM to a worker whose app does not handle it: it answers what is in flight, is replaced, and no request fails', async () => {
    const { port, fg } = await startFramework(box, 'express-app.cjs');
    const load = keepAliveLoad(port, '/', 20);
    await until(() => load.result.ok > 50, 'the load to start');
    const [victim] = workerPids(box.dir);
    const mark = fg.events.length;
    process.kill(victim!, 'SIGTERM');
    await fg.waitFor('WorkerDeath', mark);
    await fg.waitFor('WorkerOnline', mark);
    await until(() => !isAlive(victim!), 'the worker to be gone');
    const result = await load.stop();
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
    expect(result.failures).toEqual([]);
    expect(result.ok).toBeGreaterThan(100);
  });

  test('SIGTERM to naught and every worker at once (systemd KillMode=control-group): no request in flight is cut, naught exits 0', async () => {
    const { port, fg } = await startFramework(box, 'express-app.cjs');
    const load = keepAliveLoad(port, '/slow?ms=300', 20);
    await until(() => load.result.ok > 20, 'the load to start');
    // Requests are in flight on every connection: each takes 300 ms.
    await body(port, '/');
    const pids = [fg.child.pid!, ...workerPids(box.dir)];
    const signalled = Date.now();
    for (const pid of pids) process.kill(pid, 'SIGTERM');
    expect(await fg.exited).toEqual({ code: 0, signal: null });
    const result = await load.stop();
    // Every request begun before the signals is answered. One begun after, on a new connection, finds no
    // worker: refused once naught's listening socket is closed, or reset when naught accepted it just before.
    expect(result.failed.filter(({ began }) => began < signalled)).toEqual([]);
    expect(result.answers.filter(({ began }) => began < signalled).length).toBeGreaterThanOrEqual(20);
  });

  const HELD = 'listen EADDRINUSE: naught cannot hold 127\\.0\\.0\\.1:PORT for the workers: the address is in use';
  test.each([
    ["the app's own callback, which ignores the error", {}, [], HELD],
    ["naught/worker's ready(error)", { NAUGHT_HELPER: path.resolve('dist/worker.js') }, [], HELD],
    ['--balance round-robin (node:cluster binds)', {}, ['--balance', 'round-robin'], 'bind EADDRINUSE 127\\.0\\.0\\.1:PORT'],
  ])('a deploy whose workers cannot listen (the port is taken) fails with one line naming the address; the old release serves: %s', async (_how, env, args, line) => {
    const { port, fg } = await startFramework(box, 'express-app.cjs', args, env);
    const taken = await freePort();
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(taken, '127.0.0.1', resolve));
    try {
      box.installApp('v2', 'server.js', path.join(FRAMEWORKS, 'express-app.cjs'));
      const deploy = await naught(['deploy'], { cwd: box.dir, env: { PORT: String(taken) } });
      expect(deploy.code).toBe(1);
      expect(deploy.stderr).toContain('Deploy failed.');
      expect(await body(port, '/')).toMatch(/^v1 /);
      const stderr = readFileSync(box.path('stderr.log'), 'utf8');
      expect(stderr).toMatch(new RegExp(`naught: worker [01] is not online: ${line.replace('PORT', String(taken))}\\n`));
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      squatter.close();
    }
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('WebSocket clients through 3 deploys: each is closed with 1001, reconnects to the new release, and none closes abnormally', async () => {
    const { port, fg } = await startFramework(box, 'ws-app.cjs');
    const closes: number[] = [];
    const releases = new Set<string>();
    let running = true;
    const client = async (): Promise<void> => {
      while (running) {
        await new Promise<void>((resolve) => {
          const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
          const ping = (): void => socket.send('ping');
          socket.on('open', ping);
          socket.on('message', (data) => {
            releases.add(String(data).split(' ')[0]!);
            setTimeout(() => socket.readyState === WebSocket.OPEN && (running ? ping() : socket.close(1000)), 20);
          });
          socket.on('error', () => {});
          socket.on('close', (code) => {
            closes.push(code);
            resolve();
          });
        });
      }
    };
    const clients = Array.from({ length: 10 }, client);
    await until(() => releases.has('v1'), 'the clients to be answered');
    for (let release = 2; release <= 4; release += 1) {
      box.installApp(`v${release}`, 'server.js', path.join(FRAMEWORKS, 'ws-app.cjs'));
      const began = Date.now();
      expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 0 });
      // The drain does not wait for upgraded connections (the drain timeout is 10 s): they are the app's.
      expect(Date.now() - began).toBeLessThan(5000);
    }
    await until(() => releases.has('v4'), 'the clients to reach the last release');
    running = false;
    await Promise.all(clients);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
    // 10 clients, each closed by every deploy, then by itself at the end.
    expect(closes.filter((code) => code === 1001).length).toBe(30);
    expect(closes.filter((code) => code !== 1001 && code !== 1000)).toEqual([]);
  });
});

describe('the drain over TLS', () => {
  const box = useSandbox();

  /** A self-signed certificate for 127.0.0.1, made by openssl in the sandbox. */
  function certificate(): { KEY: string; CERT: string } {
    const [KEY, CERT] = [box.path('key.pem'), box.path('cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', KEY, '-out', CERT, '-subj', '/CN=127.0.0.1', '-days', '1'], { stdio: 'ignore' });
    return { KEY, CERT };
  }

  async function deploys(fixture: string): Promise<void> {
    for (let release = 2; release <= 4; release += 1) {
      box.installApp(`v${release}`, 'server.js', path.join(FRAMEWORKS, fixture));
      const began = Date.now();
      expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 0 });
      // Drained by Connection: close or GOAWAY, not by the drain timeout (10 s).
      expect(Date.now() - began).toBeLessThan(5000);
    }
  }

  test('HTTPS: 20 keep-alive connections through 3 deploys, nothing lost', async () => {
    const { port, fg } = await startFramework(box, 'tls-app.cjs', [], { PROTOCOL: 'https', ...certificate() });
    const load = keepAliveLoad(port, '/', 20, { tls: true });
    await until(() => load.result.ok > 50, 'the load to start');
    await deploys('tls-app.cjs');
    const result = await load.stop();
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
    expect(result.failures).toEqual([]);
    expect(result.answers.at(-1)!.body).toMatch(/^v4 /);
  });

  test('HTTP/2: each session gets GOAWAY, its streams finish, and clients move to a new session; nothing lost', async () => {
    const { port, fg } = await startFramework(box, 'tls-app.cjs', [], { PROTOCOL: 'h2', ...certificate() });
    const failures: string[] = [];
    const releases = new Set<string>();
    let [goaways, ok, running] = [0, 0, true];
    /** One client: a session, 4 streams at a time on it, a new session once it is told to go away. */
    const client = async (): Promise<void> => {
      while (running) {
        const session = http2.connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false });
        session.on('error', (error: NodeJS.ErrnoException) => failures.push(`session ${error.code}`));
        let away = false;
        session.on('goaway', () => {
          away = true;
          goaways += 1;
        });
        const stream = async (): Promise<void> => {
          while (running && !away && !session.closed) {
            await new Promise<void>((resolve) => {
              let data = '';
              const request = session.request({ ':path': '/' });
              request.setEncoding('utf8');
              request.on('data', (chunk: string) => (data += chunk));
              request.on('end', () => {
                ok += 1;
                releases.add(data.split(' ')[0]!);
              });
              request.on('error', (error: NodeJS.ErrnoException) => {
                // A stream begun after the GOAWAY was sent is refused, unprocessed, for the client to retry (RFC 9113 §8.7).
                if (error.code !== 'ERR_HTTP2_GOAWAY_SESSION' && !/REFUSED_STREAM/.test(error.message)) failures.push(error.code ?? error.message);
              });
              request.on('close', () => {
                if (!request.readableEnded && request.rstCode !== http2.constants.NGHTTP2_REFUSED_STREAM && !away) failures.push(`stream closed unanswered (${request.rstCode})`);
                resolve();
              });
            });
          }
        };
        await Promise.all(Array.from({ length: 4 }, stream));
        // Closing after the server's GOAWAY, or closed by us now (close() does nothing to a closing session).
        if (!session.destroyed) {
          await new Promise<void>((resolve) => {
            session.once('close', resolve);
            session.close();
          });
        }
      }
    };
    const clients = Array.from({ length: 5 }, client);
    await until(() => ok > 50, 'the clients to be answered');
    await deploys('tls-app.cjs');
    await until(() => releases.has('v4'), 'the last release to answer');
    running = false;
    await Promise.all(clients);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
    expect(failures).toEqual([]);
    // 5 sessions told to go away by each deploy.
    expect(goaways).toBeGreaterThanOrEqual(15);
  });
});
