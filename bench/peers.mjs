// What the benchmark compares against, installed into a scratch folder on first
// use (pm2 7 and naught 1.6.0 from npm), and wrk from Debian.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from './measure.mjs';

export const PEERS = ['pm2@7', 'naught@1.6.0'];

export async function installPeers(dir) {
  const marker = path.join(dir, 'node_modules/naught/package.json');
  if (!existsSync(marker) || !existsSync(path.join(dir, 'node_modules/pm2/package.json'))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{ "name": "naught-bench-peers", "private": true }\n');
    console.error(`installing ${PEERS.join(', ')} into ${dir}`);
    // No install scripts: neither needs one to run.
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel', 'error', ...PEERS], { cwd: dir });
  }
  const wrk = await run('sh', ['-c', 'command -v wrk'], { allowFailure: true });
  if (wrk.code !== 0) {
    if (process.getuid?.() !== 0) throw new Error('wrk is needed: apt-get install wrk');
    console.error('installing wrk from Debian');
    await run('apt-get', ['install', '-y', '-qq', 'wrk'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
}
