/**
 * ML-KEM (FIPS 203) on the wasm core: `ml_kem512`, `ml_kem768`,
 * `ml_kem1024` (same shape as @noble/post-quantum's) and `kem(name)`.
 */
export { ml_kem512, ml_kem768, ml_kem1024, kem } from './mlkem.js';
export type { MlKem, MlKemLengths, MlKemPrepared } from './mlkem.js';
