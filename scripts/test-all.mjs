#!/usr/bin/env node
// `npm test`: every check the project has, one after another (the machine has
// 2 cores and the browsers want both), one result line each, and a closing
// line `N passed, N failed` summing them all. A failing suite does not stop
// the rest, so one run shows everything that is broken; the exit code is
// non-zero if anything failed.
//
//   node scripts/test-all.mjs                 everything
//   node scripts/test-all.mjs lint deno       only the named suites
//   node scripts/test-all.mjs --list          the suite names
//
// To add a suite (native C tests, end-to-end, …) append one entry to SUITES:
//   { name, cmd, args, count? , timeoutMs? }
// `count` says how its output becomes numbers:
//   'exit'    (default) exit code 0 → 1 passed, else 1 failed
//   'summary' add up every "N passed, N failed" in the output (our runners'
//             format; a non-zero exit with no failure counted adds 1 failed)
//   a function (output, exitCode) → { passed, failed }
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const bin = (p) => join(root, 'node_modules', p);
const vitestJson = join(root, '.cache', `vitest-${process.pid}.json`);

/** vitest's JSON report gives exact per-test counts; its exit code covers collection errors. */
function vitestCount(_output, code) {
  let passed = 0,
    failed = 0;
  if (existsSync(vitestJson)) {
    const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
    passed = r.numPassedTests;
    failed = r.numFailedTests;
    // A file that fails to import counts as a failed suite, not a failed test.
    failed += r.numFailedTestSuites > 0 && failed === 0 ? r.numFailedTestSuites : 0;
    rmSync(vitestJson, { force: true });
  }
  if (code !== 0 && failed === 0) failed = 1;
  return { passed, failed };
}

export const SUITES = [
  { name: 'types', cmd: node, args: [bin('typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'] },
  // Layout: one line width (120) and one style for every source file (.prettierrc.json).
  { name: 'format', cmd: node, args: [bin('prettier/bin/prettier.cjs'), '--check', '.', '--log-level=warn'] },
  // Warnings are errors: a warning nobody has to fix only grows.
  { name: 'lint', cmd: node, args: [bin('eslint/bin/eslint.js'), '.', '--max-warnings=0'] },
  // Rebuilds both wasm files from native/ in a temp dir and compares bytes
  // with the committed ones and build-info.json (toolchain drift, stale wasm).
  { name: 'wasm-reproducible', cmd: node, args: ['scripts/build-wasm.mjs', '--check'] },
  // The API reference (TypeDoc, typedoc.json): no public export without a TSDoc comment (no baseline).
  { name: 'api-docs', cmd: node, args: ['scripts/check-api-docs.mjs'], count: 'summary' },
  {
    name: 'node20',
    cmd: node,
    args: [bin('vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`],
    count: vitestCount,
  },
  { name: 'node20-package', cmd: node, args: ['test/runners/package-shape.mjs'], count: 'summary' },
  { name: 'node24', cmd: node, args: ['test/runners/node24.mjs'], count: 'summary' },
  { name: 'deno', cmd: node, args: ['test/runners/deno.mjs'], count: 'summary' },
  { name: 'bun', cmd: node, args: ['test/runners/bun.mjs'], count: 'summary' },
  { name: 'workerd', cmd: node, args: ['test/runners/workerd.mjs'], count: 'summary' },
  { name: 'chromium', cmd: node, args: ['test/runners/chromium.mjs'], count: 'summary' },
  { name: 'firefox', cmd: node, args: ['test/runners/firefox.mjs'], count: 'summary' },
  // ── Suites registered by other parts of the project go below this line. ──
  // Every ts/js/sh block of README.md, docs/ and examples/ run against the packed
  // tarball in a fresh app (test/runners/docs.mjs; markers explain the blocks it skips).
  { name: 'docs', cmd: node, args: ['test/runners/docs.mjs'], count: 'summary', timeoutMs: 10 * 60_000 },
  // The published .d.ts as users compile them: lib es2022+dom, skipLibCheck false, node16 and bundler.
  { name: 'types-consumer', cmd: node, args: ['test/runners/types-consumer.mjs'], count: 'summary' },
  // The C core compiled natively (scalar): every test/native program under
  // ASan+UBSan, and the constant-time check under Valgrind (secrets undefined).
  { name: 'native-asan-ubsan', cmd: node, args: ['scripts/test-native.mjs', '--sanitize'], count: 'summary' },
  { name: 'native-ct-valgrind', cmd: node, args: ['scripts/test-native.mjs', '--ct'], count: 'summary' },
  // Speed regression guard: ratios against @oqs/liboqs-js and our scalar build
  // measured in the same run (CPU time, best of rounds), not absolute times.
  // ML-DSA-65 sign is below its 2x target today (about 1.7x); it is measured and
  // printed as KNOWN so a regression elsewhere still fails the run.
  { name: 'bench-quick', cmd: node, args: ['bench/quick.mjs'], count: 'summary', timeoutMs: 5 * 60_000 },
  // The tarball as bundlers and linters see it (issue 23 item 7): publint, attw, a browser app on every public
  // subpath built with Vite, webpack 5, esbuild and Rollup, each build run in one Chromium.
  { name: 'bundlers', cmd: node, args: ['test/runners/bundlers.mjs'], count: 'summary', timeoutMs: 10 * 60_000 },
  // qsign-pqc/inline: a plain esbuild bundle (no wasm asset) runs in Node and Chromium (issue 23 item 6).
  { name: 'inline-bundle', cmd: node, args: ['test/runners/inline-bundle.mjs'], count: 'summary' },
  // Cold start of the installed tarball in Node 20 (import + init() + first ML-KEM-768 keypair) as a ratio to
  // @noble/post-quantum's over an empty process in the same run, child CPU time, interleaved rounds, best of
  // tries (target ≤ 0.5×, fails above 0.55×; issue 23 item 1). The previous per-file dist measured 0.78–0.85×.
  {
    name: 'coldstart-budget',
    cmd: node,
    args: ['test/runners/coldstart-budget.mjs'],
    count: 'summary',
    timeoutMs: 5 * 60_000,
  },
  // The demo end to end: HTTP flow, Deno server, Chromium + Firefox page flow.
  {
    name: 'e2e',
    cmd: node,
    args: [
      '--test',
      '--test-concurrency=1',
      'test/e2e/http.e2e.test.mjs',
      'test/e2e/demo-security.e2e.test.mjs',
      'test/e2e/deno.e2e.test.mjs',
      'test/e2e/browser.e2e.test.mjs',
    ],
    count: nodeTestCount,
  },
];

/** node --test's closing "# pass N" / "# fail N" lines. */
function nodeTestCount(output, code) {
  const passed = Number(/^# pass (\d+)/m.exec(output)?.[1] ?? 0);
  let failed = Number(/^# fail (\d+)/m.exec(output)?.[1] ?? 0);
  if (code !== 0 && failed === 0) failed = 1;
  return { passed, failed };
}

function countSummary(output, code) {
  let passed = 0,
    failed = 0;
  for (const m of output.matchAll(/(\d+) passed, (\d+) failed/g)) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  }
  if (code !== 0 && failed === 0) failed = 1;
  return { passed, failed };
}

function runSuite(s) {
  return new Promise((resolve) => {
    const t = Date.now();
    const child = spawn(s.cmd, s.args ?? [], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', ...s.env },
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        child.kill('SIGKILL');
      },
      s.timeoutMs ?? 30 * 60_000,
    );
    const finish = (code) => {
      clearTimeout(timer);
      const secs = (Date.now() - t) / 1000;
      if (timedOut) output += `\n(killed after ${(s.timeoutMs ?? 30 * 60_000) / 1000} s)`;
      const count = s.count ?? 'exit';
      let r;
      try {
        r =
          typeof count === 'function'
            ? count(output, code)
            : count === 'summary'
              ? countSummary(output, code)
              : code === 0
                ? { passed: 1, failed: 0 }
                : { passed: 0, failed: 1 };
      } catch (e) {
        r = { passed: 0, failed: 1 };
        output += `\n(could not count results: ${e})`;
      }
      resolve({ ...r, code, output, secs });
    };
    child.on('error', (e) => {
      output += String(e);
      finish(127);
    });
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 : 1)));
  });
}

