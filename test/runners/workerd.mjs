#!/usr/bin/env node
// Runs the conformance suite in workerd (the Cloudflare Workers runtime),
// driven directly with a generated capnp config (miniflare needs Node ≥ 22).
// Every worker is run with and without the nodejs_compat flag, and the suite
// also with webcrypto_modern_algorithms (native ML-KEM/ML-DSA in crypto.subtle):
//   suite  - the conformance suite (src/ bundle), SIMD and scalar passes, then
//            a check of which engine the router chose for each (algorithm,
//            operation) against what this runner expects for the flags;
//   shape  - the BUILT package imported by name with the `workerd` condition
//            (dist/index.js → #wasm-source → dist/entries/workerd.js, static
//            .wasm imports), plus proof that compiling wasm from bytes at run
//            time is refused, which is why that entry exists at all.
// One workerd process listens on one loopback port; a router worker forwards
// /<service> to each worker through service bindings.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  BIN,
  bundle,
  cleanup,
  crashResult,
  entrySource,
  externalWasmPlugin,
  report,
  requireFile,
  root,
  run,
  scratchDir,
  sleep,
  MODES,
} from './lib.mjs';
import { freePort } from '../helpers/ports.mjs';
import { WASM_MODULES, workerdConfig } from '../helpers/workerd.mjs';

const started = Date.now();
const parts = [];
const dir = scratchDir('workerd');
const FLAGS = { compat: ['nodejs_compat'], plain: [] };
// The flag that turns on ML-KEM-768/1024 and ML-DSA-44/65/87 in crypto.subtle (workerd ≥ 1.20261117).
const MODERN = 'webcrypto_modern_algorithms';
const SUITE_FLAGS = { ...FLAGS, modern: [MODERN] };
const OPS = {
  'ML-DSA-44': ['keygen', 'sign', 'verify'],
  'ML-DSA-65': ['keygen', 'sign', 'verify'],
  'ML-DSA-87': ['keygen', 'sign', 'verify'],
  'ML-KEM-512': ['keygen', 'encapsulate', 'decapsulate'],
  'ML-KEM-768': ['keygen', 'encapsulate', 'decapsulate'],
  'ML-KEM-1024': ['keygen', 'encapsulate', 'decapsulate'],
};
// What workerd 1.20261117 has natively with the flag (checked by hand: generateKey/importKey
// of ML-KEM-512 is NotSupportedError even with it); without the flag it has none.
const NATIVE_WITH_FLAG = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87', 'ML-KEM-768', 'ML-KEM-1024'];
const POLICY_JSON = join(root, 'bench/policy/workerd@0.json');

/**
 * The engine the router must choose for every (algorithm, operation), per flag
 * set: where native exists, a CryptoKey (or CryptoKey output) goes native and
 * byte keys follow the measured workerd policy (bench/policy/workerd@0.json);
 * everything else is wasm.
 */
function expectedEngines(flags) {
  const modern = flags.includes(MODERN);
  let picks;
  if (modern) {
    if (!existsSync(POLICY_JSON))
      throw new Error(
        `no measured workerd policy (${relative(root, POLICY_JSON)}): run node bench/engine.mjs --runtimes=workerd`,
      );
    picks = JSON.parse(readFileSync(POLICY_JSON, 'utf8')).ops;
  }
  const out = {};
  for (const [alg, ops] of Object.entries(OPS)) {
    const native = modern && NATIVE_WITH_FLAG.includes(alg);
    for (const op of ops) {
      out[`${alg} ${op} capable`] = native;
      out[`${alg} ${op} bytes`] = native ? (picks[alg]?.[op]?.pick ?? 'missing from the policy JSON') : 'wasm';
      if (native) out[`${alg} ${op} cryptokey`] = 'webcrypto';
    }
    out[`${alg} non-extractable keygen and use`] = native ? 'ok' : 'ERR_UNSUPPORTED_BY_RUNTIME';
  }
  return out;
}

