// naught as a user installs it, on a machine that never saw this checkout: the
// tarball `npm pack` makes, installed globally into a fresh prefix, and an install
// from a git URL of this repository as an app's dependency. Each runs apps that
// import 'naught/worker' from the installed package: CommonJS, ES module, and
// TypeScript (type-checked against the shipped types, then run with types stripped).
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { body, freePort } from '../helpers/http.js';
import { naught, Foreground } from '../helpers/naught.js';
import { useSandbox } from '../helpers/sandbox.js';

const exec = promisify(execFile);
const CHECKOUT = path.resolve('.');

/** npm as a user runs it: none of the settings of the `npm run` that runs this suite. */
async function npm(args: string[], cwd: string): Promise<string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  const { stdout } = await exec('npm', args, { cwd, env, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

const APPS = {
  'server.cjs': [
    "const http = require('node:http');",
    "const { ready, onShutdown } = require('naught/worker');",
    "const server = http.createServer((_q, res) => res.end(`cjs ${process.env.VERSION}`));",
    'server.listen(Number(process.env.PORT), ready);',
    'onShutdown(server);',
  ],
  'server.mjs': [
    "import http from 'node:http';",
    "import { ready, onShutdown } from 'naught/worker';",
    "const server = http.createServer((_q, res) => res.end(`mjs ${process.env.VERSION}`));",
    'server.listen(Number(process.env.PORT), ready);',
    'onShutdown(server);',
  ],
  'server.ts': [
    "import http from 'node:http';",
    "import { ready, onShutdown } from 'naught/worker';",
    "const server = http.createServer((_q, res) => res.end(`ts ${process.env.VERSION}`));",
    'server.listen(Number(process.env.PORT), ready);',
    'onShutdown(server, { timeout: 5000 });',
  ],
} as const;

function writeApps(dir: string): void {
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module' }));
  for (const [file, lines] of Object.entries(APPS)) writeFileSync(path.join(dir, file), `${lines.join('\n')}\n`);
}

/** Starts each app with the installed naught, checks it answers, deploys with a new VERSION, stops. */
async function runApps(bin: string, dir: string): Promise<void> {
  for (const file of Object.keys(APPS)) {
    const port = await freePort();
    const files = ['--ipc-file', `${file}.ipc`, '--pid-file', `${file}.pid`];
    const fg = new Foreground(['start', '--worker-count', '2', ...files, file], { cwd: dir, bin, env: { PORT: String(port), VERSION: 'v1' } });
    await fg.waitFor('Ready');
    const kind = file.split('.')[1] === 'cjs' ? 'cjs' : file.endsWith('.mjs') ? 'mjs' : 'ts';
    expect(await body(port, '/')).toBe(`${kind} v1`);
    expect(await naught(['deploy', `${file}.ipc`], { cwd: dir, bin, env: { VERSION: 'v2' } })).toMatchObject({ code: 0 });
    expect(await body(port, '/')).toBe(`${kind} v2`);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  }
}

describe('the installed package', () => {
  const box = useSandbox();

  test('npm pack ships the CLI, the worker helper with its types, packaging, README and LICENSE, and nothing else', async () => {
    const [packed] = JSON.parse(await npm(['pack', '--dry-run', '--json'], CHECKOUT));
    const files: string[] = packed.files.map((f: { path: string }) => f.path).sort();
    for (const file of ['LICENSE', 'README.md', 'package.json', 'dist/naught.js', 'dist/worker.js', 'dist/preload.js', 'dist/agent.js', 'dist/worker-types/worker/index.d.ts', 'packaging/naught.service', 'packaging/naught.socket']) {
      expect(files).toContain(file);
    }
    expect(files.filter((file) => !/^(dist|packaging)\//.test(file))).toEqual(['LICENSE', 'README.md', 'package.json']);
  });

  test('the tarball, installed globally (npm install -g --allow-scripts=sd-notify): version, help, and apps that import naught/worker', async () => {
    await npm(['pack', '--pack-destination', box.dir], CHECKOUT);
    const tarball = box.path(readdirSync(box.dir).find((name) => name.endsWith('.tgz'))!);
    const prefix = box.path('prefix');
    await npm(['install', '-g', '--prefix', prefix, '--allow-scripts=sd-notify', '--no-audit', '--no-fund', tarball], box.dir);
    const bin = path.join(prefix, 'bin', 'naught');
    const version = JSON.parse(await npm(['pkg', 'get', 'version'], CHECKOUT));
    expect((await exec(bin, ['version'])).stdout).toBe(`${version}\n`);
    expect((await exec(bin, ['help'])).stdout).toContain('naught start');

    // The app depends on naught as apps do; the command is the global one.
    const app = box.path('app');
    mkdirSync(app);
    writeApps(app);
    await npm(['install', '--no-audit', '--no-fund', tarball], app);
    // Its TypeScript resolves naught/worker's types from the package.
    await exec(process.execPath, [
      path.join(CHECKOUT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--target', 'es2022',
      '--types', 'node', '--typeRoots', path.join(CHECKOUT, 'node_modules/@types'), 'server.ts',
    ], { cwd: app });
    await runApps(bin, app);
  });

  test('an install from a git URL builds the package (prepare) and runs the apps', async () => {
    const app = box.path('app');
    mkdirSync(app);
    writeApps(app);
    await npm(['install', '--no-audit', '--no-fund', `git+file://${CHECKOUT}`], app);
    const bin = path.join(app, 'node_modules', 'naught', 'dist', 'naught.js');
    expect((await exec(process.execPath, [bin, 'version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);
    await runApps(bin, app);
  });
});
