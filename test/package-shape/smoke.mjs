// Package-shape smoke test: imports the BUILT package by its own name
// (`qsign-pqc`, resolved through package.json "exports" by self-reference)
// and lets the runtime pick its wasm entry through the "imports" map
// (`#wasm-source` → dist/entries/<runtime>.js). This is what a user of the
// published package gets, unlike the conformance bundles, which use src/.
// Run by Node 20/24, Deno and Bun; prints one tagged JSON result line.
import { init, backend, sha3_256, isInitialized } from 'qsign-pqc';

const TAG = '@@QSIGN_RESULT ';
const result = { passed: 0, failed: 0, failures: [] };
async function check(name, fn) {
  try {
    await fn();
    result.passed++;
  } catch (e) {
    result.failed++;
    result.failures.push({ name, error: String(e?.stack ?? e) });
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const ABC = '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532';

await check('the name resolves to dist/index.js, not the sources', () => {
  const url = import.meta.resolve('qsign-pqc');
  assert(/\/dist\/index\.js$/.test(url), `qsign-pqc resolved to ${url}`);
});
await check('init() loads the SIMD build through the runtime entry', async () => {
  assert(!isInitialized(), 'initialized before init()');
  await init();
  assert(backend() === 'simd128', `backend ${backend()}`);
});
await check('sha3_256("abc") matches FIPS 202', () => {
  const got = hex(sha3_256(new TextEncoder().encode('abc')));
  assert(got === ABC, `got ${got}`);
});
await check('the scalar build loads from the package too and agrees', async () => {
  await init({ simd: false, force: true });
  assert(backend() === 'scalar', `backend ${backend()}`);
  const got = hex(sha3_256(new TextEncoder().encode('abc')));
  assert(got === ABC, `got ${got}`);
});

console.log(TAG + JSON.stringify(result));
