#!/usr/bin/env node
// Cold-start budget (issue 23 item 1) in npm test: a fresh Node process that
// imports the INSTALLED package (npm pack → a fresh app, by package name), runs
// init() and makes one ML-KEM-768 keypair, against @noble/post-quantum doing the
// same in the same run. Expressed as a ratio of the times over an empty `node`
// process, not as an absolute time, so it holds on a slow or busy machine:
// the three scripts are spawned interleaved, round after round, and each
// one's fastest run counts (load only ever adds time, so the minimum is the
// closest to the unloaded figure); a ratio over target is measured again, up
// to --tries times, and the best ratio counts. The script must also exit on its
// own (nothing left running): a run that has not exited 2 s after its result fails.
//
//   node test/runners/coldstart-budget.mjs [--rounds 12] [--tries 3] [--target 0.5]
// Last line: "coldstart-budget: N passed, N failed". bench/coldstart.mjs has the full table.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeApp } from './packed-app.mjs';

const args = process.argv.slice(2);
const opt = (n, d) => {
  const i = args.indexOf(n);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const ROUNDS = opt('--rounds', 12);
const TRIES = opt('--tries', 3);
const TARGET = opt('--target', 0.5);
const started = Date.now();

const { app } = makeApp('coldstart-budget', { extra: ['@noble/post-quantum'] });
const SCRIPTS = {
  empty: `console.log('ok');`,
  qsign: `import { init, ml_kem768 } from 'qsign-pqc'; await init(); ml_kem768.keygen(); console.log('ok');`,
  noble: `import { ml_kem768 } from '@noble/post-quantum/ml-kem.js'; ml_kem768.keygen(); console.log('ok');`,
};
for (const [name, src] of Object.entries(SCRIPTS)) writeFileSync(join(app, `${name}.mjs`), src);

/** ms from spawn to the "ok" line, and whether the process then exited within 2 s. */
function timed(name) {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    let result,
      out = '',
      timer;
    const child = spawn(process.execPath, [join(app, `${name}.mjs`)], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => {
      if (result === undefined && (out += d).includes('ok')) {
        result = Number(process.hrtime.bigint() - t) / 1e6;
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

let best, last;
let failure;
try {
  for (let t = 0; t < TRIES; t++) {
    const min = { empty: Infinity, qsign: Infinity, noble: Infinity };
    for (const name of Object.keys(SCRIPTS)) await timed(name); // warm the file cache
    for (let r = 0; r < ROUNDS; r++)
      for (const name of Object.keys(SCRIPTS)) min[name] = Math.min(min[name], await timed(name));
    const ratio = (min.qsign - min.empty) / (min.noble - min.empty);
    last = { ...min, ratio };
    if (!best || ratio < best.ratio) best = last;
    console.log(
      `  try ${t + 1}: empty ${min.empty.toFixed(1)} ms; to the first ML-KEM-768 keypair qsign +${(min.qsign - min.empty).toFixed(1)} ms, noble +${(min.noble - min.empty).toFixed(1)} ms over empty: ratio ${ratio.toFixed(2)}`,
    );
    if (ratio <= TARGET) break;
  }
} catch (e) {
  failure = e.message;
} finally {
  rmSync(app, { recursive: true, force: true });
}

const ok = !failure && best.ratio <= TARGET;
console.log(
  failure
    ? `  FAIL cold start: ${failure}`
    : `  ${ok ? 'ok  ' : 'FAIL'} Node ${process.versions.node} cold start of the installed package: ${best.ratio.toFixed(2)}× @noble/post-quantum's time over an empty process (target ≤ ${TARGET}×), best of ${ROUNDS} interleaved rounds`,
);
console.log(`coldstart-budget: ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
process.exitCode = ok ? 0 : 1;
