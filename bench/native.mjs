#!/usr/bin/env node
// Native reference: compiles the C core (the scalar sources the wasm builds
// share; the simd128/ kernels are wasm-only) with bench/native/bench.c for
// this x86_64 machine and writes bench/results/native.json, which
// bench/report.mjs puts next to the wasm figures. It answers "how far is our
// wasm from the same C run natively?".
//
//   node bench/native.mjs [--quick] [--plain]     --plain: -O3 without -march
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const CC = process.env.CC ?? 'gcc';
const flags = ['-O3', ...(process.argv.includes('--plain') ? [] : ['-march=x86-64-v2']), '-std=gnu11'];
// Same family list as scripts/test-native.mjs: top-level .c files only.
const sources = ['common', 'fips202', 'mlkem', 'mldsa'].flatMap((f) => {
  const d = join(root, 'native', f);
  return existsSync(d)
    ? readdirSync(d)
        .filter((n) => n.endsWith('.c'))
        .sort()
        .map((n) => join(d, n))
    : [];
});
const tmp = mkdtempSync(join(tmpdir(), 'qsign-native-bench-'));
try {
  const exe = join(tmp, 'bench');
  execFileSync(
    CC,
    [...flags, '-I', join(root, 'native/include'), '-o', exe, join(root, 'bench/native/bench.c'), ...sources],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const out = JSON.parse(execFileSync(exe, quick ? ['--quick'] : [], { encoding: 'utf8', maxBuffer: 1 << 20 }));
  const compiler = execFileSync(CC, ['--version'], { encoding: 'utf8' }).split('\n')[0];
  const result = {
    compiler,
    flags: flags.join(' '),
    clock: 'process CPU time',
    quick,
    measured: new Date().toISOString(),
    ...out,
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/native.json'), `${JSON.stringify(result, null, 1)}\n`);
  console.log(`native (${compiler}, ${flags.join(' ')}):`);
  for (const r of out.results)
    console.log(
      `  ${`${r.group} ${r.name}`.padEnd(24)} ${r.median.toFixed(0).padStart(7)} ops/s (${r.min.toFixed(0)}..${r.max.toFixed(0)})`,
    );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
