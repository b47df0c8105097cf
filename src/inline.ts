/**
 * `qsign-pqc/inline`: the root API with both wasm builds embedded in the JavaScript (base64), for
 * bundlers and tools that do not emit the `.wasm` as an asset (a plain `esbuild --bundle`, single-file
 * builds, some test runners). `init()` from here needs no file, URL or fetch; everything else is the
 * root entry's own objects, so `qsign-pqc/jose`, `qsign-pqc/x509`, … work once it has run.
 *
 * Cost: the bytes travel inside the script (about 207 KB raw, 83 KB gzip for both builds, where the
 * asset route downloads only the one build used: 34–36 KB gzip) and are decoded on the main thread.
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
import type { InitOptions } from './wasm/loader.js';
import { fromBase64 as decode } from './util/codec.js';

export * from './index.js';

/**
 * Loads the embedded wasm (the SIMD128 build where supported, else the scalar one); other options as
 * the root `init()`. An explicit `wasm` option still wins. Only the build picked is decoded. The bytes
 * are a dynamic import: a bundler that splits chunks loads them on the first `init()`, one that
 * does not (plain esbuild) keeps them in the one file; neither adds them to the root entry.
 *
 * @example
 * ```ts
 * import { init, backend } from 'qsign-pqc/inline';
 * await init();
 * console.log(backend()); // 'simd128'
 * ```
 */
export async function init(options: InitOptions = {}): Promise<void> {
  if (options.wasm !== undefined) return initWith(options);
  const { SIMD_WASM_BASE64, SCALAR_WASM_BASE64 } = await import('#wasm-inline');
  const embedded = {
    get simd() {
      return decode(SIMD_WASM_BASE64);
    },
    get scalar() {
      return decode(SCALAR_WASM_BASE64);
    },
  };
  return initWith({ ...options, wasm: embedded });
}
