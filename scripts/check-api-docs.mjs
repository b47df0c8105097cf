#!/usr/bin/env node
/*
 * The API reference's completeness check. TypeDoc (typedoc.json, validation
 * `notDocumented`) lists every public export of the package entry points
 * that has no TSDoc comment; this script fails when that list contains an
 * export that is not in docs/api-undocumented.txt (a new undocumented
 * export), or when the baseline names an export that now has its comment
 * (so the baseline only shrinks). The goal is an empty baseline, at which
 * point typedoc.json's treatValidationWarningsAsErrors does the job alone.
 *
 *   node scripts/check-api-docs.mjs           check (the `api-docs` suite of scripts/test-all.mjs)
 *   node scripts/check-api-docs.mjs --write   rewrite the baseline from the current state
 *   npm run docs                              the HTML reference in docs/api/ (gitignored)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BASELINE = join(root, 'docs/api-undocumented.txt');
const typedoc = join(root, 'node_modules/typedoc/bin/typedoc');

const run = spawnSync(
  process.execPath,
  [typedoc, '--emit', 'none', '--disableSources', '--treatValidationWarningsAsErrors', 'false', '--logLevel', 'Warn'],
  { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
);
// NO_COLOR above keeps ANSI colours out of the text parsed below.
const out = `${run.stdout}\n${run.stderr}`;
if (run.status !== 0 || /\[error\]/.test(out)) {
  console.error(out);
  console.error('typedoc failed');
  process.exit(1);
}
const missing = [
  ...new Set(
    [...out.matchAll(/\[warning\] (.+?), defined in qsign-pqc\/(\S+?), does not have any documentation/g)].map(
      (m) => `${m[1]} @ ${m[2]}`,
    ),
  ),
].sort();
const other = out
  .split('\n')
  .filter((l) => l.startsWith('[warning]') && !/does not have any documentation|Found \d+ errors/.test(l));

if (process.argv.includes('--write')) {
  writeFileSync(BASELINE, `${missing.join('\n')}\n`);
  console.log(`${missing.length} undocumented exports written to docs/api-undocumented.txt`);
  process.exit(0);
}
const baseline = new Set(
  readFileSync(BASELINE, 'utf8')
    .split('\n')
    .filter((l) => l.trim()),
);
const added = missing.filter((m) => !baseline.has(m));
const fixed = [...baseline].filter((b) => !missing.includes(b));
for (const a of added) console.error(`undocumented public export: ${a} (add a TSDoc comment)`);
for (const f of fixed) console.error(`now documented, remove from docs/api-undocumented.txt: ${f}`);
for (const o of other) console.error(`typedoc: ${o}`);
const ok = added.length + fixed.length + other.length === 0;
console.log(`${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed (${missing.length} known undocumented exports)`);
process.exit(ok ? 0 : 1);
