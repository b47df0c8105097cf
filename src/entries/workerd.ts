// Cloudflare Workers forbid compiling wasm from bytes at run time, so the
// modules are imported statically: wrangler and workerd hand us a compiled
// WebAssembly.Module for each, which instantiates synchronously on first use.
import mlkemSimd from '../../wasm/qsign-mlkem-simd.wasm';
import mlkemScalar from '../../wasm/qsign-mlkem-scalar.wasm';
import mldsaSimd from '../../wasm/qsign-mldsa-simd.wasm';
import mldsaScalar from '../../wasm/qsign-mldsa-scalar.wasm';
import x25519Simd from '../../wasm/qsign-x25519-simd.wasm';
import x25519Scalar from '../../wasm/qsign-x25519-scalar.wasm';
import sha3Simd from '../../wasm/qsign-sha3-simd.wasm';
import sha3Scalar from '../../wasm/qsign-sha3-scalar.wasm';
import slhDsaSimd from '../../wasm/qsign-slhdsa-simd.wasm';
import slhDsaScalar from '../../wasm/qsign-slhdsa-scalar.wasm';

const MODULES: Record<string, [simd: WebAssembly.Module, scalar: WebAssembly.Module]> = {
  mlkem: [mlkemSimd, mlkemScalar],
  mldsa: [mldsaSimd, mldsaScalar],
  x25519: [x25519Simd, x25519Scalar],
  sha3: [sha3Simd, sha3Scalar],
  slhdsa: [slhDsaSimd, slhDsaScalar],
};

/** The modules are imported already compiled: init() leaves each to its first use. */
export function modulesArriveSync(): boolean {
  return true;
}

/** A family module (wasm/qsign-<name>-<variant>.wasm). */
export function defaultModuleSource(name: string, variant: 'simd' | 'scalar'): WebAssembly.Module {
  const pair = MODULES[name];
  if (!pair) throw new Error(`no wasm module named ${name}`);
  return pair[variant === 'simd' ? 0 : 1];
}

/** The SLH-DSA module (instantiated on first use; a Module instantiates synchronously). */
export function defaultSlhDsaSource(variant: 'simd' | 'scalar'): WebAssembly.Module {
  return defaultModuleSource('slhdsa', variant);
}
