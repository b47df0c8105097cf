/**
 * The Vault-style HTTP kit shared by the SDK's fetch handlers (transit, PKI). It sits at the edge of the
 * protocol floor: it knows HTTP and JSON, nothing about keys or certificates, and depends only on the error
 * base and byte helpers, so both `transit/` (floor 7) and `x509/` (floor 6) can build on it.
 *
 * @example
 * ```ts
 * const path = canonicalPath(new URL(req.url).pathname); // route and authorize on this one value
 * const body = await readJsonBody(req, { maxBytes: 1 << 20 });
 * return jsonResponse(200, vaultEnvelope(requestId(), { ok: true }));
 * ```
 */
export {
  canonicalPath,
  requestPath,
  checkRequestTarget,
  isValidHost,
  field,
  readJsonBody,
  requestId,
  createTokenMatcher,
  jsonResponse,
  vaultEnvelope,
  vaultErrorResponse,
  DEFAULT_MAX_BODY_BYTES,
} from './kit.js';
export type { JsonObject, BodyLimits, ErrorDescription } from './kit.js';
export { HttpErrorCodes, httpStatusOfCode } from './errors.js';
export type { HttpErrorCode } from './errors.js';
