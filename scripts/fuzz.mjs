#!/usr/bin/env node
/*
 * Long fuzzing runs: `npm run fuzz -- --minutes N [--scale S] [--soak]`.
 *
 * Repeats the fast-check targets of test/unit/fuzz/ with a fresh random seed per
 * round and QSIGN_FUZZ_SCALE times the short run's input count, until N
 * minutes have passed. Every failing input is written to
 * test/unit/fuzz/corpus/<target>/ (QSIGN_FUZZ_WRITE=1), which the short run in
 * `npm test` replays from then on. Each round runs in its own vitest process
 * under a hard timeout, so a hang is reported and killed, not waited on.
 *
 * --soak also runs the 1 000 000-operation flat-memory test
 * (test/unit/limits.test.ts with QSIGN_SOAK_OPS=1000000) once.
 * --only NAME restricts to test names matching NAME (vitest -t).
 * Exit code 1 if any round failed.
 */
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const minutes = Number(opt('minutes', '5'));
const scale = Number(opt('scale', '20'));
const only = opt('only', undefined);
const soak = args.includes('--soak');
if (!(minutes > 0) || !(scale >= 1)) {
  console.error('usage: npm run fuzz -- --minutes N [--scale S] [--soak] [--only NAME]');
  process.exit(2);
}

const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
// ANSI colour codes, built from a string so the regex holds no literal control character.
const ANSI = new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g');
const corpusCount = () => {
  const dir = join(root, 'test', 'fuzz', 'corpus');
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .reduce((n, d) => n + readdirSync(join(dir, d.name)).filter((f) => f.endsWith('.json')).length, 0);
};

function run(label, extraEnv, files, timeoutMs) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [vitest, 'run', ...files, ...(only ? ['-t', only] : [])], {
    cwd: root,
    env: { ...process.env, ...extraEnv },
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const summary = out
    .split('\n')
    .filter((l) => /Tests\s+\d/.test(l))
    .map((l) => l.replace(ANSI, '').trim())
    .join(' ');
  if (r.error || r.status !== 0) {
    console.log(`✗ ${label} (${secs} s) ${r.error ? `killed: ${r.error.message}` : summary}`);
    const lines = out.replace(ANSI, '').split('\n');
    const keep = lines.filter((l) =>
      /Caused by|threw|hang|took|saved to|changed size|arena|leak|Counterexample|seed:/.test(l),
    );
    console.log(
      keep
        .slice(0, 40)
        .map((l) => (l.length > 300 ? l.slice(0, 300) + '…' : l))
        .join('\n'),
    );
    return false;
  }
  console.log(`✓ ${label} (${secs} s) ${summary}`);
  if (extraEnv.QSIGN_SOAK_OPS) for (const l of out.split('\n')) if (l.startsWith('soak:')) console.log('  ' + l);
  return true;
}

const deadline = Date.now() + minutes * 60_000;
let rounds = 0,
  failed = 0,
  passed = 0;
const corpus0 = corpusCount();
console.log(`fuzzing test/unit/fuzz for ${minutes} min at ${scale}× the short run (corpus: ${corpus0} inputs)`);
if (soak) {
  if (
    run(
      'soak 1 000 000 mixed ops',
      { QSIGN_SOAK_OPS: '1000000' },
      ['test/unit/limits.test.ts', '-t', 'stays flat'],
      30 * 60_000,
    )
  )
    passed++;
  else failed++;
}
while (Date.now() < deadline) {
  const seed = randomInt(1, 2 ** 31 - 1);
  rounds++;
  // A round gets a generous bound; a target stuck past it is a hang.
  const left = Math.max(60_000, deadline - Date.now() + 120_000);
  if (
    run(
      `round ${rounds} seed ${seed}`,
      { QSIGN_FUZZ_SEED: String(seed), QSIGN_FUZZ_SCALE: String(scale), QSIGN_FUZZ_WRITE: '1' },
      ['test/unit/fuzz/'],
      Math.min(left, 20 * 60_000),
    )
  )
    passed++;
  else failed++;
}
const added = corpusCount() - corpus0;
console.log(`${rounds} rounds, ${failed} failed; ${added} new corpus inputs in test/unit/fuzz/corpus/`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
