#!/usr/bin/env node
// Runs the conformance suite in workerd (the Cloudflare Workers runtime),
// driven directly with a generated capnp config (miniflare needs Node ≥ 22).
// Every worker is run twice, with and without the nodejs_compat flag:
//   suite  - the conformance suite (src/ bundle), SIMD and scalar passes;
//   shape  - the BUILT package imported by name with the `workerd` condition
//            (dist/index.js → #wasm-source → dist/entries/workerd.js, static
//            .wasm imports), plus proof that compiling wasm from bytes at run
//            time is refused, which is why that entry exists at all.
// One workerd process listens on one loopback port; a router worker forwards
// /<service> to each worker through service bindings.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bundle,
  cleanup,
  crashResult,
  entrySource,
  externalWasmPlugin,
  report,
  root,
  scratchDir,
  MODES,
} from './lib.mjs';
import { freePort } from '../helpers/ports.mjs';
import { startWorkerd, WASM_MODULES, workerdConfig } from '../helpers/workerd.mjs';

const started = Date.now();
const parts = [];
const dir = scratchDir('workerd');
const FLAGS = { compat: ['nodejs_compat'], plain: [] };

// The suite answers its first request (running it at module scope would do
// the work during worker start-up, where errors are hard to report).
const SERVE_SUITE = `
let pending;
export default {
  async fetch() {
    pending ??= runSuite().catch((e) => ({ passed: 0, failed: 1, failures: [{ name: 'worker', error: String(e && e.stack || e) }] }));
    return Response.json(await pending);
  },
};`;

// Runs inside workerd against the built package. `bytes` is the scalar wasm
// as a data module (an ArrayBuffer), which is what an app would have if it
// fetched or inlined the wasm instead of importing it.
const SHAPE_WORKER = `
import { init, backend, sha3_256 } from 'qsign-pqc';
import bytes from 'qsign-bytes:scalar';
const ABC = '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532';
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const DISALLOWED = /Wasm code generation disallowed by embedder/;
function assert(c, m) { if (!c) throw new Error(m); }
async function shape(env) {
  const result = { passed: 0, failed: 0, failures: [] };
  const check = async (name, fn) => {
    try { await fn(); result.passed++; } catch (e) { result.failed++; result.failures.push({ name, error: String(e && e.stack || e) }); }
  };
  // Proves the two configurations really differ, so both passes mean something.
  await check('nodejs_compat is ' + (env.NODE_COMPAT === '1' ? 'on' : 'off') + ' as configured', async () => {
    let hasNodeBuffer = false;
    try { hasNodeBuffer = typeof (await import('node:buffer')).Buffer === 'function'; } catch { hasNodeBuffer = false; }
    assert(hasNodeBuffer === (env.NODE_COMPAT === '1'), 'node:buffer importable: ' + hasNodeBuffer);
  });
  await check('WebAssembly.compile(bytes) is refused at run time', async () => {
    assert(bytes instanceof ArrayBuffer && bytes.byteLength > 1000, 'data module is not the wasm bytes');
    let err;
    try { await WebAssembly.compile(bytes); } catch (e) { err = e; }
    assert(err && DISALLOWED.test(String(err.message)), 'compile() did not fail as expected: ' + err);
  });
  await check('new WebAssembly.Module(bytes) is refused at run time', () => {
    let err;
    try { new WebAssembly.Module(bytes); } catch (e) { err = e; }
    assert(err && DISALLOWED.test(String(err.message)), 'new Module() did not fail as expected: ' + err);
  });
  await check('init() with the workerd entry (static wasm import) loads SIMD and hashes', async () => {
    await init();
    assert(backend() === 'simd128', 'backend ' + backend());
    assert(hex(sha3_256(new TextEncoder().encode('abc'))) === ABC, 'wrong sha3_256');
  });
  await check('init({ simd: false }) loads the statically imported scalar module', async () => {
    await init({ simd: false, force: true });
    assert(backend() === 'scalar', 'backend ' + backend());
    assert(hex(sha3_256(new TextEncoder().encode('abc'))) === ABC, 'wrong sha3_256');
  });
  await check('init({ wasm: bytes }) fails with ERR_WASM_LOAD_FAILED and keeps the working instance', async () => {
    let err;
    try { await init({ force: true, simd: false, wasm: bytes }); } catch (e) { err = e; }
    assert(err && err.code === 'ERR_WASM_LOAD_FAILED', 'expected ERR_WASM_LOAD_FAILED, got ' + (err && (err.code || err)));
    assert(DISALLOWED.test(String(err.message)), 'the error does not say why: ' + err.message);
    assert(backend() === 'scalar' && hex(sha3_256(new Uint8Array(0))) !== '', 'the previous instance was lost');
  });
  return result;
}
let pending;
export default { async fetch(request, env) { pending ??= shape(env); return Response.json(await pending); } };
`;

const ROUTER = `
export default {
  async fetch(request, env) {
    const name = new URL(request.url).pathname.slice(1);
    if (!env[name]) return new Response('no such service: ' + name, { status: 404 });
    return env[name].fetch(request);
  },
};`;

