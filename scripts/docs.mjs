// Writes docs/options.md from the command table (src/cli/options-page.ts), bundled with
// esbuild into a temporary file, as the table is TypeScript. test/docs.test.ts checks it.
import { build } from 'esbuild';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = await mkdtemp(path.join(tmpdir(), 'naught-docs-'));
try {
  const outfile = path.join(dir, 'page.mjs');
  await build({
    stdin: {
      contents: "import { COMMANDS } from './src/cli/commands.ts'; import { optionsPage } from './src/cli/options-page.ts'; export default optionsPage(COMMANDS);",
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
  });
  const page = (await import(pathToFileURL(outfile).href)).default;
  await writeFile('docs/options.md', page);
  console.log('wrote docs/options.md');
} finally {
  await rm(dir, { recursive: true, force: true });
}
