/**
 * The one error type of the SDK. Every failure a caller can cause or handle
 * carries a stable string `code` (safe to switch on across versions) and a
 * message that says what to fix; `cause` keeps the underlying error.
 *
 * Codes are plain strings so each layer (kem, sig, jose, transit, x509, …)
 * can add its own without a central enum; the ones below belong to the core.
 *
 * @example
 * ```ts
 * try { ml_kem768.encapsulate(pk) } catch (e) {
 *   if (e instanceof QsignError && e.code === 'ERR_INVALID_PUBLIC_KEY') …
 * }
 * ```
 */
export class QsignError extends Error {
  /** Stable machine-readable code, e.g. `ERR_INVALID_PUBLIC_KEY`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = 'QsignError';
  }
}

/** Codes raised by the core layers (loader, hashing, KEM, signatures). */
export const CoreErrorCodes = {
  NOT_INITIALIZED: 'ERR_NOT_INITIALIZED',
  SELF_TEST_FAILED: 'ERR_SELF_TEST_FAILED',
  WASM_LOAD_FAILED: 'ERR_WASM_LOAD_FAILED',
  INVALID_ARGUMENT: 'ERR_INVALID_ARGUMENT',
  INVALID_PUBLIC_KEY: 'ERR_INVALID_PUBLIC_KEY',
  INVALID_SECRET_KEY: 'ERR_INVALID_SECRET_KEY',
  INVALID_CIPHERTEXT_LENGTH: 'ERR_INVALID_CIPHERTEXT_LENGTH',
  INVALID_SIGNATURE: 'ERR_INVALID_SIGNATURE',
  UNKNOWN_ALGORITHM: 'ERR_UNKNOWN_ALGORITHM',
  OUT_OF_MEMORY: 'ERR_OUT_OF_MEMORY',
  DESTROYED: 'ERR_DESTROYED',
  SIGN_ATTEMPTS_EXHAUSTED: 'ERR_SIGN_ATTEMPTS_EXHAUSTED',
  INVALID_STATE: 'ERR_INVALID_STATE',
  INTERNAL: 'ERR_INTERNAL',
} as const;

/** True when `e` is a QsignError, optionally with the given code. */
export function isQsignError(e: unknown, code?: string): e is QsignError {
  return e instanceof QsignError && (code === undefined || e.code === code);
}
