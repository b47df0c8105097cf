// Cloudflare Workers forbid compiling wasm from bytes at run time, so the
// modules are imported statically: wrangler and workerd hand us a compiled
// WebAssembly.Module for each.
import simdModule from '../../wasm/qsign-simd.wasm';
import scalarModule from '../../wasm/qsign-scalar.wasm';
import slhDsaSimdModule from '../../wasm/qsign-slhdsa-simd.wasm';
import slhDsaScalarModule from '../../wasm/qsign-slhdsa-scalar.wasm';

export async function defaultWasmSource(variant: 'simd' | 'scalar'): Promise<WebAssembly.Module> {
  return variant === 'simd' ? simdModule : scalarModule;
}

/** The SLH-DSA module (instantiated on first use; a Module instantiates synchronously). */
export function defaultSlhDsaSource(variant: 'simd' | 'scalar'): WebAssembly.Module {
  return variant === 'simd' ? slhDsaSimdModule : slhDsaScalarModule;
}
