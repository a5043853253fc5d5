// The `naught` command (dist/naught.js): turns node's compile cache on, then runs the CLI
// (dist/cli.js) through it. With V8's code for the CLI cached, a command skips compiling
// 300 KB of JavaScript (a fifth of `naught version` on Node 26); the cache must be on
// before the CLI is loaded, hence this file of its own.
import { enableCompileCache } from './host/compile-cache.js';

enableCompileCache();
require('./cli.js');
