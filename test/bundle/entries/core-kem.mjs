// Core ML-KEM only: what an app doing key agreement ships.
import { init, ml_kem768 } from 'qsign-pqc';
await init();
const { publicKey, secretKey } = ml_kem768.keygen();
const { cipherText } = ml_kem768.encapsulate(publicKey);
export const shared = ml_kem768.decapsulate(cipherText, secretKey);
