#!/usr/bin/env node
// Builds native/ into standalone, import-free wasm modules, one per family
// (ML-KEM, ML-DSA, X25519, SHA-3 alone, SLH-DSA), each in a SIMD128 and a
// scalar variant, and records what made them in wasm/build-info.json.
//
//   node scripts/build-wasm.mjs            build and write wasm/
//   node scripts/build-wasm.mjs --check    rebuild in a temp dir; fail if bytes differ from wasm/
//   node scripts/build-wasm.mjs --if-stale build only when native/ changed since wasm/ was made
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  existsSync,
  rmSync,
  statSync,
  renameSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const wasmDir = join(root, 'wasm');
const lock = JSON.parse(readFileSync(join(root, 'emsdk.lock'), 'utf8'));

// Memory is fixed (no growth import): 4 MiB holds the largest ML-DSA-87 stack
// frames plus the I/O buffers the TypeScript layer allocates, and a bounded
// heap is itself a defence against inputs that try to exhaust memory.
const COMMON_FLAGS = [
  '-std=c11',
  '-Wall',
  '-Wextra',
  '-Werror',
  '-Wno-unused-function',
  '-g0',
  '-ffile-prefix-map=' + root + '=.',
  '-sSTANDALONE_WASM',
  '--no-entry',
  '-sMALLOC=emmalloc',
  '-sTOTAL_STACK=524288',
  '-sINITIAL_MEMORY=4194304',
  '-sALLOW_MEMORY_GROWTH=0',
  '-sEXPORTED_FUNCTIONS=_malloc,_free',
  '-sERROR_ON_UNDEFINED_SYMBOLS=1',
];
const VARIANTS = {
  // The SIMD build is -O2: measured within noise of -O3 on ML-KEM/ML-DSA (the
  // hot loops are explicit SIMD kernels, so -O3's extra unrolling buys little)
  // and 1.2 KB smaller gzipped, which kept the former single core module under its 35 KB budget.
  // -mbulk-memory turns memcpy/memset (struct copies, qs_zeroize of the
  // ~60 KiB signing workspace) into memory.copy/fill: ML-DSA verify ~8%
  // faster and the module smaller. Every engine with SIMD128 has bulk memory;
  // the scalar fallback, meant for older engines, stays without it.
  simd: { flags: ['-O2', '-msimd128', '-mbulk-memory'] },
  scalar: { flags: ['-O3'] },
};
// One module per family, each standalone (its own memory, allocator and
// copy of what it shares with the others), so an app instantiates only what
// it uses: src/wasm/loader.ts loads them on first use. `files` are paths under
// native/ (a folder takes all its .c files, minus `exclude`); in the SIMD
// build a simd128/ twin replaces its scalar file, and SIMD-only helpers join.
// No api.c or randombytes.c: the liboqs-shaped C API is for native callers,
// the wasm exports are the exports.c files (randomness comes from the caller).
const HEAP = ['common/qs_common.c', 'common/wasm_heap.c'];
const KECCAK = ['fips202/keccak.c', 'fips202/exports.c'];
// The 2-way SHAKE kernel: ML-KEM and ML-DSA expand their matrices with it.
const KECCAK_X2 = ['fips202/keccakx2.c', 'fips202/x2_exports.c'];
const MODULES = {
  // ML-KEM with the SHA-3 it is built on (and exports, so plain hashing in an
  // ML-KEM app needs no second module).
  mlkem: { files: [...HEAP, ...KECCAK, ...KECCAK_X2, 'mlkem'], exclude: ['mlkem/api.c'], flags: [] },
  mldsa: { files: [...HEAP, ...KECCAK, ...KECCAK_X2, 'mldsa'], exclude: ['mldsa/api.c'], flags: [] },
  // X25519 for the hybrid KEMs, and SHA-3 alone for apps that only hash: no
  // ML-DSA-87 stack frames to hold, so 2 MiB (stack, arena, heap) is plenty.
  x25519: { files: [...HEAP, 'x25519'], flags: ['-sINITIAL_MEMORY=2097152'] },
  sha3: { files: [...HEAP, ...KECCAK], flags: ['-sINITIAL_MEMORY=2097152'] },
  // SLH-DSA: no wasm_heap.c (its exports.c has its own heap exports). 16 MiB:
  // a pure SLH-DSA message is read twice, so it must sit in wasm memory whole
  // (larger ones go through HashSLH-DSA).
  slhdsa: {
    files: ['common/qs_common.c', 'fips202/keccak.c', 'fips202/keccakx2.c', 'slhdsa'],
    exclude: ['slhdsa/api.c'],
    flags: ['-sINITIAL_MEMORY=16777216'],
  },
};
for (const [name, m] of Object.entries(MODULES)) {
  m.outputKey = (v) => `${name}-${v}`;
  m.file = (v) => `qsign-${name}-${v}.wasm`;
}

function fail(msg) {
  console.error(`build-wasm: ${msg}`);
  process.exit(1);
}

