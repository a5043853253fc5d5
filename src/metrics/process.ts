// naught's own process, in the names every Prometheus client library gives it
// (client_golang's and prom-client's process collector), read at each scrape.
import { readdirSync, readFileSync } from 'node:fs';
import { residentBytes } from '../host/process-usage.js';
import type { Family } from './exposition.js';

export function processFamilies(): Family[] {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const families: Family[] = [
    counter('process_cpu_user_seconds_total', 'User CPU time naught has used, in seconds', cpu.user / 1e6),
    counter('process_cpu_system_seconds_total', 'System CPU time naught has used, in seconds', cpu.system / 1e6),
    counter('process_cpu_seconds_total', 'CPU time (user and system) naught has used, in seconds', (cpu.user + cpu.system) / 1e6),
    gauge('process_start_time_seconds', 'When naught started, in seconds since the Unix epoch', Math.round(Date.now() / 1000 - process.uptime())),
    gauge('process_resident_memory_bytes', "naught's resident memory", residentBytes(process.pid) ?? memory.rss),
    gauge('nodejs_heap_size_total_bytes', "The size of naught's V8 heap", memory.heapTotal),
    gauge('nodejs_heap_size_used_bytes', "What naught's V8 heap holds", memory.heapUsed),
    gauge('nodejs_external_memory_bytes', 'Memory of C++ objects bound to JavaScript objects in naught', memory.external),
  ];
  const open = openFds();
  if (open !== null) families.push(gauge('process_open_fds', 'File descriptors naught has open', open));
  const max = maxFds();
  if (max !== null) families.push(gauge('process_max_fds', 'The most file descriptors naught may open', max));
  return families;
}

function gauge(name: string, help: string, value: number): Family {
  return { name, help, type: 'gauge', samples: [{ value }] };
}

function counter(name: string, help: string, value: number): Family {
  return { name, help, type: 'counter', samples: [{ value }] };
}

function openFds(): number | null {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return null;
  }
}

function maxFds(): number | null {
  try {
    const soft = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
    return soft === undefined ? null : Number(soft);
  } catch {
    return null;
  }
}
