// Cloudflare Workers forbid compiling wasm from bytes at run time, so the
// modules are imported statically: wrangler and workerd hand us a compiled
// WebAssembly.Module for each.
import simdModule from '../../wasm/qsign-simd.wasm';
import scalarModule from '../../wasm/qsign-scalar.wasm';

export async function defaultWasmSource(variant: 'simd' | 'scalar'): Promise<WebAssembly.Module> {
  return variant === 'simd' ? simdModule : scalarModule;
}
