// ML-KEM's module for Workers (`#wasm-source/mlkem`, imported by ML-KEM's own code only, so a Worker
// uploads the modules of the families it uses). Only the SIMD128 build: see src/entries/workerd.ts.
import simd from '../../wasm/qsign-mlkem-simd.wasm';
import { simdBuildOnly } from './workerd.js';

/** The ML-KEM module, compiled by wrangler/workerd (the scalar build is passed with init({ wasm })). */
export function moduleSource(variant: 'simd' | 'scalar'): WebAssembly.Module {
  return simdBuildOnly('mlkem', simd, variant);
}
