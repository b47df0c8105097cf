// dist/: one ES module per public entry point, shared code in a few chunks
// (issue 23 item 1). The per-file module graph tsc emitted (~120 files, 93 of
// them reached by the root import) cost a Node cold start ~40 ms of resolving,
// reading and compiling; here the root import reaches a handful of files.
// Built by scripts/build-dist.mjs (npm run build:ts, and `npm run setup` when
// src/ changed), which also emits the .d.ts tree with tsc.
//
// To add an entry point or a runtime wasm entry: one line in ENTRIES below
// (and its "exports"/"imports" row in package.json). A new wasm file only needs
// to sit in wasm/ (package.json "files" takes wasm/*.wasm) and be referenced
// from a src/entries/*.ts with a literal new URL(…) or a static import.
import { transform } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Output path (without .js) → source. Paths stay where tsc put them, so package.json and the wasm URLs hold. */
export const ENTRIES = {
  // public entry points: package.json "exports"
  index: 'src/index.ts',
  'webcrypto/index': 'src/webcrypto/index.ts',
  'hybrid/index': 'src/hybrid/index.ts',
  'jose/index': 'src/jose/index.ts',
  'transit/index': 'src/transit/index.ts',
  'transit/node/index': 'src/transit/node/index.ts',
  'x509/index': 'src/x509/index.ts',
  'cms/index': 'src/cms/index.ts',
  'inline/index': 'src/inline.ts',
  // in-repo users of deep paths: bin/qsign.mjs, examples/demo, bench/transit.mjs
  'cli/main': 'src/cli/main.ts',
  'transit/node/server': 'src/transit/node/server.ts',
  'transit/node/audit-file': 'src/transit/node/audit-file.ts',
};

/** The package.json "exports" entries (the rest of ENTRIES are deep paths used inside this repository). */
const PUBLIC = Object.keys(ENTRIES).filter((name) => name.endsWith('index'));

/**
 * Runtime wasm sources: package.json "imports" `#wasm-source` and `#wasm-source/<module>`. Built on their own (no chunk merging):
 * each must stay a standalone file in dist/entries/, since its `../../wasm/` URL or static .wasm import
 * is relative to that file and only the runtime's own entry may be loaded (Node cannot import a .wasm).
 */
/** The family modules each runtime serves as `#wasm-source/<module>` (src/entries/<runtime>-<module>.ts). */
const FAMILY_MODULES = ['mlkem', 'mldsa', 'x25519', 'sha3', 'slhdsa'];

export const RUNTIME_ENTRIES = Object.fromEntries(
  ['node', 'browser', 'deno', 'workerd'].flatMap((runtime) => [
    [`entries/${runtime}`, `src/entries/${runtime}.ts`],
    // `#wasm-source/<module>`: one file per family module, imported by that family's code only.
    ...FAMILY_MODULES.map((m) => [`entries/${runtime}-${m}`, `src/entries/${runtime}-${m}.ts`]),
    // `#wasm-source/all`: the runtime's entry and every family in one file, for the unbundled dist/ tree
    // (allFamiliesOneFile).
    [`entries/${runtime}-all`, `src/entries/${runtime}-all.ts`],
  ]),
);

/**
 * The dist/ tree (runtimes loading the package unbundled) imports one runtime file, `#wasm-source/all`, instead
 * of `#wasm-source` and five `#wasm-source/<family>` files: a Node 20 cold start spent ~1.5 ms resolving,
 * reading and compiling the six (measured on the installed package, CPU time). `#wasm-source/<family>` becomes a
 * re-export of that family's source from the one file; bundlers keep the per-family files (dist/modules/).
 */
const allFamiliesOneFile = {
  name: 'qsign-wasm-source-all',
  resolveId(source) {
    if (source === '#wasm-source') return { id: '#wasm-source/all', external: true };
    const family = source.startsWith('#wasm-source/') ? source.slice('#wasm-source/'.length) : undefined;
    return family && FAMILY_MODULES.includes(family) ? `\0wasm-source-${family}` : null;
  },
  load(id) {
    if (!id.startsWith('\0wasm-source-')) return null;
    const family = id.slice('\0wasm-source-'.length);
    return `export { ${family}Source as moduleSource } from '#wasm-source/all';`;
  },
};

