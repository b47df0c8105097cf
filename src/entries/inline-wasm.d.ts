// `#wasm-inline` exists only inside the dist build: rollup.dist.mjs generates it from wasm/*.wasm
// (each build's bytes as a base64 string), for the qsign-pqc/inline entry.
declare module '#wasm-inline' {
  export const SIMD_WASM_BASE64: string;
  export const SCALAR_WASM_BASE64: string;
}
