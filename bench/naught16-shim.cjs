// naught 1.6.0 writes its pid file with fs.writeFile(file, process.pid), a number,
// which Node 20 refuses; this converts it to a string and changes nothing else.
'use strict';
const fs = require('node:fs');
const writeFile = fs.writeFile;
fs.writeFile = (file, data, ...rest) => writeFile(file, typeof data === 'number' ? String(data) : data, ...rest);
