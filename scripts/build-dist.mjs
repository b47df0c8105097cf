#!/usr/bin/env node
// dist/ from src/: JavaScript bundled by rollup (rollup.dist.mjs: one ES module
// per entry point, shared chunks, source maps) and the .d.ts tree (with
// declaration maps) from tsc --emitDeclarationOnly. Both run at once; dist/ is
// emptied first so no file of an earlier layout is packed.
//
//   node scripts/build-dist.mjs      (npm run build:ts; npm run setup runs it when src/ changed)
//
// Exits non-zero if rollup fails. tsc type errors are reported with exit code 2
// after dist/ is complete (the declarations are still emitted), so setup can let
// the tests run and leave the failure to npm test's typecheck.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function run(script, args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, script), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
const [bundle, types] = await Promise.all([
  run('node_modules/rollup/dist/bin/rollup', ['-c', 'rollup.dist.mjs', '--silent']),
  run('node_modules/typescript/bin/tsc', ['-p', 'tsconfig.json', '--emitDeclarationOnly']),
]);
if (bundle.code !== 0) {
  process.stderr.write(`build-dist: rollup failed\n${bundle.out}`);
  process.exit(1);
}
if (bundle.out.trim()) process.stderr.write(bundle.out);
if (types.code !== 0) {
  process.stderr.write(`build-dist: tsc reported type errors (declarations emitted)\n${types.out}`);
  process.exit(2);
}
