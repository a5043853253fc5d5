// The parts of Node that naught uses and Node does not document are checked at start (host/node-internals.ts).
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { missingNodeInternals } from '../src/host/node-internals.js';
import { naught } from './helpers/naught.js';
import { useSandbox } from './helpers/sandbox.js';

describe('Node internals', () => {
  const box = useSandbox();

  test('this Node line has every one', () => {
    expect(missingNodeInternals()).toEqual([]);
  });

  test('a Node line that lacks one is refused at start with one line naming the version and the piece; nothing is started or left', async () => {
    box.installApp('v1');
    // A Node line without net.Server's _listen2 and without process.binding, as a future one may be.
    const drop = box.path('drop.cjs');
    writeFileSync(drop, "delete require('node:net').Server.prototype._listen2;\ndelete process.binding;\n");
    const before = readdirSync(box.dir).sort();
    for (const mode of ['false', 'true']) {
      const { code, stdout, stderr } = await naught(['start', '--daemon-mode', mode, 'server.js'], { cwd: box.dir, env: { NODE_OPTIONS: `--require ${drop}` } });
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(new RegExp(`^unable to start: node ${process.version} lacks process\\.binding\\('tcp_wrap'\\)\\.TCP, .*net\\.Server\\.prototype\\._listen2, which naught uses; run naught on Node 22, 24 or 26\\n$`));
      expect(stderr).not.toContain('    at ');
    }
    expect(readdirSync(box.dir).sort()).toEqual(before);
    expect(existsSync(box.path('naught.ipc'))).toBe(false);
  });
});
