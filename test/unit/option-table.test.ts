// The one option table: every option has what help, `naught unit` and docs/options.md need.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { START_OPTIONS } from '../../src/cli/option-table.js';
import { camelCase, duration, seconds, size, type OptionValues } from '../../src/cli/options.js';

describe('the option table', () => {
  test('every option of every command has an example (docs/options.md and help show it)', () => {
    for (const command of COMMANDS) {
      for (const [name, spec] of Object.entries(command.options)) expect({ command: command.name, name, example: spec.example }).toEqual({ command: command.name, name, example: expect.any(String) });
    }
  });

  test("README's synopsis gives every option of every command but start's (`[options]`, and unit's `[start options]`)", () => {
    const synopsis = /```\n(naught start [^`]*)```/.exec(readFileSync('README.md', 'utf8'))![1]!.split('\n');
    for (const command of COMMANDS) {
      const line = synopsis.find((each) => each.startsWith(`naught ${command.name} `) || each === `naught ${command.name}`);
      expect(line, `README's synopsis has naught ${command.name}`).toBeDefined();
      const own = command.name === 'start' ? [] : Object.keys(command.options).filter((name) => command.name !== 'unit' || !(name in START_OPTIONS));
      for (const name of own) expect(line, `naught ${command.name} --${name} in README's synopsis`).toContain(`--${name}`);
    }
  });

  test("the unit's defaults: naught's own files under /run and /var/log, the working directory, a stop timeout systemd allows", () => {
    const unit = { name: 'shop', workingDirectory: '/srv/shop/current' };
    const defaults = Object.fromEntries(Object.entries(START_OPTIONS).flatMap(([name, spec]) => (spec.unitDefault === undefined ? [] : [[name, spec.unitDefault(unit)]])));
    expect(defaults).toEqual({
      'ipc-file': '/run/shop/naught.ipc',
      'pid-file': '/run/shop/naught.pid',
      log: '/var/log/shop/naught.log',
      stdout: '/var/log/shop/stdout.log',
      stderr: '/var/log/shop/stderr.log',
      'stop-timeout': '45',
      cwd: '/srv/shop/current',
    });
    // Each default is a value the option itself accepts.
    for (const [name, value] of Object.entries(defaults)) {
      if (name !== 'cwd') expect(() => START_OPTIONS[name as keyof typeof START_OPTIONS].parse(value, name)).not.toThrow();
    }
  });

  test('a path option is written as its absolute path; the names in code are the options in camel case', () => {
    expect(START_OPTIONS.log.asPath!(START_OPTIONS.log.parse('/dev/null', 'log'))).toBe('/dev/null');
    expect(START_OPTIONS.stdout.asPath!(START_OPTIONS.stdout.parse('-', 'stdout'))).toBe('-');
    expect(START_OPTIONS['pid-file'].asPath!(START_OPTIONS['pid-file'].parse('/run/x/naught.pid', 'pid-file'))).toBe('/run/x/naught.pid');
    const values = { 'worker-count': 3, 'max-log-files': null } as unknown as OptionValues<typeof START_OPTIONS>;
    expect(camelCase(values)).toEqual({ workerCount: 3, maxLogFiles: null });
  });

  test('sizes are bytes or K, M, G, T in powers of 1024 (as pm2 reads them); durations are seconds or s, m, h, d; seconds become milliseconds once, here', () => {
    const bytes = size('', 'none');
    expect(['512M', '1G', '1.5g', '100000', '64KB', 'none'].map((value) => bytes.parse(value, 'max-memory'))).toEqual([512 * 2 ** 20, 2 ** 30, 1.5 * 2 ** 30, 100_000, 64 * 1024, null]);
    expect(bytes.parse(undefined, 'max-memory')).toBeNull();
    expect(size('', 'unchanged').parse(undefined, 'max-memory')).toBeUndefined();
    const wait = seconds('', 7);
    expect(['30', '1.5', '0.25', 'none'].map((value) => wait.parse(value, 'stop-timeout'))).toEqual([30_000, 1500, 250, undefined]);
    expect(wait.parse(undefined, 'stop-timeout')).toBe(7000);
    const age = duration('');
    expect(['90', '15m', '6h', '1d', '1.5h', 'none'].map((value) => age.parse(value, 'max-worker-age'))).toEqual([90_000, 900_000, 21_600_000, 86_400_000, 5_400_000, null]);
  });
});
