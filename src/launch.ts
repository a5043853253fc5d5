// The `naught` command (dist/naught.js): runs the CLI from V8's code for it, cached
// (host/compile-cache.ts). `naught start` runs all of naught (dist/supervisor.js); every
// other command runs the CLI without the supervisor (dist/cli.js, scripts/build.js),
// with a cache of its own, written after it ran.
import path from 'node:path';
import { runCached } from './host/compile-cache.js';

const command = process.argv[2] ?? '';
if (command === 'start') runCached(path.join(__dirname, 'supervisor.js'), 'supervisor', 'compile', require);
// Anything but a lowercase word (an option, a path) shares one cache; a mistyped word gets its own.
else runCached(path.join(__dirname, 'cli.js'), /^[a-z]{1,12}$/.test(command) ? `cli-${command}` : 'cli', 'exit', require);
