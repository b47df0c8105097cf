// TEMPORARY STAND-IN written by the lead so the protocol layers (engine,
// hybrid, jose, transit, x509) compile and run while our wasm ML-DSA is being
// written. The ML-DSA engineer REPLACES THIS WHOLE FILE with the real
// exports (ml_dsa44/65/87 on our wasm core, same noble-shaped API).
export { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
