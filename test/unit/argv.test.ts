import { describe, expect, test } from 'vitest';
import { splitCommandLine, type CommandShape } from '../../src/cli/argv.js';
import { UsageError } from '../../src/cli/options.js';

const start: CommandShape = { name: 'start', options: ['stdout', 'node-args', 'worker-count'], flags: [], maxPositionals: 1, script: true };
const stop: CommandShape = { name: 'stop', options: ['timeout'], flags: [], maxPositionals: 1, script: false };

describe('splitCommandLine', () => {
  test('values that begin with "-" belong to their option', () => {
    const line = splitCommandLine(['--stdout', '-', '--node-args', '--harmony --use-strict', 'server.js'], start);
    expect(Object.fromEntries(line.values)).toEqual({ stdout: '-', 'node-args': '--harmony --use-strict' });
    expect(line.positionals).toEqual(['server.js']);
  });

  test("everything after the script is the script's, untouched", () => {
    const line = splitCommandLine(['server.js', '--custom1', 'aoeu', 'herp derp', '--worker-count', '3', '-h'], start);
    expect(line.rest).toEqual(['--custom1', 'aoeu', 'herp derp', '--worker-count', '3', '-h']);
    expect(line.values.size).toBe(0);
    expect(line.help).toBe(false);
  });

  test('--name=value works too', () => {
    expect(splitCommandLine(['--timeout=3'], stop).values.get('timeout')).toBe('3');
    // A flag takes no value: what follows it is the next argument.
    const status: CommandShape = { name: 'status', options: ['json'], flags: ['json'], maxPositionals: 1, script: false };
    const flagged = splitCommandLine(['--json', 'a.ipc'], status);
    expect([flagged.values.get('json'), flagged.positionals]).toEqual(['true', ['a.ipc']]);
  });

  test('other commands take options on either side of the ipc-file', () => {
    const line = splitCommandLine(['x.ipc', '--timeout', '2'], stop);
    expect(line.positionals).toEqual(['x.ipc']);
    expect(line.values.get('timeout')).toBe('2');
  });

  test.each([
    [['--nope', '1'], "unknown option --nope for 'naught stop' (known: --timeout)"],
    [['-t', '1'], "unknown option -t for 'naught stop' (known: --timeout)"],
    [['--timeout'], '--timeout needs a value'],
    [['--timeout', '1', '--timeout', '2'], '--timeout is given twice'],
    [['a.ipc', 'b.ipc'], "unexpected argument 'b.ipc' for 'naught stop'"],
  ])('%j is refused', (args, message) => {
    expect(() => splitCommandLine(args, stop)).toThrow(new UsageError(message));
  });
});
