#!/usr/bin/env node
/*
 * The API reference's completeness check (the `api-docs` suite of scripts/test-all.mjs). TypeDoc
 * (typedoc.json: every public entry point of package.json's `exports`, validation `notDocumented`
 * over the kinds in `requiredToBeDocumented`) reports each public export without a TSDoc comment,
 * including the methods' call signatures and the members TypeDoc counts with them; any such report,
 * or any other TypeDoc warning or error, fails the check. There is no baseline: every public export
 * is documented.
 *
 *   node scripts/check-api-docs.mjs   check
 *   npm run docs                      the HTML reference in docs/api/ (gitignored)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const typedoc = join(root, 'node_modules/typedoc/bin/typedoc');
const json = (f) => JSON.parse(readFileSync(join(root, f), 'utf8'));

// The reference covers every public entry point: each `types` of package.json's `exports` (dist/X.d.ts,
// built from src/X.ts) is an entry point of typedoc.json.
const entryPoints = json('typedoc.json').entryPoints;
const problems = [];
for (const [subpath, target] of Object.entries(json('package.json').exports)) {
  const types = typeof target === 'object' ? target.types : undefined;
  if (!types) continue;
  const src = types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts');
  if (!entryPoints.includes(src)) problems.push(`${subpath} (${src}) is not an entry point of typedoc.json`);
}
// An entry file's opening comment without @packageDocumentation is taken by TypeDoc as the comment of the
// first export statement, and every name that statement re-exports then counts as documented.
for (const f of entryPoints) {
  const first = /^\s*\/\*\*[\s\S]*?\*\//.exec(readFileSync(join(root, f), 'utf8'));
  if (first && !/@packageDocumentation|@module/.test(first[0]))
    problems.push(`${f}: its opening comment needs @packageDocumentation (else TypeDoc lends it to the first exports)`);
}

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

for (const p of problems) console.error(`api reference: ${p}`);
for (const m of missing) console.error(`undocumented public export: ${m} (add a TSDoc comment)`);
for (const o of other) console.error(`typedoc: ${o}`);
const ok = problems.length + missing.length + other.length === 0;
console.log(`${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed (${missing.length} undocumented public exports)`);
process.exit(ok ? 0 : 1);
