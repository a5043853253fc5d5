// Entry points users write today, each started, deployed and stopped under naught:
// an ES module with top-level await (.mjs, and .js under "type": "module"), and a
// TypeScript server on the lines that strip types (22.18+, 24, 26).
import { writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { body, freePort } from './helpers/http.js';
import { Foreground, naught } from './helpers/naught.js';
import { useSandbox } from './helpers/sandbox.js';

/** A server that awaits something before it listens, in the module syntax given. */
function server(version: string, typed: boolean): string {
  const port = typed ? 'const port: number = Number(process.env.PORT);' : 'const port = Number(process.env.PORT);';
  return [
    "import http from 'node:http';",
    port,
    // Top-level await: the module finishes evaluating only after this.
    `const version${typed ? ': string' : ''} = await Promise.resolve('${version}');`,
    "const app = http.createServer((_request, response) => response.end(version + ' ' + import.meta.url.split('/').pop()));",
    "app.listen(port, '127.0.0.1', () => process.send?.('online'));",
    "process.on('message', (message) => { if (message === 'shutdown') app.close(); });",
    '',
  ].join('\n');
}

const ENTRIES = [
  { name: 'an .mjs module with top-level await', file: 'server.mjs', typed: false, packageJson: null },
  { name: 'a .js file of a "type": "module" package, with top-level await', file: 'server.js', typed: false, packageJson: { type: 'module' } },
  { name: 'a TypeScript file (types stripped by node)', file: 'server.ts', typed: true, packageJson: { type: 'module' } },
];

describe.each(ENTRIES)('$name', ({ file, typed, packageJson }) => {
  const box = useSandbox();
  const strips = process.features.typescript !== undefined && process.features.typescript !== false;

  test.skipIf(typed && !strips)(`naught start ${file}: serves, deploys new code, stops`, async () => {
    if (packageJson !== null) writeFileSync(box.path('package.json'), JSON.stringify(packageJson));
    writeFileSync(box.path(file), server('v1', typed));
    const port = await freePort();
    const fg = new Foreground(['start', '--worker-count', '2', file], { cwd: box.dir, env: { PORT: String(port) } });
    await fg.waitFor('Ready');
    expect(await body(port, '/')).toBe(`v1 ${file}`);
    writeFileSync(box.path(file), server('v2', typed));
    expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 0 });
    expect(await body(port, '/')).toBe(`v2 ${file}`);
    // Nothing but the app's own output: no warning about the module or the types.
    expect(fg.stderr.split('\n').filter((line) => line !== '' && !/^[A-Za-z]+\. booting/.test(line))).toEqual([]);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });
});