/** ESLint's problems with their file names (warnings fail the suite too: --max-warnings=0), so failures are not buried. */
function lintDetails(lines, failed) {
  const out = [];
  let file = '';
  for (const l of lines) {
    if (/^\/|^[A-Za-z]:\\/.test(l)) file = l;
    else if (failed && /\b(error|warning)\b/.test(l) && /^\s+\d+:\d+/.test(l)) {
      if (file) {
        out.push(file);
        file = '';
      }
      out.push(l);
    } else if (/✖|problems?/.test(l)) out.push(l.trim());
    else if (failed && !/^\s+\d+:\d+/.test(l) && l.trim() && !l.startsWith('/')) out.push(l);
  }
  return out;
}

/** What to show under a suite's result line: our runners' failure lines, else the tail of the output on failure. */
function details(s, r) {
  const lines = r.output.trimEnd().split('\n');
  if (s.count === 'summary') return lines.filter((l) => /^\S+: |^\s+FAIL /.test(l) || r.failed > 0);
  if (s.name === 'lint') return lintDetails(lines, r.failed > 0);
  if (r.failed > 0) return lines.slice(-40);
  return [];
}

const argv = process.argv.slice(2);
if (argv.includes('--list')) {
  for (const s of SUITES) console.log(s.name);
  process.exit(0);
}
const unknown = argv.filter((a) => !SUITES.some((s) => s.name === a));
if (unknown.length) {
  console.error(`test-all: unknown suite(s) ${unknown.join(', ')}; known: ${SUITES.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const chosen = argv.length ? SUITES.filter((s) => argv.includes(s.name)) : SUITES;
mkdirSync(join(root, '.cache'), { recursive: true });

const started = Date.now();
let passed = 0,
  failed = 0;
for (const s of chosen) {
  const r = await runSuite(s);
  passed += r.passed;
  failed += r.failed;
  const verdict = r.failed > 0 || r.code !== 0 ? 'FAIL' : 'ok  ';
  console.log(`${verdict} ${s.name.padEnd(18)} ${r.passed} passed, ${r.failed} failed  (${r.secs.toFixed(1)}s)`);
  for (const l of details(s, r)) console.log(`     ${l}`);
}
console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(1)}s`);
// The closing line CI reads: exactly "N passed, N failed".
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
