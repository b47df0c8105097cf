// X25519's module for Workers (`#wasm-source/x25519`, imported by X25519's own code only, so a Worker
// uploads the modules of the families it uses). Only the SIMD128 build: see src/entries/workerd.ts.
import simd from '../../wasm/qsign-x25519-simd.wasm';
import { simdBuildOnly } from './workerd.js';

/** The X25519 module, compiled by wrangler/workerd (the scalar build is passed with init({ wasm })). */
export function moduleSource(variant: 'simd' | 'scalar'): WebAssembly.Module {
  return simdBuildOnly('x25519', simd, variant);
}
