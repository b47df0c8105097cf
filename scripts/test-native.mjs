#!/usr/bin/env node
// Native checks of the C core (scalar path, compiled for x86_64):
//   --sanitize  every test/native/*.c program under AddressSanitizer + UBSan
//   --ct        test/native/ct_check.c and mlkem_ct_test.c, each built with gcc and
//               clang-14 at -O2, -O3 and -Os, under Valgrind memcheck with secrets
//               marked undefined: any secret-dependent branch or index is an error
// Prints one summary line per mode: "<mode>: N passed, N failed".
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FAMILIES = ['common', 'fips202', 'mlkem', 'mldsa', 'x25519', 'slhdsa'];

function coreSources() {
  const files = [];
  for (const f of FAMILIES) {
    const dir = join(root, 'native', f);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith('.c'))
      .sort())
      files.push(join(dir, name));
  }
  return files;
}

function testPrograms() {
  const dir = join(root, 'test', 'native');
  return readdirSync(dir)
    .filter((n) => n.endsWith('.c'))
    .sort()
    .map((n) => join(dir, n));
}

/** Extra compiler flags a test program asks for in a `qs-native-flags:` comment
 * line (e.g. a lowered compile-time limit it needs to reach an error path); they
 * apply to the core sources of that one build, never to the shipped wasm. */
function programFlags(program) {
  const m = /qs-native-flags:(.*)$/m.exec(readFileSync(program, 'utf8'));
  return m ? m[1].trim().split(/\s+/) : [];
}

/**
 * The SLH-DSA ACVP files (test/vectors/data/acvp) flattened to one line per
 * test for test/native/slhdsa_acvp_test.c, which reads the file named by
 * QSIGN_SLHDSA_VECTORS: C has no JSON or gzip reader, and a generated header
 * of 3.6 MB of signatures would be a second copy of the data in the repo.
 */