/** esbuild plugin for the shape worker: the package by its name, the bytes as an external data module. */
const shapePlugin = {
  name: 'qsign-shape',
  setup(b) {
    // Self-reference, as an app that depends on qsign-pqc would import it;
    // esbuild then applies package.json "exports" and "imports" (dist/).
    b.onResolve({ filter: /^qsign-pqc$/ }, () => ({ path: join(root, 'dist/index.js') }));
    b.onResolve({ filter: /^qsign-bytes:/ }, () => ({ path: './bytes/qsign-scalar.bin', external: true }));
  },
};

// Cap'n Proto constant names must be camelCase (they double as service and binding names here).
const cap = (s) => s[0].toUpperCase() + s.slice(1);

/** One suite worker: the bundle as worker.mjs, our wasm builds as modules, the given flags and bindings. */
const suiteWorker = (name, mainFile, flags, extraModules = [], bindings = []) => ({
  name,
  modules: [{ name: 'worker.mjs', esModule: mainFile }, ...WASM_MODULES, ...extraModules],
  compatibilityFlags: flags,
  bindings,
});

async function main() {
  const services = []; // [{ name, worker, label }]
  for (const mode of MODES) {
    const file = join(dir, `suite-${mode}.mjs`);
    await bundle({
      contents: entrySource(mode, SERVE_SUITE),
      outfile: file,
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser', 'import', 'module', 'default'],
      entry: 'workerd',
      plugins: [externalWasmPlugin],
    });
    for (const [flag, flags] of Object.entries(FLAGS)) {
      const name = `suite${cap(mode)}${cap(flag)}`;
      services.push({
        name,
        label: `${mode}${flag === 'compat' ? '+nodejs_compat' : ''}`,
        worker: suiteWorker(name, file, flags),
      });
    }
  }
  const shapeFile = join(dir, 'shape.mjs');
  const built = await bundle({
    contents: SHAPE_WORKER,
    outfile: shapeFile,
    metafile: true,
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser', 'import', 'module', 'default'],
    plugins: [shapePlugin, externalWasmPlugin],
  });
  // Proof, from esbuild's own record, that the shape worker is the built
  // package and its workerd entry, not the sources.
  const inputs = Object.keys(built.metafile.inputs);
  const shapeInputs = {
    passed: 0,
    failed: 0,
    failures: [],
  };
  for (const want of ['dist/index.js', 'dist/entries/workerd.js']) {
    if (inputs.includes(want)) shapeInputs.passed++;
    else {
      shapeInputs.failed++;
      shapeInputs.failures.push({
        name: `shape bundle contains ${want}`,
        error: `inputs: ${inputs.filter((i) => !i.includes('node_modules')).join(', ')}`,
      });
    }
  }
  if (inputs.some((i) => i.startsWith('src/'))) {
    shapeInputs.failed++;
    shapeInputs.failures.push({
      name: 'shape bundle uses no src/',
      error: inputs.filter((i) => i.startsWith('src/')).join(', '),
    });
  } else shapeInputs.passed++;
  for (const [flag, flags] of Object.entries(FLAGS)) {
    const name = `shape${cap(flag)}`;
    const bytesModule = { name: 'bytes/qsign-scalar.bin', data: join(root, 'wasm/qsign-scalar.wasm') };
    services.push({
      name,
      label: `dist${flag === 'compat' ? '+nodejs_compat' : ''}`,
      worker: suiteWorker(
        name,
        shapeFile,
        flags,
        [bytesModule],
        [`(name = "NODE_COMPAT", text = "${flags.length ? 1 : 0}")`],
      ),
    });
  }
  writeFileSync(join(dir, 'router.mjs'), ROUTER);

  const port = await freePort();
  const config = workerdConfig({
    dir,
    port,
    workers: [
      {
        name: 'router',
        modules: [{ name: 'router.mjs', esModule: join(dir, 'router.mjs') }],
        bindings: services.map((s) => `(name = "${s.name}", service = "${s.name}")`),
      },
      ...services.map((s) => s.worker),
    ],
  });
  // Waits for the socket (workerd compiles every module before listening).
  const workerd = await startWorkerd({
    dir,
    config,
    probeUrl: `http://127.0.0.1:${port}/router-check`,
    timeoutMs: 30_000,
  });
  const out = [];
  try {
    for (const s of services) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/${s.name}`);
        const text = await res.text();
        if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 2000)}`);
        out.push([s.label, JSON.parse(text)]);
      } catch (e) {
        out.push([s.label, crashResult(`workerd ${s.name}`, e)]);
      }
    }
  } finally {
    await workerd.stop();
  }
  out.push(['dist-inputs', shapeInputs]);
  return out;
}

try {
  parts.push(...(await main()));
} catch (e) {
  parts.push(['runner', crashResult('workerd', e)]);
} finally {
  cleanup(dir);
}
report('workerd', parts, started);
