export { sha3_224, sha3_256, sha3_384, sha3_512, shake128, shake256 } from './sha3.js';
export type { Hasher, HashFn, XofFn } from './sha3.js';
