import { QsignError, type QsignErrorCode } from '../errors.js';

/** Maps QS_* return codes (native/common/qs_common.h) to typed errors. */
const STATUS: Record<number, [code: QsignErrorCode, what: string]> = {
  [-1]: ['ERR_INVALID_PUBLIC_KEY', 'the public key is malformed (wrong length or coefficients out of range); use a key exported by this or another conforming implementation'],
  [-2]: ['ERR_INVALID_SECRET_KEY', 'the secret key is malformed or inconsistent (its embedded hash or public part does not match)'],
  [-3]: ['ERR_INVALID_CIPHERTEXT_LENGTH', 'the ciphertext has the wrong length for this parameter set'],
  [-4]: ['ERR_INVALID_SIGNATURE', 'the signature is malformed'],
  [-5]: ['ERR_INVALID_ARGUMENT', 'an argument is out of range'],
  [-6]: ['ERR_OUT_OF_MEMORY', 'the wasm heap is exhausted; the input is larger than the documented limits'],
  [-7]: ['ERR_INTERNAL', 'no randomness source is available'],
  [-8]: [
    'ERR_SIGN_ATTEMPTS_EXHAUSTED',
    'no signature candidate was accepted within 814 attempts (FIPS 204 Appendix C); honest randomness fails this with probability about 2^-256, so check the secret key and the randomness source, then retry',
  ],
  [-9]: ['ERR_INVALID_STATE', 'the hash state was used out of order (absorb after finalize, or squeeze before it); start a new hash'],
};

/** Throws the typed error for a non-zero return code; `context` names the operation. */
export function checkStatus(rc: number, context: string): void {
  if (rc === 0) return;
  const [code, what] = STATUS[rc] ?? ['ERR_INTERNAL', `unexpected return code ${rc}`];
  throw new QsignError(code, `${context}: ${what}`);
}
