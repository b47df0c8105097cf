// ML-DSA's module for Workers (`#wasm-source/mldsa`, imported by ML-DSA's own code only, so a Worker
// uploads the modules of the families it uses). Only the SIMD128 build: see src/entries/workerd.ts.
import simd from '../../wasm/qsign-mldsa-simd.wasm';
import { simdBuildOnly } from './workerd.js';

/** The ML-DSA module, compiled by wrangler/workerd (the scalar build is passed with init({ wasm })). */
export function moduleSource(variant: 'simd' | 'scalar'): WebAssembly.Module {
  return simdBuildOnly('mldsa', simd, variant);
}
