// Node.js and Bun loading the package unbundled (dist/index.js and the other dist/ entry points): every
// family's source and the runtime's own exports in one file, `#wasm-source/all`. rollup.dist.mjs points the dist/
// tree's `#wasm-source` and `#wasm-source/<family>` imports here: a Node cold start resolves, reads and compiles
// each file it imports (~0.3 ms each, the five per-family files ~1.5 ms of a ~15 ms budget), and unbundled every
// family's file is loaded anyway. The per-family files stay for bundlers (dist/modules/), which drop unused ones.
export * from './node.js';
export { moduleSource as mlkemSource } from './node-mlkem.js';
export { moduleSource as mldsaSource } from './node-mldsa.js';
export { moduleSource as x25519Source } from './node-x25519.js';
export { moduleSource as sha3Source } from './node-sha3.js';
export { moduleSource as slhdsaSource } from './node-slhdsa.js';
