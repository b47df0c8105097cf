#!/usr/bin/env node
// Cold-start budget (issue 23 item 1) in npm test: a fresh Node process that
// imports the INSTALLED package (npm pack → a fresh app, by package name), runs
// init() and makes one ML-KEM-768 keypair, against @noble/post-quantum doing the
// same in the same run, each over an empty `node` process. Expressed as a ratio,
// not an absolute time, and in the child's own CPU time up to its result (all
// threads, process.cpuUsage() when the keypair is done): on this shared 2-core
// machine wall-clock minima of a few rounds swung 0.14–1.57× for one build, as
// load hit the empty baseline or a run; CPU time is not inflated by time spent
// descheduled. The three scripts are spawned interleaved, round after round; the
// median of each counts; a ratio over target is measured again, up to --tries
// times, and the best ratio counts (noise can make a fast build look slow, a
// real regression stays over in every try). The script must also exit on its
// own (nothing left running): a run that has not exited 2 s after its result fails.
// Besides the ratio, qsign's own time over empty has a budget (--max-over, ms CPU),
// the issue's ≤ 15 ms, judged like the ratio: over target passes marked OVER TARGET
// within the tolerance, and fails above it (15 ms × 1.1). Measured 2026-12-07 on this
// 2-core machine: +19.7–21.0 ms before the SHA-2 and staged self-test changes, +14.9–18.2
// after, +11.9 (0.30× noble) since the unbundled build imports one runtime file and
// Node on Linux takes its randomness from the kernel instead of loading webcrypto
// (docs/performance.md "Cold start" has the breakdown per phase).
//
//   node test/runners/coldstart-budget.mjs [--rounds 9] [--tries 3] [--target 0.5] [--max-over 15] [--tolerance 0.1] [--tarball old.tgz]
// Last line: "coldstart-budget: N passed, N failed". bench/coldstart.mjs has the full table.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeApp } from './packed-app.mjs';
import { median } from '../../bench/stats.mjs';

const args = process.argv.slice(2);
const opt = (n, d) => {
  const i = args.indexOf(n);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const ROUNDS = opt('--rounds', 9);
const TRIES = opt('--tries', 3);
const TARGET = opt('--target', 0.5);
const MAX_OVER = opt('--max-over', 15);
// As bench/quick.mjs: each target fails only above target × (1 + tolerance); between the two it passes, marked OVER TARGET.
const TOLERANCE = opt('--tolerance', 0.1);
const started = Date.now();

const t = args.indexOf('--tarball');
const { app } = makeApp('coldstart-budget', {
  extra: ['@noble/post-quantum'],
  tarball: t >= 0 ? args[t + 1] : undefined,
});
const SCRIPTS = {
  empty: ``,
  qsign: `import { init, ml_kem768 } from 'qsign-pqc'; await init(); ml_kem768.keygen();`,
  noble: `import { ml_kem768 } from '@noble/post-quantum/ml-kem.js'; ml_kem768.keygen();`,
};
const REPORT = `const u = process.cpuUsage(); console.log('ok ' + (u.user + u.system) / 1000);`;
for (const name of Object.keys(SCRIPTS)) SCRIPTS[name] += REPORT;
for (const [name, src] of Object.entries(SCRIPTS)) writeFileSync(join(app, `${name}.mjs`), src);

/** CPU ms the child reports with its "ok" line; rejects unless it then exits (within 2 s) with status 0. */
function timed(name) {
  return new Promise((resolve, reject) => {
    let result,
      out = '',
      timer;
    const child = spawn(process.execPath, [join(app, `${name}.mjs`)], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => {
      const m = result === undefined && /ok (\S+)\n/.exec((out += d));
      if (m) {
        result = Number(m[1]);
        timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      }
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0 || result === undefined)
        reject(
          new Error(
            `${name}: exit ${code ?? signal}${signal === 'SIGKILL' ? ' (still running 2 s after its result)' : ''} ${err.trim()}`,
          ),
        );
      else resolve(result);
    });
  });
}

let best;
let failure;
try {
  for (const name of Object.keys(SCRIPTS)) await timed(name); // warm the file cache
  for (let t = 0; t < TRIES; t++) {
    const cpu = { empty: [], qsign: [], noble: [] };
    for (let r = 0; r < ROUNDS; r++) for (const name of Object.keys(SCRIPTS)) cpu[name].push(await timed(name));
    const m = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, median(v)]));
    const over = m.qsign - m.empty;
    const ratio = over / (m.noble - m.empty);
    console.log(
      `  try ${t + 1}: empty ${m.empty.toFixed(1)} ms CPU; to the first ML-KEM-768 keypair qsign +${(m.qsign - m.empty).toFixed(1)} ms, noble +${(m.noble - m.empty).toFixed(1)} ms over empty: ratio ${ratio.toFixed(2)}`,
    );
    if (!best || over / MAX_OVER + ratio / TARGET < best.over / MAX_OVER + best.ratio / TARGET)
      best = { ...m, ratio, over };
    if (ratio <= TARGET && over <= MAX_OVER) break;
  }
} catch (e) {
  failure = e.message;
} finally {
  rmSync(app, { recursive: true, force: true });
}

const ok = !failure && best.ratio <= TARGET * (1 + TOLERANCE) && best.over <= MAX_OVER * (1 + TOLERANCE);
console.log(
  failure
    ? `  FAIL cold start: ${failure}`
    : `  ${ok ? 'ok  ' : 'FAIL'} Node ${process.versions.node} cold start of the installed package: +${best.over.toFixed(1)} ms over an empty process (target ≤ ${MAX_OVER} ms${best.over > MAX_OVER ? ': OVER TARGET' : ''}), ${best.ratio.toFixed(2)}× @noble/post-quantum's time over empty (target ≤ ${TARGET}×${best.ratio > TARGET ? ': OVER TARGET' : ''}), CPU time, median of ${ROUNDS} interleaved rounds; fails above ${TOLERANCE * 100} % over either target`,
);
console.log(`coldstart-budget: ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
process.exitCode = ok ? 0 : 1;
