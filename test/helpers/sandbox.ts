// A fresh directory per test, and the check that the test left no process behind.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { processesUnder, until } from './processes.js';

const FIXTURE = path.resolve('test/fixtures/app.cjs');

export interface Sandbox {
  readonly dir: string;
  /** A path inside the sandbox. */
  path(...parts: string[]): string;
  /** Writes the fixture app (or another fixture) as `file` (server.js) with VERSION set: new code on disk. */
  installApp(version: string, file?: string, fixture?: string): string;
  /** Lets an app in the sandbox require this checkout's dependencies (express, fastify, ws). */
  linkModules(): void;
}

/** Call at the top of a describe block: every test gets its own directory. */
export function useSandbox(): Sandbox {
  let dir = '';
  beforeEach(() => {
    const root = process.env.NAUGHT_TEST_ROOT;
    if (root === undefined) throw new Error('NAUGHT_TEST_ROOT is not set: run through vitest');
    dir = mkdtempSync(path.join(root, 't-'));
  });
  afterEach(async () => {
    // Give processes that are exiting on their own a moment; anything still there is a leak.
    let left = processesUnder(dir);
    try {
      await until(() => (left = processesUnder(dir)).length === 0, 'the processes of this test to exit', 5_000);
    } catch {
      for (const { pid } of left) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      await until(() => processesUnder(dir).length === 0, 'killed processes to go', 5_000);
      throw new Error(`the test left processes running:\n${left.map((p) => `  ${p.pid} ${p.command}`).join('\n')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return {
    get dir() {
      return dir;
    },
    path: (...parts) => path.join(dir, ...parts),
    installApp(version, file = 'server.js', fixture = FIXTURE) {
      const target = path.join(dir, file);
      writeFileSync(target, readFileSync(fixture, 'utf8').replace('__VERSION__', version));
      return target;
    },
    linkModules() {
      symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));
    },
  };
}

