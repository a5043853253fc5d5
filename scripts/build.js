// Bundles the CLI into one file that starts fast: dist/naught.js, CommonJS (node
// starts it sooner and with less memory than the same code as an ES module; the
// dist/package.json written beside it says so). `naught start`'s own code (the
// supervisor, the cluster, the logs) is evaluated only by that command.
// Beside it: the worker helper (`naught/worker`, dist/worker.js with its types) and
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
  entryPoints: ['src/naught.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  // The one use of import.meta (to find the optional sd-notify addon) in CommonJS terms.
  define: { 'import.meta.url': 'naughtModuleUrl' },
  banner: { js: "#!/usr/bin/env node\nconst naughtModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});
await chmod(outfile, 0o755);
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
