/**
 * The verifier shared by the Worker and the Deno server: checks a Bearer
 * ML-DSA JWT against the issuer's remote JWKS and answers 200 with the claims
 * or 401 with an OAuth-style error (seed §5.2: token_expired,
 * invalid_signature, …). Only Web APIs, so it runs on any Fetch-API runtime.
 */
import { createRemoteJWKSet, jwtVerify, isQsignError } from 'qsign-pqc/jose';

export interface VerifierConfig {
  /** The issuer's JWKS, e.g. Keycloak's …/protocol/openid-connect/certs. */
  jwksUrl: string;
  issuer?: string;
  audience?: string;
  /** Accepted algs (default ML-DSA-44/65/87). */
  algorithms?: string[];
}

/** jose error code → the `error` string clients see (and why the status). */
const ERRORS: Record<string, [status: number, error: string]> = {
  ERR_JWT_EXPIRED: [401, 'token_expired'],
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: [401, 'invalid_signature'],
  ERR_JWT_CLAIM_VALIDATION_FAILED: [401, 'invalid_claims'],
  ERR_JWKS_NO_MATCHING_KEY: [401, 'unknown_key'],
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: [401, 'unknown_key'],
  ERR_JOSE_ALG_NOT_ALLOWED: [401, 'alg_not_allowed'],
  ERR_JOSE_NOT_SUPPORTED: [401, 'invalid_token'],
  ERR_JWS_INVALID: [401, 'invalid_token'],
  ERR_JWT_INVALID: [401, 'invalid_token'],
  // The issuer is unreachable: not the client's fault, so 503 rather than 401.
  ERR_JWKS_TIMEOUT: [503, 'jwks_unavailable'],
  ERR_JWKS_FETCH_FAILED: [503, 'jwks_unavailable'],
  ERR_JWKS_INVALID: [503, 'jwks_unavailable'],
};

function reply(status: number, body: unknown): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  if (status === 401)
    headers['www-authenticate'] =
      `Bearer error="invalid_token", error_description="${(body as { error: string }).error}"`;
  return new Response(JSON.stringify(body), { status, headers });
}

/** Builds the request handler; the JWKS cache lives as long as the handler. */
export function createVerifyHandler(config: VerifierConfig): (request: Request) => Promise<Response> {
  const JWKS = createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 5_000 });
  return async (request) => {
    const m = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(request.headers.get('authorization') ?? '');
    if (!m) return reply(401, { error: 'missing_token' });
    try {
      const { payload, protectedHeader } = await jwtVerify(m[1]!, JWKS, {
        ...(config.issuer ? { issuer: config.issuer } : {}),
        ...(config.audience ? { audience: config.audience } : {}),
        algorithms: config.algorithms ?? ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'],
      });
      return reply(200, { claims: payload, alg: protectedHeader.alg, kid: protectedHeader.kid });
    } catch (e) {
      if (!isQsignError(e)) return reply(500, { error: 'internal_error' });
      const [status, error] = ERRORS[e.code] ?? [401, 'invalid_token'];
      const claim = (e as { claim?: string }).claim;
      return reply(status, { error, code: e.code, ...(claim && error === 'invalid_claims' ? { claim } : {}) });
    }
  };
}
