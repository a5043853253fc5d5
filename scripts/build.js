// Bundles the CLI into one file that starts fast: dist/naught.js.
import { build } from 'esbuild';
import { chmod } from 'node:fs/promises';

const outfile = 'dist/naught.js';
await build({
  entryPoints: ['src/naught.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
await chmod(outfile, 0o755);
