// SHA-3's module for Workers (`#wasm-source/sha3`, imported by SHA-3's own code only, so a Worker
// uploads the modules of the families it uses). Only the SIMD128 build: see src/entries/workerd.ts.
import simd from '../../wasm/qsign-sha3-simd.wasm';
import { simdBuildOnly } from './workerd.js';

/** The SHA-3 module, compiled by wrangler/workerd (the scalar build is passed with init({ wasm })). */
export function moduleSource(variant: 'simd' | 'scalar'): WebAssembly.Module {
  return simdBuildOnly('sha3', simd, variant);
}
