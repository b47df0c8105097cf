// Browsers (and bundlers): literal `new URL(…, import.meta.url)` so Vite,
// webpack, esbuild and Rollup emit the .wasm as an asset; fetched responses
// compile while they stream.
export async function defaultWasmSource(variant: 'simd' | 'scalar'): Promise<Response> {
  const url =
    variant === 'simd'
      ? new URL('../../wasm/qsign-simd.wasm', import.meta.url)
      : new URL('../../wasm/qsign-scalar.wasm', import.meta.url);
  return fetch(url);
}

/** The SLH-DSA module: fetched, so `loadSlhDsa()` must run before its first use. */
export function defaultSlhDsaSource(variant: 'simd' | 'scalar'): Promise<Response> {
  const url =
    variant === 'simd'
      ? new URL('../../wasm/qsign-slhdsa-simd.wasm', import.meta.url)
      : new URL('../../wasm/qsign-slhdsa-scalar.wasm', import.meta.url);
  return fetch(url);
}
