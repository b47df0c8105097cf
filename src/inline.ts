/**
 * `qsign-pqc/inline`: the root API with every family module (both builds) embedded in the JavaScript (base64), for
 * bundlers and tools that do not emit the `.wasm` as an asset (a plain `esbuild --bundle`, single-file
 * builds, some test runners). `init()` from here needs no file, URL or fetch; everything else is the
 * root entry's own objects, so `qsign-pqc/jose`, `qsign-pqc/x509`, … work once it has run.
 *
 * Cost: the bytes travel inside the script as base64 in one chunk per family (both builds: ML-KEM about
 * 39 KB gzip, ML-DSA 43 KB, X25519 15 KB, SHA-3 alone 8 KB, where the asset route downloads only the build
 * used: see docs/performance.md) and are decoded on the main thread. `init({ families })` names the
 * families an app needs; with a bundler that splits chunks only theirs are loaded.
 * Cannot run where compiling wasm from bytes is forbidden: Cloudflare Workers (use the root entry,
 * whose `workerd` condition imports the modules statically) and pages whose CSP lacks
 * `'wasm-unsafe-eval'`.
 *
 * @example
 * ```ts
 * import { init, ml_kem768 } from 'qsign-pqc/inline';
 * await init();
 * const { publicKey, secretKey } = ml_kem768.keygen();
 * ```
 * @packageDocumentation
 */
import { init as initWith } from './wasm/loader.js';
import type { InitOptions, WasmFamily, WasmSourceOrPair } from './wasm/loader.js';
import { fromBase64 as decode } from './util/codec.js';

export * from './index.js';

interface Embedded {
  SIMD_WASM_BASE64: string;
  SCALAR_WASM_BASE64: string;
}

/**
 * One dynamic import per family, each a literal specifier so a bundler that splits chunks gives every
 * family's bytes a chunk of its own, loaded only when that family is initialized.
 */
const EMBEDDED: Record<WasmFamily, () => Promise<Embedded>> = {
  'ml-kem': () => import('#wasm-inline/mlkem'),
  'ml-dsa': () => import('#wasm-inline/mldsa'),
  x25519: () => import('#wasm-inline/x25519'),
  sha3: () => import('#wasm-inline/sha3'),
};
const ALL: readonly WasmFamily[] = ['ml-kem', 'ml-dsa', 'x25519', 'sha3'];

/**
 * Loads the embedded wasm of `families` (default: all; the SIMD128 build where supported, else the
 * scalar one); other options as the root `init()`. An explicit `wasm` option still wins. Only the build
 * picked is decoded. Plain SHA-3 hashing runs on the ML-KEM or ML-DSA module when either is among the
 * families, so the SHA-3-only module is embedded only for apps that just hash. The bytes are dynamic
 * imports, one per family: a bundler that splits chunks loads each on the first `init()` naming it, one
 * that does not (plain esbuild) keeps them all in the one file; neither adds them to the root entry.
 *
 * @example
 * ```ts
 * import { init, backend, ml_kem768 } from 'qsign-pqc/inline';
 * await init({ families: ['ml-kem'] }); // embeds and loads only the ML-KEM module
 * console.log(backend()); // 'simd128'
 * ```
 */
export async function init(options: InitOptions = {}): Promise<void> {
  if (options.wasm !== undefined) return initWith(options);
  const wanted = options.families ?? ALL;
  const needed = wanted.filter((f) => f !== 'sha3' || !(wanted.includes('ml-kem') || wanted.includes('ml-dsa')));
  const wasm: Partial<Record<WasmFamily, WasmSourceOrPair>> = {};
  await Promise.all(
    needed.map(async (f) => {
      const { SIMD_WASM_BASE64, SCALAR_WASM_BASE64 } = await EMBEDDED[f]();
      wasm[f] = {
        get simd() {
          return decode(SIMD_WASM_BASE64);
        },
        get scalar() {
          return decode(SCALAR_WASM_BASE64);
        },
      };
    }),
  );
  return initWith({ ...options, families: wanted, wasm });
}
