/**
 * The one error type of the SDK. Every failure a caller can cause or handle
 * carries a stable string `code` (safe to switch on across versions) and a
 * message that says what to fix; `cause` keeps the underlying error.
 *
 * Each layer keeps its codes in one table and adds it to
 * {@link QsignErrorCodeTables}, so `code` is their union,
 * {@link QsignErrorCode}. All codes: docs/errors.md.
 *
 * @example
 * ```ts
 * try { ml_kem768.encapsulate(pk) } catch (e) {
 *   if (e instanceof QsignError && e.code === 'ERR_INVALID_PUBLIC_KEY') …
 * }
 * ```
 */
export class QsignError extends Error {
  /** Stable machine-readable code, e.g. `ERR_INVALID_PUBLIC_KEY`; one of {@link QsignErrorCode}. */
  readonly code: QsignErrorCode;

  constructor(code: QsignErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = 'QsignError';
  }
}

/** Codes raised by the core layers (loader, hashing, KEM, signatures). */
export const CoreErrorCodes = {
  /** A synchronous API was called before `await init()`. */
  NOT_INITIALIZED: 'ERR_NOT_INITIALIZED',
  /** The wasm core failed its known-answer self-tests at `init()`; nothing will run. */
  SELF_TEST_FAILED: 'ERR_SELF_TEST_FAILED',
  /** The `.wasm` bytes could not be fetched, compiled or instantiated. */
  WASM_LOAD_FAILED: 'ERR_WASM_LOAD_FAILED',
  /** An argument has the wrong type, length or range; the message names it. */
  INVALID_ARGUMENT: 'ERR_INVALID_ARGUMENT',
  /** A public key has the wrong length or fails its validity check (FIPS 203 §7.2, low-order X25519, SPKI). */
  INVALID_PUBLIC_KEY: 'ERR_INVALID_PUBLIC_KEY',
  /** A secret key has the wrong length or fails its consistency check (FIPS 203 §7.3). */
  INVALID_SECRET_KEY: 'ERR_INVALID_SECRET_KEY',
  /** A KEM ciphertext is not the length of its parameter set. */
  INVALID_CIPHERTEXT_LENGTH: 'ERR_INVALID_CIPHERTEXT_LENGTH',
  /** A signature is malformed where a boolean answer is not possible. */
  INVALID_SIGNATURE: 'ERR_INVALID_SIGNATURE',
  /** A name that is not in the algorithm registry (or not of the kind asked for). */
  UNKNOWN_ALGORITHM: 'ERR_UNKNOWN_ALGORITHM',
  /** The wasm heap has no room for the call. */
  OUT_OF_MEMORY: 'ERR_OUT_OF_MEMORY',
  /** The object (key, hasher, context) was destroyed and cannot be used again. */
  DESTROYED: 'ERR_DESTROYED',
  /** ML-DSA signing found no candidate within 814 attempts (FIPS 204 Appendix C): check the key and randomness. */
  SIGN_ATTEMPTS_EXHAUSTED: 'ERR_SIGN_ATTEMPTS_EXHAUSTED',
  /** A hash state was used out of order (absorb after finalize, squeeze before it); start a new hash. */
  INVALID_STATE: 'ERR_INVALID_STATE',
  /** A bug: an invariant failed. Please report it with the message. */
  INTERNAL: 'ERR_INTERNAL',
  /** A one-shot input larger than the wasm scratch area; use the streaming API. */
  INPUT_TOO_LARGE: 'ERR_INPUT_TOO_LARGE',
} as const;

/** The code tables of every layer by layer name; each layer's errors module adds its own (`declare module`). */
export interface QsignErrorCodeTables {
  core: typeof CoreErrorCodes;
}

/** Every error code of the SDK: the union of all layer tables. Switch on it exhaustively. */
export type QsignErrorCode = {
  [L in keyof QsignErrorCodeTables]: QsignErrorCodeTables[L][keyof QsignErrorCodeTables[L]];
}[keyof QsignErrorCodeTables];

/** True when `e` is a QsignError, optionally with the given code. */
export function isQsignError(e: unknown, code?: QsignErrorCode): e is QsignError {
  return e instanceof QsignError && (code === undefined || e.code === code);
}
