// The layers of src/ (docs/architecture.md): a folder imports its own layer and lower
// ones, never a higher one, and no module reaches itself again through its imports,
// static or dynamic (a cycle that works only because one side loads late).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

/** Bottom up: each top-level folder of src/ (naught.ts and launch.ts on their own) and its layer. */
const LAYERS: Record<string, number> = {
  protocol: 1,
  log: 2,
  host: 2,
  cluster: 3,
  systemd: 3,
  worker: 3,
  metrics: 3,
  supervisor: 4,
  cli: 5,
  'naught.ts': 6,
  'launch.ts': 6,
};

const SRC = path.resolve('src');

/** Every module's relative imports (import … from, export … from, import()), as paths under src/. */
type Modules = Map<string, string[]>;

function readModules(): Modules {
  const modules: Modules = new Map();
  for (const file of readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'))) {
    modules.set(file, importsOf(file, readFileSync(path.join(SRC, file), 'utf8')));
  }
  return modules;
}

function importsOf(file: string, source: string): string[] {
  const specifiers = [...source.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((match) => match[1]!);
  return specifiers.map((specifier) => path.normalize(path.join(path.dirname(file), specifier)).replace(/\.js$/, '.ts')).filter((target) => !target.startsWith('..'));
}

const layerOf = (file: string): number | undefined => LAYERS[file.split(path.sep)[0]!];

/** Each module in no layer, and each import that runs up the layers: `from → to`. */
function misplaced(modules: Modules): string[] {
  const found: string[] = [];
  for (const [file, imports] of modules) {
    const from = layerOf(file);
    if (from === undefined) found.push(`${file} is in no layer`);
    for (const target of imports) {
      const to = layerOf(target);
      if (from !== undefined && to !== undefined && to > from) found.push(`${file} (layer ${from}) → ${target} (layer ${to})`);
    }
  }
  return found;
}

/** Each cycle, once, as the modules on it. */
function cycles(modules: Modules): string[] {
  const found = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const target of modules.get(file) ?? []) {
      if (state.get(target) === 'open') found.add(stack.slice(stack.indexOf(target)).concat(target).join(' → '));
      else if (state.get(target) === undefined && modules.has(target)) visit(target);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...modules.keys()].sort()) if (state.get(file) === undefined) visit(file);
  return [...found];
}

describe('the layers of src/', () => {
  test('every module is in a layer, and imports only its own layer and lower ones', () => {
    expect(misplaced(readModules())).toEqual([]);
  });

  test('no import cycle, static or dynamic', () => {
    expect(cycles(readModules())).toEqual([]);
  });

  test('the checks catch a planted up-import, a cycle through a dynamic import, and a module outside the layers', () => {
    const planted: Modules = new Map([
      ['protocol/messages.ts', ['supervisor/event-sinks.ts']],
      ['supervisor/event-sinks.ts', []],
      ['cli/commands.ts', ['cli/deploy.ts']],
      ['cli/deploy.ts', ['cli/commands.ts']],
      ['stray.ts', []],
    ]);
    const source = "import { a } from './deploy.js';\nexport { b } from '../protocol/x.js';\nconst c = await import('./start.js');\nimport pkg from '../../package.json';";
    expect(importsOf('cli/commands.ts', source)).toEqual(['cli/deploy.ts', 'protocol/x.ts', 'cli/start.ts']);
    expect(misplaced(planted)).toEqual(['protocol/messages.ts (layer 1) → supervisor/event-sinks.ts (layer 4)', 'stray.ts is in no layer']);
    expect(cycles(planted)).toEqual(['cli/commands.ts → cli/deploy.ts → cli/commands.ts']);
  });
});
