// SLH-DSA's module for Workers (`#wasm-source/slhdsa`, imported by SLH-DSA's own code only, so a Worker
// uploads the modules of the families it uses). Only the SIMD128 build: see src/entries/workerd.ts.
import simd from '../../wasm/qsign-slhdsa-simd.wasm';
import { simdBuildOnly } from './workerd.js';

/** The SLH-DSA module, compiled by wrangler/workerd (the scalar build is passed with init({ wasm })). */
export function moduleSource(variant: 'simd' | 'scalar'): WebAssembly.Module {
  return simdBuildOnly('slhdsa', simd, variant);
}
