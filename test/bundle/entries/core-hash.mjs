import { init, sha3_256 } from 'qsign-pqc';
await init();
export const digest = sha3_256(new Uint8Array(3));