function checkToolchain() {
  const problems = [];
  for (const [pkg, want] of Object.entries(lock.debian_packages)) {
    let have = '';
    try {
      have = execFileSync('dpkg-query', ['-W', '-f=${Version}', pkg], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      have = '(not installed)';
    }
    if (have !== want) problems.push(`  ${pkg}: have ${have}, want ${want}`);
  }
  let line = '(emcc not found)';
  try {
    line = execFileSync('emcc', ['--version'], { encoding: 'utf8' }).split('\n')[0].trim();
  } catch {
    /* reported below */
  }
  if (line !== lock.emcc_version_line) problems.push(`  emcc --version: "${line}", want "${lock.emcc_version_line}"`);
  if (problems.length) {
    fail(
      `the toolchain differs from emsdk.lock, so the wasm bytes would not match:\n${problems.join('\n')}\n` +
        `Install the pinned toolchain (Debian 12):\n  ${lock.install}\nor run: npm run setup`,
    );
  }
}

function twinOf(variant, path) {
  const twin = join(dirname(path), 'simd128', path.slice(dirname(path).length + 1));
  return variant === 'simd' && existsSync(twin) ? twin : path;
}

function listSources(variant, module) {
  const files = [];
  for (const f of module.files) {
    const p = join(nativeDir, f);
    const names = statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((n) => n.endsWith('.c') && !module.exclude?.includes(`${f}/${n}`))
          .sort()
          .map((n) => join(p, n))
      : [p];
    for (const n of names) files.push(twinOf(variant, n));
    const simdDir = join(p, 'simd128');
    // SIMD-only helpers (no scalar twin) are compiled into the SIMD build only.
    if (variant === 'simd' && statSync(p).isDirectory() && existsSync(simdDir)) {
      for (const name of readdirSync(simdDir)
        .filter((n) => n.endsWith('.c'))
        .sort()) {
        if (!existsSync(join(p, name))) files.push(join(simdDir, name));
      }
    }
  }
  return files;
}

/** Hash of every file under native/ (path + bytes), so stale builds are detectable. */
export function nativeSourceHash() {
  const h = createHash('sha256');
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(c|h)$/.test(name)) {
        h.update(relative(root, p) + '\0');
        h.update(readFileSync(p));
        h.update('\0');
      }
    }
  };
  walk(nativeDir);
  h.update(
    JSON.stringify({
      COMMON_FLAGS: COMMON_FLAGS.filter((f) => !f.startsWith('-ffile-prefix-map')),
      VARIANTS,
      MODULES: Object.fromEntries(
        Object.entries(MODULES).map(([k, m]) => [k, { ...m, outputKey: m.outputKey('*'), file: m.file('*') }]),
      ),
      lock: lock.debian_packages,
    }),
  );
  return h.digest('hex');
}

function build(outDir) {
  const outputs = {};
  for (const module of Object.values(MODULES)) {
    for (const [name, v] of Object.entries(VARIANTS)) {
      const sources = listSources(name, module).map((p) => relative(root, p));
      const file = module.file(name);
      const out = join(outDir, file);
      // Build beside the target and rename, so a test reading wasm/ mid-build
      // never sees a half-written module.
      const partial = `${out}.partial-${process.pid}.wasm`;
      const flags = [...COMMON_FLAGS, ...v.flags, ...module.flags];
      const args = [...flags, '-Inative/include', ...sources, '-o', partial];
      execFileSync('emcc', args, { cwd: root, stdio: 'inherit', env: { ...process.env, EMCC_SKIP_SANITY_CHECK: '1' } });
      renameSync(partial, out);
      const bytes = readFileSync(out);
      outputs[module.outputKey(name)] = {
        file,
        bytes: bytes.length,
        gzipBytes: gzipSync(bytes, { level: 9 }).length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        flags: flags.filter((f) => !f.startsWith('-ffile-prefix-map')),
        sources,
      };
    }
  }
  return outputs;
}

const mode = process.argv[2] ?? '';
const infoPath = join(wasmDir, 'build-info.json');

if (mode === '--if-stale' && existsSync(infoPath)) {
  const info = JSON.parse(readFileSync(infoPath, 'utf8'));
  const fresh =
    info.nativeSourceHash === nativeSourceHash() &&
    Object.values(info.outputs).every((o) => {
      const p = join(wasmDir, o.file);
      return existsSync(p) && createHash('sha256').update(readFileSync(p)).digest('hex') === o.sha256;
    });
  if (fresh) process.exit(0);
}

checkToolchain();
if (mode === '--check') {
  const tmp = mkdtempSync(join(tmpdir(), 'qsign-wasm-'));
  try {
    const outputs = build(tmp);
    const info = JSON.parse(readFileSync(infoPath, 'utf8'));
    let bad = false;
    for (const [name, o] of Object.entries(outputs)) {
      const want = info.outputs[name]?.sha256;
      const committed = existsSync(join(wasmDir, o.file))
        ? createHash('sha256')
            .update(readFileSync(join(wasmDir, o.file)))
            .digest('hex')
        : '(missing)';
      if (o.sha256 !== want || committed !== want) {
        console.error(
          `build-wasm --check: ${o.file}: rebuilt ${o.sha256}, build-info ${want}, committed file ${committed}`,
        );
        bad = true;
      }
    }
    if (info.nativeSourceHash !== nativeSourceHash()) {
      console.error('build-wasm --check: native/ changed since wasm/ was built; run npm run build:wasm');
      bad = true;
    }
    if (bad) process.exit(1);
    console.log('build-wasm --check: rebuilt wasm is byte-identical to the committed wasm/');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
} else {
  const outputs = build(wasmDir);
  const info = {
    toolchain: { emcc: lock.emcc_version_line, debian_packages: lock.debian_packages },
    nativeSourceHash: nativeSourceHash(),
    outputs,
  };
  writeFileSync(infoPath, JSON.stringify(info, null, 2) + '\n');
  for (const o of Object.values(outputs))
    console.log(`wasm/${o.file}: ${o.bytes} B, ${o.gzipBytes} B gzip, sha256 ${o.sha256}`);
}
