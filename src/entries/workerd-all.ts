// Workers reaching the unbundled dist/ tree (a bundle of dist/index.js itself, as the workerd test harness makes; apps get dist/modules/ through the "workerd" export condition): every
// family's source and the runtime's own exports in one file, `#wasm-source/all`. rollup.dist.mjs points the dist/
// tree's `#wasm-source` and `#wasm-source/<family>` imports here: a Node cold start resolves, reads and compiles
// each file it imports (~0.3 ms each, the five per-family files ~1.5 ms of a ~15 ms budget), and unbundled every
// family's file is loaded anyway. The per-family files stay for bundlers (dist/modules/), which drop unused ones.
export * from './workerd.js';
export { moduleSource as mlkemSource } from './workerd-mlkem.js';
export { moduleSource as mldsaSource } from './workerd-mldsa.js';
export { moduleSource as x25519Source } from './workerd-x25519.js';
export { moduleSource as sha3Source } from './workerd-sha3.js';
export { moduleSource as slhdsaSource } from './workerd-slhdsa.js';
