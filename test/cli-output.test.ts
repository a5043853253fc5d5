// How the CLI writes and talks (cli/print.ts, host/node-internals.ts' UnixSocket): straight
// to its descriptors and to naught's socket, without node:net and its streams, which were
// a seventh of a command's time; and still whole, in order and quiet where a descriptor
// is full or its reader gone.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, test } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { NAUGHT, naught, startApp, type Result } from './helpers/naught.js';
import { useSandbox } from './helpers/sandbox.js';

/** Runs the CLI with `stdout` as its standard output; its exit code and standard error. */
function runWithStdout(args: string[], cwd: string, stdout: number): Promise<Pick<Result, 'code' | 'stderr'>> {
  const child = spawn(process.execPath, [NAUGHT, ...args], { cwd, stdio: ['ignore', stdout, 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

/** A FIFO in `dir`, open at both ends without blocking: reading end first, as a FIFO wants. */
function fifo(file: string): { reader: number; writer: number } {
  execFileSync('mkfifo', [file]);
  const reader = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  return { reader, writer: openSync(file, constants.O_WRONLY | constants.O_NONBLOCK) };
}

describe('the CLI', () => {
  const box = useSandbox();

  test('loads neither node:net nor node:stream for a command, a running naught\'s status among them', async () => {
    const { fg } = await startApp(box);
    // Each process the preload runs in lists the built-in modules it loaded, at its exit.
    writeFileSync(box.path('modules.cjs'), "process.on('exit', () => require('fs').writeFileSync(process.env.MODULES_OUT + '.' + process.pid, process.moduleLoadList.join('\\n')));\n");
    for (const args of [['version'], ['help', 'status'], ['status'], ['status', '--json'], ['status', 'nowhere.ipc']]) {
      const child = spawn(process.execPath, [NAUGHT, ...args], { cwd: box.dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: `--require ${box.path('modules.cjs')}`, MODULES_OUT: box.path('modules') } });
      child.stdout.resume();
      child.stderr.resume();
      await new Promise((resolve) => child.on('close', resolve));
      const loaded = readFileSync(box.path(`modules.${child.pid}`), 'utf8').split('\n');
      expect([args, loaded.filter((name) => name === 'NativeModule net' || name === 'NativeModule stream')]).toEqual([args, []]);
    }
    await fg.stop();
  });

  test('waits for a reader that is behind on a non-blocking pipe, and gives it everything, in order', async () => {
    const { reader, writer } = fifo(box.path('out'));
    // Filled before naught runs: its first write finds no room (EAGAIN), where a plain
    // writeSync would fail; naught hands its output to node's stream, which waits.
    const filler = Buffer.alloc(4096, 'x');
    let filled = 0;
    try {
      for (;;) filled += writeSync(writer, filler);
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('EAGAIN');
    }
    const ran = runWithStdout(['version'], box.dir, writer);
    closeSync(writer);
    const socket = new net.Socket({ fd: reader, readable: true, writable: false });
    let read = '';
    socket.on('data', (chunk: Buffer) => (read += chunk.toString()));
    await new Promise((resolve) => socket.on('end', resolve));
    expect(await ran).toEqual({ code: 0, stderr: '' });
    expect(read.length).toBe(filled + `${pkg.version}\n`.length);
    expect(read.slice(filled)).toBe(`${pkg.version}\n`);
  });

  test('says nothing more, and ends as it would, when its reader is gone', async () => {
    const { reader, writer } = fifo(box.path('out'));
    closeSync(reader);
    expect(await runWithStdout(['help'], box.dir, writer)).toEqual({ code: 0, stderr: '' });
    expect(await runWithStdout(['version'], box.dir, writer)).toEqual({ code: 0, stderr: '' });
    closeSync(writer);
  });

  test('reaches a naught through a path node:net would refuse the same way', async () => {
    writeFileSync(box.path('file'), '');
    expect(await naught(['status', 'file/naught.ipc'], { cwd: box.dir })).toMatchObject({ code: 1, stderr: `unable to connect to ipc-file ${box.path('file/naught.ipc')}: connect ENOTDIR ${box.path('file/naught.ipc')}\n` });
    expect(await naught(['status', 'file'], { cwd: box.dir })).toMatchObject({ code: 1, stderr: `unable to connect to ipc-file ${box.path('file')}: nothing answers on it (naught died, or it is not naught's)\n` });
  });
});
