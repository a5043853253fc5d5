// naught/worker outside a deploy: ready() is a no-op when not under naught, SIGTERM
// drains in-flight requests and exits, and the package's types resolve for a
// TypeScript app that imports 'naught/worker'.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { freePort } from './helpers/http.js';
import { eventually } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

describe('naught/worker', () => {
  const box = useSandbox();

  test('not under naught: ready() does nothing; SIGTERM answers the request in flight with Connection: close, then exits 0', async () => {
    const port = await freePort();
    copyFileSync('test/fixtures/helper-app.mjs', box.path('server.mjs'));
    const app = execFile(process.execPath, [box.path('server.mjs')], { cwd: box.dir, env: { ...process.env, PORT: String(port), NAUGHT_HELPER: path.resolve('dist/worker.js') } });
    const exited = new Promise<number | null>((resolve) => app.on('exit', (code) => resolve(code)));
    const agent = new http.Agent({ keepAlive: true });
    const get = (route: string) =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: route, agent }, (response) => {
            response.resume();
            response.on('end', () => resolve({ status: response.statusCode!, connection: response.headers.connection }));
          })
          .on('error', reject);
      });
    await eventually(() => get('/').then(() => true, () => false), 'the app to listen');
    const received = new Promise<void>((resolve) => app.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('slow request received') && resolve()));
    const slow = get('/slow?ms=800');
    await received;
    app.kill('SIGTERM');
    expect(await slow).toEqual({ status: 200, connection: 'close' });
    expect(await exited).toBe(0);
    agent.destroy();
  });

  test("its types: a TypeScript app imports { ready, onShutdown } from 'naught/worker' and misuse is an error", async () => {
    mkdirSync(box.path('node_modules/@types'), { recursive: true });
    symlinkSync(path.resolve('.'), box.path('node_modules/naught'));
    symlinkSync(path.resolve('node_modules/@types/node'), box.path('node_modules/@types/node'));
    writeFileSync(box.path('package.json'), '{ "type": "module" }\n');
    writeFileSync(
      box.path('app.ts'),
      [
        "import http from 'node:http';",
        "import { onShutdown, ready } from 'naught/worker';",
        'const server = http.createServer((_request, response) => response.end());',
        'server.listen(8000, ready);',
        'onShutdown(server, { timeout: 5000, onClose: () => {} });',
        '// @ts-expect-error: the timeout is in milliseconds',
        "onShutdown(server, { timeout: '5 s' });",
        '',
      ].join('\n'),
    );
    const tsc = path.resolve('node_modules/typescript/bin/tsc');
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      execFile(process.execPath, [tsc, '--ignoreConfig', 'app.ts', '--noEmit', '--strict', '--module', 'nodenext', '--target', 'es2022', '--types', 'node'], { cwd: box.dir }, (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : (error.code as number), output: stdout + stderr }),
      );
    });
    expect(result).toEqual({ code: 0, output: '' });
  });
});
