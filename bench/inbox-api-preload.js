/**
 * Preloaded (`node -r`) into the built API (dist/, as deployed) by `bench/inbox.ts` with
 * BENCH_API=dist: counts every statement the pg driver sends (BEGIN, set_config and COMMIT too) and
 * answers the parent's {cmd:'stats'} with the counts, the RSS and its CPU time over IPC; exits on {cmd:'stop'}.
 * Plain JavaScript so that no TypeScript compiler is loaded into the process being measured.
 */
'use strict';
const { Client } = require('pg');

const TX_CONTROL = /^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SELECT set_config\()/i;
const counts = { all: 0, data: 0 };
const original = Client.prototype.query;
Client.prototype.query = function (...args) {
  const q = args[0];
  const text = typeof q === 'string' ? q : (q && q.text) || '';
  counts.all++;
  if (!TX_CONTROL.test(text)) counts.data++;
  return original.apply(this, args);
};

/** User + system CPU of this process so far, in ms. */
function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

process.on('message', (m) => {
  if (m.cmd === 'stats')
    process.send({
      stats: {
        ...counts,
        rss: process.memoryUsage().rss,
        cpu: cpuMs(),
        sys: process.cpuUsage().system / 1000,
      },
    });
  if (m.cmd === 'stop') process.exit(0);
});
