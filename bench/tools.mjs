// The three supervisors, driven the same way: start N workers of an app, deploy,
// ask the status, and stop; and which processes are the supervisor's own.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { childrenOf, commandOf, launch, run, waitFor } from './measure.mjs';

const NODE = process.execPath;

/** Waits until `status()` says every worker is online. */
async function online(check, what) {
  await waitFor(async () => {
    try {
      return await check();
    } catch {
      return false;
    }
  }, what, 60_000);
}

/** This naught: the foreground supervisor of dist/naught.js. */
function naught(root) {
  const cli = path.join(root, 'dist/naught.js');
  return {
    name: 'naught',
    async start({ dir, app, workers, env, logFile = path.join(dir, 'stdout.log'), extraArgs = [] }) {
      const args = ['start', '--worker-count', String(workers), '--max-log-size', String(1 << 30), '--stdout', logFile, ...extraArgs, app];
      // In the foreground the console copy goes to naught's stdout, here /dev/null, as under a quiet journal.
      const child = launch(NODE, [cli, ...args], { cwd: dir, env, stdio: ['ignore', 'ignore', 'ignore'] });
      const command = (verb) => run(NODE, [cli, verb], { cwd: dir, env });
      await online(async () => (await command('status')).stdout === `workers online: ${workers}\n`, 'naught to be online');
      return {
        deploy: async () => (await command('deploy')).ms,
        status: async () => (await command('status')).ms,
        supervisorPids: () => [child.pid, ...childrenOf(child.pid).filter((pid) => isHelper(pid, app))],
        workerPids: () => childrenOf(child.pid).filter((pid) => commandOf(pid).includes(app)),
        ready: () => online(async () => (await command('status')).stdout === `workers online: ${workers}\n`, 'naught to be online'),
        async stop() {
          child.kill('SIGTERM');
          await child.exited;
        },
      };
    },
  };
}

/** naught 1.6.0 in its foreground mode (its daemon mode does not start on Node 20). */
function naught16(peers) {
  const main = path.join(peers, 'node_modules/naught/lib/main.js');
  // 1.6.0 passes a number to fs.writeFile for its pid file, which Node 20 refuses; the shim only converts it.
  const shim = path.join(import.meta.dirname, 'naught16-shim.cjs');
  return {
    name: 'naught 1.6',
    async start({ dir, app, workers, env, logFile = path.join(dir, 'stdout.log') }) {
      const args = ['start', '--daemon-mode', 'false', '--worker-count', String(workers), '--max-log-size', String(1 << 30), '--stdout', logFile, app];
      const child = launch(NODE, ['--require', shim, main, ...args], { cwd: dir, env });
      const command = (verb) => run(NODE, [main, verb], { cwd: dir, env });
      const isOnline = async () => (await command('status')).stdout === `workers online: ${workers}\n`;
      await online(isOnline, 'naught 1.6 to be online');
      const master = () => childrenOf(child.pid).find((pid) => commandOf(pid).includes('master.js'));
      return {
        deploy: async () => (await command('deploy')).ms,
        status: async () => (await command('status')).ms,
        supervisorPids: () => [child.pid, master()].filter(Boolean),
        workerPids: () => childrenOf(master()).filter((pid) => commandOf(pid).includes(app)),
        ready: () => online(isOnline, 'naught 1.6 to be online'),
        async stop() {
          await command('stop');
          await child.exited;
        },
      };
    },
  };
}

/** pm2 7 in cluster mode, waiting for the app's 'ready' at start and reload. */
function pm2(peers) {
  const bin = path.join(peers, 'node_modules/pm2/bin/pm2');
  return {
    name: 'pm2',
    async start({ dir, app, workers, env, logFile = path.join(dir, 'stdout.log'), extraArgs = [] }) {
      const home = path.join(dir, 'pm2-home');
      const pm2Env = { ...env, PM2_HOME: home };
      const command = (...args) => run(NODE, [bin, ...args], { cwd: dir, env: pm2Env });
      await command(
        'start', app, '--name', 'bench', '-i', String(workers), '--wait-ready', '--listen-timeout', '15000',
        '--kill-timeout', '7000', '--merge-logs', '-o', logFile, '-e', path.join(dir, 'stderr.log'), ...extraArgs,
      );
      const god = () => Number(readFileSync(path.join(home, 'pm2.pid'), 'utf8'));
      const isOnline = async () => {
        const list = JSON.parse((await command('jlist')).stdout);
        return list.length === workers && list.every((p) => p.pm2_env.status === 'online');
      };
      await online(isOnline, 'pm2 to be online');
      return {
        deploy: async () => (await command('reload', 'bench')).ms,
        status: async () => (await command('jlist')).ms,
        /** Times pm2 started a worker again, all workers together. */
        restarts: async () => JSON.parse((await command('jlist')).stdout).reduce((sum, p) => sum + p.pm2_env.restart_time, 0),
        supervisorPids: () => [god(), ...childrenOf(god()).filter((pid) => isHelper(pid, app))],
        workerPids: () => childrenOf(god()).filter((pid) => commandOf(pid).includes(app)),
        ready: () => online(isOnline, 'pm2 to be online'),
        async stop() {
          const pid = existsSync(path.join(home, 'pm2.pid')) ? god() : null;
          // pm2 kill can fail while a worker it is restarting holds on; the daemon is then ended by signal.
          const killed = await run(NODE, [bin, 'kill'], { cwd: dir, env: pm2Env, allowFailure: true });
          if (killed.code !== 0 && pid !== null) for (const each of [...childrenOf(pid), pid]) process.kill(each, 'SIGKILL');
          if (pid !== null) await waitFor(() => !existsSync(`/proc/${pid}`), 'the pm2 daemon to exit');
        },
      };
    },
  };
}

/**
 * A child of the supervisor that is part of it (naught's reaper, pm2's helpers), not a worker
 * of `app`: a worker that has exited and is not reaped yet has no command line, and no memory.
 */
function isHelper(pid, app) {
  const command = commandOf(pid);
  return command !== '' && !command.includes(app);
}

export function tools(root, peers) {
  return [naught(root), naught16(peers), pm2(peers)];
}
