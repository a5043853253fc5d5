// The log benchmark's worker: once the GO file appears, writes LINES numbered
// lines of SIZE bytes to stdout, in batches as a busy app would. Under naught it
// follows the worker contract and stays up; on its own it exits when done.
const { existsSync } = require('node:fs');

const lines = Number(process.env.LINES);
const size = Number(process.env.SIZE);
// The worker's number: NAUGHT_WORKER under naught, NODE_APP_INSTANCE under pm2.
const tag = `w${process.env.NAUGHT_WORKER ?? process.env.NODE_APP_INSTANCE ?? process.env.TAG}`;
const BATCH = 64;

function line(i) {
  const head = `${tag} ${i} `;
  return `${head}${'x'.repeat(size - head.length - 1)}\n`;
}

function write() {
  for (let i = 0; i < lines; i += BATCH) {
    let chunk = '';
    for (let j = i; j < Math.min(i + BATCH, lines); j += 1) chunk += line(j);
    process.stdout.write(chunk);
  }
}

const go = setInterval(() => {
  if (!existsSync(process.env.GO)) return;
  clearInterval(go);
  write();
}, 2);

if (process.send !== undefined) {
  // 'online' for naught, 'ready' for pm2's --wait-ready.
  process.send('online');
  process.send('ready');
  process.on('message', (message) => message === 'shutdown' && process.exit(0));
}
