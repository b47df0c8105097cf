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
 * Runtime wasm sources: package.json "imports" `#wasm-source`. Built on their own (no chunk merging):
 * each must stay a standalone file in dist/entries/, since its `../../wasm/` URL or static .wasm import
 * is relative to that file and only the runtime's own entry may be loaded (Node cannot import a .wasm).
 */
export const RUNTIME_ENTRIES = {
  'entries/node': 'src/entries/node.ts',
  'entries/browser': 'src/entries/browser.ts',
  'entries/deno': 'src/entries/deno.ts',
  'entries/workerd': 'src/entries/workerd.ts',
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

const common = {
  // Bare specifiers are the package's dependencies (or Node built-ins), `#wasm-source` is resolved
  // by the runtime through package.json "imports", and the .wasm files stay files beside dist/.
  external: (id) =>
    id.startsWith('#wasm-inline/') || id.startsWith('\0') ? false : !/^[./]/.test(id) || id.endsWith('.wasm'),
  plugins: [inlineWasm, typescript],
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
  generatedCode: 'es2015',
  // No hoisted `import 'x'` of a chunk's transitive dependencies: they only start loads early, and with
  // merged chunks they made dist/x509 name node:http and a shared chunk load the embedded wasm eagerly.
  hoistTransitiveImports: false,
};

export default [
  {
    ...common,
    input: ENTRIES,
    output: {
      ...output,
      chunkFileNames: 'chunks/[name]-[hash].js',
      // No experimentalMinChunkSize merging: it put the Node-only HTTP server (node:http) and audit file
      // (node:fs) into chunks that the portable dist/transit and dist/x509 load.
      // Each family's embedded wasm (qsign-pqc/inline's dynamic imports) in a chunk of its own: merged
      // into a small chunk it was loaded by every entry sharing that chunk.
      manualChunks: (id) => (id.startsWith('\0wasm-inline-') ? id.slice(1) : undefined),
    },
  },
  // The same public entry points file by file, for bundlers (package.json "browser"/"worker"/"workerd"
  // conditions): an app bundler drops a whole unused module by "sideEffects": false, but inside one merged
  // chunk it must keep every top-level call it cannot prove pure (measured: the ML-KEM-only consumer bundle
  // 9.1 → 21.5 KB gz). Runtimes loading the package directly get the merged files above.
  {
    ...common,
    input: Object.fromEntries(Object.entries(ENTRIES).filter(([name]) => PUBLIC.includes(name))),
    output: { ...output, dir: 'dist/modules', preserveModules: true, preserveModulesRoot: 'src' },
  },
  ...Object.entries(RUNTIME_ENTRIES).map(([name, file]) => ({ ...common, input: { [name]: file }, output })),
];
