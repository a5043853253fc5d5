// The floor of any supervisor built on node:cluster: a primary that forks N workers of
// the app (argv[2], N = argv[3]) with their output piped into one file (argv[4]), and
// does nothing else. bench.mjs measures its memory beside a bare idle node.
const cluster = require('node:cluster');
const fs = require('node:fs');

const [app, count, file] = process.argv.slice(2);
const out = fs.createWriteStream(file, { flags: 'a' });
cluster.setupPrimary({ exec: app, silent: true });
for (let i = 0; i < Number(count); i += 1) {
  const worker = cluster.fork();
  worker.process.stdout.pipe(out, { end: false });
  worker.process.stderr.pipe(out, { end: false });
}
process.on('SIGTERM', () => {
  for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGKILL');
  process.exit(0);
});
