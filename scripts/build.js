// Bundles naught into files that start fast, CommonJS (node starts it sooner and with
// less memory than the same code as ES modules; the dist/package.json written beside it
// says so). dist/naught.js, the `naught` command, turns node's compile cache on and
// loads one of two bundles of the same CLI: dist/supervisor.js, all of naught, for
// `naught start`; dist/cli.js for every other command, the same without the supervisor,
// which would be two thirds of what each command reads and compiles (1.5 ms of
// `naught version` on Node 26). Within a bundle, each command's own code is evaluated
// only by that command.
// Beside them: the worker helper (`naught/worker`, dist/worker.js with its types) and
// the preload of --graceful-preload (dist/preload.js) and the health agent (dist/agent.js). It is also the package's
// `prepare`: `npm pack` and an install from a git URL build it.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';

const outfile = 'dist/naught.js';
await rm('dist', { recursive: true, force: true });
await mkdir('dist');
await writeFile('dist/package.json', '{ "type": "commonjs" }\n');
await build({
  entryPoints: ['src/launch.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  external: ['./cli.js', './supervisor.js'],
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
await chmod(outfile, 0o755);
const cli = {
  entryPoints: ['src/naught.ts'],
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  // The uses of import.meta (to find the optional sd-notify addon, the agent and the preload) in CommonJS terms.
  define: { 'import.meta.url': 'naughtModuleUrl' },
  banner: { js: "const naughtModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
};
await build({ ...cli, outfile: 'dist/supervisor.js' });
/** In dist/cli.js, the start command's module is one that says where `naught start` runs. */
const startElsewhere = {
  name: 'start-elsewhere',
  setup(build) {
    build.onResolve({ filter: /^\.\/start\.js$/ }, (args) => (args.importer.endsWith('src/cli/commands.ts') ? { path: 'start', namespace: 'start-elsewhere' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'start-elsewhere' }, () => ({
      contents: "export function start() { throw new Error('naught start runs from dist/supervisor.js (src/launch.ts)'); }",
      loader: 'js',
    }));
  },
};
await build({ ...cli, outfile: 'dist/cli.js', plugins: [startElsewhere] });
await build({
  entryPoints: { worker: 'src/worker/index.ts', preload: 'src/worker/preload.ts', agent: 'src/worker/agent.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  logLevel: 'warning',
});
// The helper's types, for apps written in TypeScript.
execFileSync(process.execPath, [
  'node_modules/typescript/bin/tsc', '--ignoreConfig', 'src/worker/index.ts', '--declaration', '--emitDeclarationOnly',
  // rootDir src: the helper's types and the protocol types they use keep their layout.
  '--rootDir', 'src', '--outDir', 'dist/worker-types', '--module', 'nodenext', '--target', 'es2022', '--strict', '--types', 'node',
], { stdio: 'inherit' });