/**
 * TypeScript → JavaScript per file with esbuild (types are tsc's job; the tsconfig's isolatedModules
 * and verbatimModuleSyntax make a per-file transform exact), and `./x.js` specifiers found as `./x.ts`.
 */
const typescript = {
  name: 'qsign-typescript',
  resolveId(source, importer) {
    if (!importer || !source.startsWith('.') || !source.endsWith('.js')) return null;
    const ts = resolve(dirname(importer), source.replace(/\.js$/, '.ts'));
    return existsSync(ts) ? ts : null;
  },
  async transform(code, id) {
    if (!id.endsWith('.ts')) return null;
    const r = await transform(code, { loader: 'ts', target: 'es2022', format: 'esm', sourcemap: true, sourcefile: id });
    return { code: r.code, map: r.map };
  },
};

/**
 * `#wasm-inline/<module>` (qsign-pqc/inline): each family module's two builds as base64 strings
 * (`SIMD_WASM_BASE64`, `SCALAR_WASM_BASE64`), read from wasm/ at build time, one virtual module (and
 * chunk) per family so an app embeds, or loads, only the families it initializes.
 */
const INLINE_MODULES = ['mlkem', 'mldsa', 'x25519', 'sha3'];
/** Where each family's embedded wasm is built once (its own build below); both trees import these files. */
const inlineWasmFile = (name) => resolve(`dist/inline/wasm-${name}.js`);
const INLINE_WASM_FILES = new Map(INLINE_MODULES.map((m) => [inlineWasmFile(m), m]));
const inlineWasm = {
  name: 'qsign-wasm-inline',
  resolveId: (source) =>
    source.startsWith('#wasm-inline/') && INLINE_MODULES.includes(source.slice(13))
      ? `\0wasm-inline-${source.slice(13)}`
      : null,
  load(id) {
    if (!id.startsWith('\0wasm-inline-')) return null;
    const name = id.slice('\0wasm-inline-'.length);
    const b64 = (v) => readFileSync(`wasm/qsign-${name}-${v}.wasm`).toString('base64');
    return `export const SIMD_WASM_BASE64 = '${b64('simd')}';\nexport const SCALAR_WASM_BASE64 = '${b64('scalar')}';`;
  },
};

let rootModules;
/** Ids of the src/ modules src/index.ts imports statically, directly or through others (dynamic imports stay out). */
function rootGraph(getModuleInfo) {
  if (rootModules) return rootModules;
  rootModules = new Set();
  const visit = (id) => {
    const info = getModuleInfo(id);
    if (!info || info.isExternal || rootModules.has(id)) return;
    rootModules.add(id);
    for (const dep of info.importedIds) visit(dep);
  };
  visit(resolve(ENTRIES.index));
  return rootModules;
}

/**
 * `.wasm` imports (the workerd entry's static imports) stay as written: dist/entries/ sits as deep as src/entries/,
 * so `../../wasm/…` names the package's wasm/ from either. (Left to rollup, the external was re-rendered relative
 * to the output as `../../../wasm/…`, outside the package: wrangler found no module to upload.)
 */
const wasmAsWritten = {
  name: 'qsign-wasm-as-written',
  resolveId: (source) => (source.endsWith('.wasm') ? { id: source, external: true } : null),
};

/**
 * In the entry builds `#wasm-inline/<family>` is that family's file, external; each tree's `output.paths` names it
 * relative to the one module that imports it (src/inline.ts → dist/inline/index.js, dist/modules/inline/index.js).
 */
const inlineWasmShared = {
  name: 'qsign-wasm-inline-shared',
  resolveId: (source) =>
    source.startsWith('#wasm-inline/') && INLINE_MODULES.includes(source.slice(13))
      ? { id: inlineWasmFile(source.slice(13)), external: true }
      : null,
};
/** `output.paths` for a tree whose src/inline.ts lands `up` below dist/inline/ ('.' or '../../inline'). */
const inlinePaths = (up) => (id) => (INLINE_WASM_FILES.has(id) ? `${up}/wasm-${INLINE_WASM_FILES.get(id)}.js` : id);