function writeSlhDsaVectors(dir) {
  const load = (name) =>
    JSON.parse(gunzipSync(readFileSync(join(root, 'test', 'vectors', 'data', 'acvp', name))).toString('utf8'));
  const results = (file) => new Map(file.testGroups.flatMap((g) => g.tests.map((t) => [`${g.tgId}/${t.tcId}`, t])));
  const lines = [];
  const kg = load('SLH-DSA-keyGen-FIPS205/prompt.json.gz');
  const kgr = results(load('SLH-DSA-keyGen-FIPS205/expectedResults.json.gz'));
  for (const g of kg.testGroups)
    for (const t of g.tests) {
      const r = kgr.get(`${g.tgId}/${t.tcId}`);
      lines.push(`keygen ${g.parameterSet} ${t.skSeed} ${t.skPrf} ${t.pkSeed} ${r.sk} ${r.pk}`);
    }
  const sv = load('SLH-DSA-sigVer-FIPS205/prompt.json.gz');
  const svr = results(load('SLH-DSA-sigVer-FIPS205/expectedResults.json.gz'));
  for (const g of sv.testGroups)
    for (const t of g.tests) {
      const r = svr.get(`${g.tgId}/${t.tcId}`);
      lines.push(`sigver ${g.parameterSet} ${t.pk} ${t.message || '-'} ${t.signature} ${r.testPassed ? 1 : 0}`);
    }
  const path = join(dir, 'slhdsa-vectors.txt');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

function compile(cc, flags, program, out) {
  const all = [...flags, ...programFlags(program), '-I', join(root, 'native', 'include'), '-o', out, program];
  execFileSync(cc, [...all, ...coreSources()], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

let vectorEnv = {};
function run(label, cmd, args) {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    cwd: root,
    env: { ...process.env, ...vectorEnv },
    maxBuffer: 64 * 1024 * 1024,
  });
  const ok = r.status === 0;
  if (!ok) console.error(`--- ${label} failed (exit ${r.status})\n${r.stdout}\n${r.stderr}`);
  return ok;
}

// The constant-time matrix: gcc for the native builds, clang-14 because it is
// the compiler behind the pinned emcc that produces the shipped wasm.
const CT_COMPILERS = [
  { cc: 'gcc', std: 'gnu11' },
  { cc: 'clang-14', std: 'gnu11' },
];
const CT_OPT_LEVELS = ['-O2', '-O3', '-Os'];
// ct_check covers every algorithm through the liboqs API; mlkem_ct_test marks
// the ML-KEM secrets piece by piece (dk_PKE, z, m, the ciphertext's validity).
const CT_PROGRAMS = ['ct_check', 'mlkem_ct_test'];
// Scalar-build kernels that handle secrets with masks; publicOnly lists the
// functions in them that see only public data (use_hint runs in verification).
const WASM_MASK_KERNELS = [
  { file: 'native/mldsa/rounding.c', publicOnly: ['qs_mldsa_poly_use_hint'] },
  { file: 'native/mldsa/ntt.c' },
  { file: 'native/mldsa/sample.c' },
  { file: 'native/mlkem/cbd.c' },
  { file: 'native/mlkem/ntt.c' },
  { file: 'native/mlkem/poly.c' },
];

/** [function, number of `select` instructions] for each function of a wasm-objdump -d listing that has any. */
function selectsByFunction(listing) {
  const counts = new Map();
  let fn = '';
  for (const line of listing.split('\n')) {
    const head = /^[0-9a-f]+ func\[\d+\] <([^>]+)>:/.exec(line);
    if (head) fn = head[1];
    else if (/\|\s*select\b/.test(line)) counts.set(fn, (counts.get(fn) ?? 0) + 1);
  }
  return [...counts];
}

const ctProgram = (name) => join(root, 'test', 'native', `${name}.c`);

const modes = process.argv.slice(2).length ? process.argv.slice(2) : ['--sanitize', '--ct'];
const tmp = mkdtempSync(join(tmpdir(), 'qsign-native-'));
let anyFailed = false;
try {
  vectorEnv = { QSIGN_SLHDSA_VECTORS: writeSlhDsaVectors(tmp) };
  if (modes.includes('--sanitize')) {
    let passed = 0,
      failed = 0;
    for (const prog of testPrograms()) {
      const out = join(tmp, basename(prog, '.c') + '-asan');
      try {
        compile(
          'clang-14',
          [
            '-std=c11',
            '-O1',
            '-g',
            '-fsanitize=address,undefined',
            '-fno-sanitize-recover=all',
            '-fno-omit-frame-pointer',
            '-Wall',
            '-Wextra',
          ],
          prog,
          out,
        );
        if (run(basename(prog), out, [])) passed++;
        else failed++;
      } catch {
        failed++;
        console.error(`--- ${basename(prog)}: compile failed`);
      }
    }
    console.log(`native-asan-ubsan: ${passed} passed, ${failed} failed`);
    anyFailed ||= failed > 0;
  }
  if (modes.includes('--ct')) {
    // Every constant-time program, built by both compilers at every optimisation
    // level we ship or might (branches are introduced by the optimiser, and
    // clang-14 is the compiler behind emcc), then run under memcheck. Each
    // combination counts as one test.
    let passed = 0,
      failed = 0;
    for (const { cc, std } of CT_COMPILERS) {
      for (const opt of CT_OPT_LEVELS) {
        for (const name of CT_PROGRAMS) {
          const label = `${name} ${cc} ${opt}`;
          const out = join(tmp, `${name}-${cc}${opt}`);
          const t0 = Date.now();
          try {
            // -gdwarf-4: Valgrind 3.19 cannot read clang-14's default DWARF 5.
            compile(
              cc,
              [`-std=${std}`, opt, '-gdwarf-4', '-DQS_CT_VALGRIND', '-Wall', '-Wextra'],
              ctProgram(name),
              out,
            );
          } catch {
            failed++;
            console.error(`--- ${label}: compile failed`);
            continue;
          }
          const ok = run(`valgrind ${label}`, 'valgrind', [
            '--error-exitcode=1',
            '--errors-for-leak-kinds=none',
            '--track-origins=yes',
            '-q',
            out,
          ]);
          if (ok) passed++;
          else failed++;
          console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${label} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
        }
      }
    }
    // Valgrind sees x86-64 code; the shipped code is wasm from the same
    // clang-14 (emcc). The mask-based kernels are also compiled as the scalar
    // wasm build compiles them and must contain no wasm `select`: clang emits
    // one when it recognises a mask as a comparison, and a select on a secret
    // is a conditional move the engine is free to compile into a branch.
    for (const { file, publicOnly = [] } of WASM_MASK_KERNELS) {
      const label = `no wasm select in ${file}`;
      const obj = join(tmp, basename(file, '.c') + '.o');
      try {
        execFileSync(
          'emcc',
          ['-std=c11', '-O3', '-c', '-I', join(root, 'native', 'include'), join(root, file), '-o', obj],
          {
            stdio: ['ignore', 'inherit', 'inherit'],
            env: { ...process.env, EMCC_SKIP_SANITY_CHECK: '1' },
          },
        );
        const offenders = selectsByFunction(execFileSync('wasm-objdump', ['-d', obj], { encoding: 'utf8' })).filter(
          ([fn]) => !publicOnly.includes(fn),
        );
        if (offenders.length === 0) passed++;
        else {
          failed++;
          console.error(`--- ${label}: ${offenders.map(([fn, n]) => `${fn} (${n})`).join(', ')}`);
        }
        console.log(`  ${offenders.length === 0 ? 'ok  ' : 'FAIL'} ${label}`);
      } catch (e) {
        failed++;
        console.error(`--- ${label}: ${e.message}`);
      }
    }
    console.log(`native-ct-valgrind: ${passed} passed, ${failed} failed`);
    anyFailed ||= failed > 0;
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(anyFailed ? 1 : 0);
