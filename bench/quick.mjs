#!/usr/bin/env node
// `npm run bench:quick`: the CI regression guard. Ratio-based, so it holds on
// a slow or busy machine where absolute ops/s mean nothing:
//   - ML-KEM-768 keygen/encaps/decaps and ML-DSA-65 keygen/sign/verify: our SIMD128 build
//     ≥ 2× @oqs/liboqs-js (liboqs compiled to wasm without SIMD128)
//   - the same operations: SIMD128 ≥ 1.5× our scalar build
//   - SLH-DSA-SHA2-128f keygen/sign/verify: SIMD128 ≥ 2× our scalar build (the
//     4-lane SHA-256 kernel; issue 21's target, measured 2.6–3×)
// Each case interleaves the samples of the three implementations (load hits
// them alike), times with this process's CPU time (time spent descheduled
// does not count), and takes the median. A check below target is measured
// again, up to --tries rounds, and the best ratio counts: noise can only make
// a fast build look slower, so a build that is really fast passes in some
// round, while a real regression stays below in all of them. It fails only
// below target × (1 − tolerance) (default 10 %), and then prints the table.
//
//   node bench/quick.mjs [--tries 3] [--tolerance 0.1] [--verbose] [--known "<case>:<peer>" …] [--tarball FILE]
//
// Runs in Node (this process) in well under 60 s; last line is
// "bench-quick: N passed, N failed". Like `npm run bench`, it measures the
// package as installed: `npm pack` of this checkout (or --tarball FILE) in a
// fresh app, the suite importing it by name (bench/app.mjs).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from '../test/runners/lib.mjs';
import { runtimeTable, fmt } from './report.mjs';
import { bundleSuite, installPackage } from './app.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const TRIES = Number(opt('--tries', process.env.QSIGN_BENCH_TRIES ?? 3));
const TOLERANCE = Number(opt('--tolerance', process.env.QSIGN_BENCH_TOLERANCE ?? 0.1));
const VERBOSE = args.includes('--verbose');
// --known "ML-DSA-65 sign 1 KiB:@oqs/liboqs-js" (repeatable): a shortfall already
// tracked elsewhere. It is still measured and printed (KNOWN), but does not
// fail the run, so the other checks keep guarding while it is being fixed.
const KNOWN = args.flatMap((a, i) => (a === '--known' ? [args[i + 1]] : []));
const started = Date.now();

const OURS = 'qsign simd128',
  SCALAR = 'qsign scalar',
  OQS = '@oqs/liboqs-js';
const CORE_CHECKS = [
  { peer: OQS, target: 2 },
  { peer: SCALAR, target: 1.5 },
];
// SLH-DSA against liboqs-js is not guarded: 1.7–2.1× on the SHA2 sets (issue 21's
// target is 2×), too close to hold under load; docs/slhdsa.md has the figures.
const SLH_CHECKS = [{ peer: SCALAR, target: 2 }];
const CHECKS_OF = {
  'ML-KEM-768 keygen': CORE_CHECKS,
  'ML-KEM-768 encaps': CORE_CHECKS,
  'ML-KEM-768 decaps': CORE_CHECKS,
  'ML-DSA-65 keygen': CORE_CHECKS,
  'ML-DSA-65 sign 1 KiB': CORE_CHECKS,
  'ML-DSA-65 verify 1 KiB': CORE_CHECKS,
  'SLH-DSA-SHA2-128f keygen': SLH_CHECKS,
  'SLH-DSA-SHA2-128f sign 1 KiB': SLH_CHECKS,
  'SLH-DSA-SHA2-128f verify 1 KiB': SLH_CHECKS,
};
const CASES = Object.keys(CHECKS_OF);

const pkg = installPackage({ tarball: opt('--tarball'), label: 'bench-quick' });
// The app (the package and its wasm, loaded as the cases run) stays until this process exits.
process.on('exit', () => pkg.remove());
mkdirSync(join(pkg.app, 'bench'), { recursive: true });
const outfile = join(pkg.app, 'bench', 'suite.mjs');
await bundleSuite(pkg, { target: 'node', contents: "export * from './suite.ts';", outfile });
const suite = await import(pathToFileURL(outfile).href);
suite.setClock(() => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
});

const best = new Map(); // case → CaseResult with the best ratios seen so far
const ratioOf = (c, peer) => {
  const a = c.cells.find((x) => x.impl === OURS),
    b = c.cells.find((x) => x.impl === peer);
  return a?.median && b?.median ? a.median / b.median : undefined;
};
const bestRatio = new Map(); // `${case}|${peer}` → best ratio
let pending = CASES;
for (let round = 1; round <= TRIES && pending.length; round++) {
  const r = await suite.runBench(
    { quick: true, filter: pending.join(','), impls: [OURS, SCALAR, OQS], samples: 5, sampleMs: 50, warmupMs: 100 },
    VERBOSE ? (s) => console.error(`  round ${round}: ${s}`) : undefined,
  );
  for (const c of r.results) {
    const key = `${c.group} ${c.name}`;
    if (!CASES.includes(key)) continue;
    if (!best.has(key)) best.set(key, c);
    for (const { peer } of CHECKS_OF[key]) {
      const x = ratioOf(c, peer);
      const k = `${key}|${peer}`;
      if (x !== undefined && !(bestRatio.get(k) >= x)) {
        bestRatio.set(k, x);
        best.set(key, c);
      }
    }
  }
  // Only the cases still below target get another round.
  pending = CASES.filter((k) => CHECKS_OF[k].some(({ peer, target }) => !(bestRatio.get(`${k}|${peer}`) >= target)));
}

let passed = 0,
  failed = 0;
const lines = [];
for (const k of CASES) {
  for (const { peer, target } of CHECKS_OF[k]) {
    const x = bestRatio.get(`${k}|${peer}`);
    const floor = target * (1 - TOLERANCE);
    const known = KNOWN.includes(`${k}:${peer}`);
    const ok = (x !== undefined && x >= floor) || known;
    const note =
      x === undefined
        ? 'not measured'
        : x >= target
          ? 'ok'
          : x >= floor
            ? `below target, within the ${TOLERANCE * 100}% noise tolerance`
            : known
              ? 'below target: known shortfall (--known)'
              : 'REGRESSION';
    lines.push(
      `${known && !(x >= floor) ? 'KNOWN' : ok ? 'ok   ' : 'FAIL '} ${k.padEnd(30)} simd128 ÷ ${peer.padEnd(15)} ${x === undefined ? '   –' : `${x.toFixed(2)}×`.padStart(6)}  (target ≥ ${target}×, fails below ${floor.toFixed(2)}×) ${note}`,
    );
    if (ok) passed++;
    else failed++;
  }
}
console.log(
  `bench:quick — ${pkg.name}@${pkg.version} (tarball sha256 ${pkg.sha256.slice(0, 12)}…), Node ${process.version}, CPU-time clock, best of up to ${TRIES} rounds (${((Date.now() - started) / 1000).toFixed(1)} s)`,
);
console.log(lines.join('\n'));
if (failed || VERBOSE) {
  console.log('\nops/s (median, min..max) of the round that gave each best ratio:\n');
  console.log(runtimeTable({ results: CASES.map((k) => best.get(k)).filter(Boolean) }));
}
console.log(`bench-quick: ${passed} passed, ${failed} failed`);
if (failed) process.exitCode = 1;
void fmt;
void root;
