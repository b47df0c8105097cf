// Core ML-DSA only: sign and verify.
import { init, ml_dsa65 } from 'qsign-pqc';
await init();
const { publicKey, secretKey } = ml_dsa65.keygen();
const msg = new Uint8Array(32);
export const ok = ml_dsa65.verify(ml_dsa65.sign(msg, secretKey), msg, publicKey);
