// Browsers (and bundlers): literal `new URL(…, import.meta.url)` per file so
// Vite, webpack, esbuild and Rollup emit each .wasm as an asset; fetched
// responses compile while they stream. Fetching is asynchronous, so init()
// loads the families it is asked for (default: all) before it resolves.
type Variant = 'simd' | 'scalar';

function url(name: string, variant: Variant): URL | undefined {
  const simd = variant === 'simd';
  switch (name) {
    case 'mlkem':
      return simd
        ? new URL('../../wasm/qsign-mlkem-simd.wasm', import.meta.url)
        : new URL('../../wasm/qsign-mlkem-scalar.wasm', import.meta.url);
    case 'mldsa':
      return simd
        ? new URL('../../wasm/qsign-mldsa-simd.wasm', import.meta.url)
        : new URL('../../wasm/qsign-mldsa-scalar.wasm', import.meta.url);
    case 'x25519':
      return simd
        ? new URL('../../wasm/qsign-x25519-simd.wasm', import.meta.url)
        : new URL('../../wasm/qsign-x25519-scalar.wasm', import.meta.url);
    case 'sha3':
      return simd
        ? new URL('../../wasm/qsign-sha3-simd.wasm', import.meta.url)
        : new URL('../../wasm/qsign-sha3-scalar.wasm', import.meta.url);
    case 'slhdsa':
      return simd
        ? new URL('../../wasm/qsign-slhdsa-simd.wasm', import.meta.url)
        : new URL('../../wasm/qsign-slhdsa-scalar.wasm', import.meta.url);
  }
  return undefined;
}

/** Fetching is asynchronous: init() loads the families it is asked for. */
export function modulesArriveSync(): boolean {
  return false;
}

/** A family module (wasm/qsign-<name>-<variant>.wasm), fetched. */
export function defaultModuleSource(name: string, variant: Variant): Promise<Response> {
  const u = url(name, variant);
  return u ? fetch(u) : Promise.reject(new Error(`no wasm module named ${name}`));
}

/** The SLH-DSA module: fetched, so `loadSlhDsa()` must run before its first use. */
export function defaultSlhDsaSource(variant: Variant): Promise<Response> {
  return defaultModuleSource('slhdsa', variant);
}