const common = {
  // Bare specifiers are the package's dependencies (or Node built-ins), `#wasm-source` is resolved
  // by the runtime through package.json "imports"; the .wasm files stay files beside dist/ (wasmAsWritten).
  external: (id) =>
    id.startsWith('#wasm-inline/') || id.startsWith('\0') || id.endsWith('.wasm') ? false : !/^[./]/.test(id),
  plugins: [wasmAsWritten, inlineWasmShared, typescript],
  treeshake: { moduleSideEffects: false },
  onwarn(warning, warn) {
    if (warning.code === 'CIRCULAR_DEPENDENCY') return;
    warn(warning);
  },
};
const output = {
  dir: 'dist',
  format: 'es',
  entryFileNames: '[name].js',
  sourcemap: true,
  // The maps name ../src/*.ts, which the package ships once (package.json "files"; the .d.ts maps point there
  // too) instead of each map of both trees carrying the text (~0.6 MB of the packed tarball).
  sourcemapExcludeSources: true,
  generatedCode: 'es2015',
  // No hoisted `import 'x'` of a chunk's transitive dependencies: they only start loads early, and with
  // merged chunks they made dist/x509 name node:http and a shared chunk load the embedded wasm eagerly.
  hoistTransitiveImports: false,
};

export default [
  {
    ...common,
    plugins: [allFamiliesOneFile, ...common.plugins],
    // `#wasm-source…` goes to allFamiliesOneFile's resolveId (rollup asks `external` first).
    external: (id, importer, resolved) => !/^#wasm-source(\/|$)/.test(id) && common.external(id, importer, resolved),
    input: ENTRIES,
    output: {
      ...output,
      chunkFileNames: 'chunks/[name]-[hash].js',
      paths: inlinePaths('.'),
      // No experimentalMinChunkSize merging: it put the Node-only HTTP server (node:http) and audit file
      // (node:fs) into chunks that the portable dist/transit and dist/x509 load.
      // The embedded wasm (qsign-pqc/inline's dynamic import) is a file of its own (dist/inline/wasm.js, built
      // last below): merged into a small chunk it was loaded by every entry sharing that chunk.
      // Everything the root entry reaches statically in one chunk (`chunks/core-*.js`): a Node cold start
      // resolves, reads and compiles each file of the graph, so `import 'qsign-pqc'` loads dist/index.js,
      // this chunk and the runtime's #wasm-source entry (was: five chunks). Other entries share it.
      manualChunks: (id, { getModuleInfo }) => (rootGraph(getModuleInfo).has(id) ? 'core' : undefined),
    },
  },
  // The same public entry points file by file, for bundlers (package.json "browser"/"worker"/"workerd"
  // conditions): an app bundler drops a whole unused module by "sideEffects": false, but inside one merged
  // chunk it must keep every top-level call it cannot prove pure (measured: the ML-KEM-only consumer bundle
  // 9.1 → 21.5 KB gz). Runtimes loading the package directly get the merged files above.
  {
    ...common,
    input: Object.fromEntries(Object.entries(ENTRIES).filter(([name]) => PUBLIC.includes(name))),
    output: {
      ...output,
      dir: 'dist/modules',
      preserveModules: true,
      preserveModulesRoot: 'src',
      paths: inlinePaths('../../inline'),
    },
  },
  ...Object.entries(RUNTIME_ENTRIES).map(([name, file]) => ({ ...common, input: { [name]: file }, output })),
  // Each family's embedded wasm (qsign-pqc/inline's dynamic imports) once, for both trees above: it was a chunk
  // in each (2 × 210 KB of base64, ~130 KB of the packed tarball each), and one file per family so an app loads
  // only the families it initializes.
  {
    input: Object.fromEntries(INLINE_MODULES.map((m) => [`inline/wasm-${m}`, `#wasm-inline/${m}`])),
    plugins: [inlineWasm],
    output: { ...output, sourcemap: false },
  },
];
