/**
 * Error codes of the Vault-style HTTP kit (`src/http/`), shared by every handler built on it (transit, PKI), and
 * the HTTP status each one answers with.
 */
import { QsignError } from '../errors.js';

export const HttpErrorCodes = {
  /** The request target is not in canonical form (`//`, trailing `/`, `.`/`..`, encoded `/`, double encoding…) (400). */
  BAD_PATH: 'ERR_HTTP_BAD_PATH',
  /** The Host header is not a valid host[:port] (400). */
  BAD_HOST: 'ERR_HTTP_BAD_HOST',
  /** The request body is larger than the handler's limit (413; transit answers 507 as its seed prescribes). */
  BODY_TOO_LARGE: 'ERR_HTTP_BODY_TOO_LARGE',
  /** The request body is not a JSON object, or nests too deep (400). */
  BAD_BODY: 'ERR_HTTP_BAD_BODY',
  /** No route for the path (404). */
  NOT_FOUND: 'ERR_HTTP_NOT_FOUND',
  /** The route exists but not for this method (405). */
  METHOD: 'ERR_HTTP_METHOD',
  /** Missing or wrong token, or the token may not do this (403). */
  FORBIDDEN: 'ERR_HTTP_FORBIDDEN',
  /** A handler was configured unsafely, e.g. no token without the development flag (thrown at creation). */
  CONFIG: 'ERR_HTTP_CONFIG',
} as const;

declare module '../errors.js' {
  interface QsignErrorCodeTables {
    http: typeof HttpErrorCodes;
  }
}

export type HttpErrorCode = (typeof HttpErrorCodes)[keyof typeof HttpErrorCodes];

const STATUS: ReadonlyMap<string, number> = new Map<string, number>([
  [HttpErrorCodes.BAD_PATH, 400],
  [HttpErrorCodes.BAD_HOST, 400],
  [HttpErrorCodes.BODY_TOO_LARGE, 413],
  [HttpErrorCodes.BAD_BODY, 400],
  [HttpErrorCodes.NOT_FOUND, 404],
  [HttpErrorCodes.METHOD, 405],
  [HttpErrorCodes.FORBIDDEN, 403],
  [HttpErrorCodes.CONFIG, 500],
]);

/** Shorthand used throughout the kit. */
export function httpError(code: HttpErrorCode, message: string): QsignError {
  return new QsignError(code, message);
}

/** The status of a kit error code, or undefined for codes the kit does not own. */
export function httpStatusOfCode(code: string | undefined): number | undefined {
  return code === undefined ? undefined : STATUS.get(code);
}
