#!/usr/bin/env node
// Native checks of the C core (scalar path, compiled for x86_64):
//   --sanitize  every test/native/*.c program under AddressSanitizer + UBSan
//   --ct        test/native/ct_check.c under Valgrind memcheck with secrets marked
//               undefined: any secret-dependent branch or index is an error
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
  execFileSync(cc, [...flags, '-I', join(root, 'native', 'include'), '-o', out, program, ...coreSources()], {
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
    let passed = 0,
      failed = 0;
    const prog = join(root, 'test', 'native', 'ct_check.c');
    const out = join(tmp, 'ct_check');
    try {
      // -O2 as shipped (the compiler is where branches appear); -g for reports.
      compile('gcc', ['-std=gnu11', '-O2', '-g', '-DQS_CT_VALGRIND', '-Wall', '-Wextra'], prog, out);
      if (
        run('valgrind ct_check', 'valgrind', [
          '--error-exitcode=1',
          '--errors-for-leak-kinds=none',
          '--track-origins=yes',
          '-q',
          out,
        ])
      )
        passed++;
      else failed++;
    } catch {
      failed++;
      console.error('--- ct_check: compile failed');
    }
    console.log(`native-ct-valgrind: ${passed} passed, ${failed} failed`);
    anyFailed ||= failed > 0;
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(anyFailed ? 1 : 0);