// The suite answers its first request (running it at module scope would do
// the work during worker start-up, where errors are hard to report). Then it
// compares the router's choices with env.EXPECTED (see expectedEngines).
const SERVE_SUITE = `
import { probeWebCrypto, engineFor, importKeyToWebCrypto, signatureKeygen, kemKeygen, sign, verify, encapsulate, decapsulate, seedFromWebCrypto } from '../../src/webcrypto/index.ts';
// keygen with CryptoKey output, then every operation with those keys; the secret must stay unexportable.
async function nonExtractable(alg) {
  const kem = alg.startsWith('ML-KEM');
  try {
    const kp = kem ? await kemKeygen(alg, undefined, { output: 'cryptokey' }) : await signatureKeygen(alg, undefined, { output: 'cryptokey' });
    if (kp.secretKey.extractable !== false) return 'secret key is extractable';
    let sealed = 'exported';
    try { await seedFromWebCrypto(kp.secretKey); } catch (e) { sealed = e.code; }
    if (sealed !== 'ERR_KEY_NOT_EXTRACTABLE') return 'seed export: ' + sealed;
    if (kem) {
      const { cipherText, sharedSecret } = await encapsulate(alg, kp.publicKey);
      const back = await decapsulate(alg, cipherText, kp.secretKey);
      if (back.length !== 32 || back.some((b, i) => b !== sharedSecret[i])) return 'shared secrets differ';
    } else {
      const msg = new TextEncoder().encode('non-extractable ' + alg);
      const sig = await sign(alg, kp.secretKey, msg);
      if (!(await verify(alg, kp.publicKey, msg, sig))) return 'signature does not verify';
      if (await verify(alg, kp.publicKey, msg.subarray(1), sig)) return 'signature verifies a different message';
    }
    return 'ok';
  } catch (e) {
    return e.code ?? String(e);
  }
}
async function engineChoices() {
  const caps = await probeWebCrypto();
  const seen = { runtime: caps.runtime.key };
  const able = (c, op) => ({ keygen: c.generateKey && c.exportSeed, sign: c.sign, verify: c.verify && c.rawPublic,
    encapsulate: c.encapsulate && c.rawPublic, decapsulate: c.decapsulate })[op];
  for (const [alg, ops] of Object.entries(${JSON.stringify(OPS)})) {
    const c = caps.algorithms[alg];
    seen[alg + ' non-extractable keygen and use'] = await nonExtractable(alg);
    const kem = alg.startsWith('ML-KEM');
    const seed = new Uint8Array(kem ? 64 : 32).fill(7);
    let keys;
    if (c.importSeed) keys = await importKeyToWebCrypto(alg, seed);
    for (const op of ops) {
      seen[alg + ' ' + op + ' capable'] = able(c, op);
      seen[alg + ' ' + op + ' bytes'] = engineFor(alg, op, op === 'keygen' ? { output: 'seed' } : {});
      if (keys) {
        const key = op === 'keygen' ? undefined : op === 'sign' || op === 'decapsulate' ? keys.privateKey : keys.publicKey;
        seen[alg + ' ' + op + ' cryptokey'] = engineFor(alg, op, op === 'keygen' ? { output: 'cryptokey' } : { key });
      }
    }
  }
  return seen;
}
async function suiteAndChoices(env) {
  const result = await runSuite();
  const expected = JSON.parse(env.EXPECTED);
  let seen;
  try { seen = await engineChoices(); } catch (e) { seen = { error: String(e && e.stack || e) }; }
  result.engines = seen;
  for (const k of new Set([...Object.keys(expected), ...Object.keys(seen)])) {
    if (k === 'runtime') continue;
    const name = 'engine choice › ' + k;
    if (JSON.stringify(seen[k]) === JSON.stringify(expected[k])) result.passed++;
    else { result.failed++; result.failures.push({ name, error: 'expected ' + JSON.stringify(expected[k]) + ', got ' + JSON.stringify(seen[k]) }); }
  }
  if (seen.runtime === 'workerd@0') result.passed++;
  else { result.failed++; result.failures.push({ name: 'engine choice › runtime key', error: 'got ' + seen.runtime }); }
  return result;
}
let pending;
export default {
  async fetch(request, env) {
    pending ??= suiteAndChoices(env).catch((e) => ({ passed: 0, failed: 1, failures: [{ name: 'worker', error: String(e && e.stack || e) }] }));
    return Response.json(await pending);
  },
};`;

// Runs inside workerd against the built package. `bytes` is the scalar wasm
// as a data module (an ArrayBuffer), which is what an app would have if it
// fetched or inlined the wasm instead of importing it.
const SHAPE_WORKER = `
import { init, backend, sha3_256 } from 'qsign-pqc';
import bytes from 'qsign-bytes:scalar';
import sha3Scalar from './wasm/qsign-sha3-scalar.wasm';
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
  await check('the workerd entry ships no scalar build: init({ simd: false }) says to pass it', async () => {
    await init({ simd: false, force: true });
    let err;
    try { sha3_256(new TextEncoder().encode('abc')); } catch (e) { err = e; }
    assert(err && err.code === 'ERR_WASM_LOAD_FAILED' && /only the SIMD128 build/.test(err.message), 'got ' + (err && (err.code + ': ' + err.message)));
  });
  await check('init({ simd: false, wasm }) runs the scalar module the Worker passes', async () => {
    await init({ simd: false, force: true, wasm: { sha3: sha3Scalar } });
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

/**
 * The workerd entry (src/entries/workerd*.ts) imports only the SIMD128 builds; the suite also runs the scalar
 * build (the scalar pass, and init({ simd: false }) in every pass), so it passes both builds of every family
 * explicitly, through a custom `#wasm-source` (the documented way to supply modules a bundle does not import):
 * static imports of all ten modules, which workerd hands over compiled.
 */
