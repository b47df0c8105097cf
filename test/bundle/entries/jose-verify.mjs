// A resource server that only verifies ML-DSA JWTs against a JWKS: must not
// pull in ML-KEM, transit or X.509 (test/node/budget.test.ts checks).
import { jwtVerify, createLocalJWKSet } from 'qsign-pqc/jose';
export async function verify(token, jwks) {
  return jwtVerify(token, createLocalJWKSet(jwks), { algorithms: ['ML-DSA-65'] });
}
