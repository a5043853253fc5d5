// The whole test suite, as CI runs it: the type check once; the fast tier and the
// fault suite on every supported Node line, each with the sd-notify addon built
// against that line's own headers (so both notify transports are tested on each);
// then the slow tier (real systemd, PID 1, podman) on the newest line. Ends with a
// table of the counts per line, and exits non-zero if any run failed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DOCKER_LINE, LINES, NEWEST, buildAddon, envWithNode, nodeBinary, nodeLine } from './node-lines.mjs';

const TIERS = [
  { name: 'fast', config: 'vitest.config.ts' },
  { name: 'faults', config: 'vitest.faults.config.ts' },
];
const SLOW = { name: 'slow', config: 'vitest.slow.config.ts' };

const reports = mkdtempSync(path.join(tmpdir(), 'naught-reports-'));
const rows = [];

function vitest(version, tier) {
  const report = path.join(reports, `${version}-${tier.name}.json`);
  console.log(`\n== ${tier.name} tier on Node ${version}\n`);
  const started = Date.now();
  const { status } = spawnSync(
    nodeBinary(version),
    ['node_modules/vitest/vitest.mjs', 'run', '--config', tier.config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    { stdio: 'inherit', env: envWithNode(nodeLine(version)) },
  );
  let counts = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, testResults: [] };
  try {
    counts = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    // No report: the run broke before its end; its exit code says so.
  }
  rows.push({ version, tier: tier.name, status, passed: counts.numPassedTests, failed: counts.numFailedTests, skipped: counts.numPendingTests, seconds: Math.round((Date.now() - started) / 1000), failures: failuresIn(counts) });
}

// CI keeps only the tail of a long run: the failures are repeated there, a few lines each.
function failuresIn(report) {
  const failures = [];
  for (const file of report.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if (test.status !== 'failed') continue;
      const message = (test.failureMessages ?? []).join('\n').split('\n').slice(0, 6).join('\n    ');
      failures.push(`${path.relative(process.cwd(), file.name)} > ${test.fullName}\n    ${message}`);
    }
    if ((file.assertionResults ?? []).length === 0 && file.status === 'failed') failures.push(`${path.relative(process.cwd(), file.name)}: ${file.message ?? 'failed'}`);
  }
  return failures;
}

function step(command, args) {
  const { status } = spawnSync(command, args, { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}

try {
  step(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit']);
  for (const version of LINES) {
    const addon = buildAddon(nodeLine(version));
    if (!addon) console.log('sd-notify is not installed: only the systemd-notify transport is tested');
    for (const tier of TIERS) vitest(version, tier);
  }
  // The addon is built for NEWEST already: it is the last of LINES.
  // The podman test's base image stands in for the Dockerfile's node:24-bookworm-slim.
  process.env.NAUGHT_IMAGE_NODE = nodeBinary(DOCKER_LINE);
  vitest(NEWEST, SLOW);
} finally {
  // node_modules is left with the addon of the node that runs npm here.
  buildAddon(null);
  rmSync(reports, { recursive: true, force: true });
}

console.log('\nNode line   tier     passed  failed  skipped  time');
for (const row of rows) {
  const mark = row.status === 0 ? '' : `  (exit ${row.status})`;
  console.log(`${row.version.padEnd(11)} ${row.tier.padEnd(8)} ${String(row.passed).padStart(6)}  ${String(row.failed).padStart(6)}  ${String(row.skipped).padStart(7)}  ${row.seconds} s${mark}`);
}
for (const row of rows) {
  for (const failure of row.failures) console.log(`\nFAILED on ${row.version} ${row.tier}: ${failure}`);
}
const passed = rows.reduce((sum, row) => sum + row.passed, 0);
const failed = rows.reduce((sum, row) => sum + row.failed, 0);
const broken = rows.filter((row) => row.status !== 0).length;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(broken === 0 && failed === 0 ? 0 : 1);