const bothBuildsSource = {
  name: 'qsign-both-builds',
  setup(b) {
    const names = ['mlkem', 'mldsa', 'x25519', 'sha3', 'slhdsa'];
    b.onResolve({ filter: /^#wasm-source$/ }, () => ({ path: 'both', namespace: 'qsign-both-builds' }));
    b.onResolve({ filter: /^#wasm-source\/\w+$/ }, (a) => ({
      path: join(root, 'src/entries', `workerd-${a.path.slice('#wasm-source/'.length)}.ts`),
    }));
    b.onLoad({ filter: /.*/, namespace: 'qsign-both-builds' }, () => ({
      resolveDir: join(root, 'src/entries'),
      loader: 'js',
      contents: [
        `export { modulesArriveSync } from './workerd.ts';`,
        ...names.flatMap((n) => [
          `import ${n}Simd from '../../wasm/qsign-${n}-simd.wasm';`,
          `import ${n}Scalar from '../../wasm/qsign-${n}-scalar.wasm';`,
        ]),
        `const M = { ${names.map((n) => `${n}: { simd: ${n}Simd, scalar: ${n}Scalar }`).join(', ')} };`,
        `export function defaultModuleSource(name, variant) { return M[name][variant]; }`,
        `export function defaultSlhDsaSource(variant) { return M.slhdsa[variant]; }`,
      ].join('\n'),
    }));
  },
};

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

function capnpString(s) {
  return JSON.stringify(s);
}
// Cap'n Proto constant names must be camelCase (they double as service and binding names here).
const cap = (s) => s[0].toUpperCase() + s.slice(1);

/** One worker for workerdConfig(): its main module, our wasm builds, and any extra modules and bindings. */
function workerSpec(name, mainFile, flags, extraModules, bindings = []) {
  return {
    name,
    modules: [{ name: 'worker.mjs', esModule: mainFile }, ...WASM_MODULES, ...extraModules],
    compatibilityFlags: flags,
    bindings,
  };
}

async function main() {
  const workerd = requireFile(BIN.workerd, 'run `npm run setup` (npm ci installs workerd)');
  const services = []; // [{ name, worker, label }]
  for (const mode of MODES) {
    const file = join(dir, `suite-${mode}.mjs`);
    await bundle({
      contents: entrySource(mode, SERVE_SUITE),
      outfile: file,
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser', 'import', 'module', 'default'],
      plugins: [bothBuildsSource, externalWasmPlugin],
    });
    for (const [flag, flags] of Object.entries(SUITE_FLAGS)) {
      const name = `suite${cap(mode)}${cap(flag)}`;
      services.push({
        name,
        label: `${mode}${flags.map((f) => '+' + f).join('')}`,
        worker: workerSpec(
          name,
          file,
          flags,
          [],
          [`(name = "EXPECTED", text = ${capnpString(JSON.stringify(expectedEngines(flags)))})`],
        ),
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
  // package and its workerd entry, not the sources (the unbundled dist/ tree reaches the runtime entry
  // and every family's module through the one file `#wasm-source/all`).
  const inputs = Object.keys(built.metafile.inputs);
  const shapeInputs = {
    passed: 0,
    failed: 0,
    failures: [],
  };
  for (const want of ['dist/index.js', 'dist/entries/workerd-all.js']) {
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
    const bytesModule = { name: 'bytes/qsign-scalar.bin', data: join(root, 'wasm/qsign-sha3-scalar.wasm') };
    services.push({
      name,
      label: `dist${flag === 'compat' ? '+nodejs_compat' : ''}`,
      worker: workerSpec(
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
  writeFileSync(join(dir, 'config.capnp'), config);

  const child = run(workerd, ['serve', join(dir, 'config.capnp'), 'config'], { timeoutMs: 600_000 });
  let exited = false;
  child.then(() => {
    exited = true;
  });
  const out = [];
  try {
    // Wait for the socket (workerd compiles every module before listening).
    let up = false;
    for (let i = 0; i < 300 && !exited && !up; i++) {
      try {
        await fetch(`http://127.0.0.1:${port}/router-check`);
        up = true;
      } catch {
        await sleep(100);
      }
    }
    if (!up) {
      const r = exited ? await child : { stderr: '(still not listening after 30 s)' };
      throw new Error(`workerd did not start:\n${String(r.stderr).trim().split('\n').slice(-20).join('\n')}`);
    }
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
    // run() only kills on timeout; stop our workerd now that every answer is in.
    child.child.kill('SIGTERM');
    await child;
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
