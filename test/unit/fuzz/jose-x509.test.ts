/*
 * JOSE (JWS compact + flattened, JWT, JWK, JWKS) and X.509 (DER, PEM, SPKI,
 * PKCS#8, certificates, CSRs, chain validation) parsers on random and mutated
 * input. A mutated token or chain must never verify.
 */
import { describe, expect } from 'vitest';
import fc from 'fast-check';
import { init } from '../../../src/index.js';
import {
  generateKeyPair,
  exportJWK,
  importJWK,
  CompactSign,
  compactVerify,
  flattenedVerify,
  FlattenedSign,
  SignJWT,
  jwtVerify,
  decodeJwt,
  decodeProtectedHeader,
  createLocalJWKSet,
  importSPKI,
  importPKCS8,
  exportSPKI,
  exportPKCS8,
  base64urlDecode,
} from '../../../src/jose/index.js';
import {
  Certificate,
  Csr,
  createCertificate,
  createCsr,
  decodePKCS8,
  decodeSPKI,
  encodePKCS8,
  encodeSPKI,
  generateKey,
  pemDecodeAll,
  verifyChain,
} from '../../../src/x509/index.js';
import { readChildren, readTlv } from '../../../src/x509/der.js';
import { fuzz, junkValue, mutatedBytes, mutatedStrings } from './invariants.js';

await init();
const te = new TextEncoder();
const T0 = new Date('2026-01-01T00:00:00Z');

// ---------------------------------------------------------------- JOSE seeds
const k44 = await generateKeyPair('ML-DSA-44', { extractable: true });
const k65 = await generateKeyPair('ML-DSA-65', { extractable: true });
const token44 = await new SignJWT({ sub: 'u', n: 1 })
  .setProtectedHeader({ alg: 'ML-DSA-44', kid: k44.publicKey.kid })
  .setIssuedAt()
  .setExpirationTime('1h')
  .sign(k44.privateKey);
const jws65 = await new CompactSign(te.encode('hello')).setProtectedHeader({ alg: 'ML-DSA-65' }).sign(k65.privateKey);
const flat44 = await new FlattenedSign(te.encode('flat'))
  .setProtectedHeader({ alg: 'ML-DSA-44' })
  .setUnprotectedHeader({ kid: 'x' })
  .sign(k44.privateKey);
const pubJwk = await exportJWK(k44.publicKey);
const privJwk = await exportJWK(k65.privateKey);
const jwks = createLocalJWKSet({ keys: [pubJwk, await exportJWK(k65.publicKey)] });
const spkiPem = await exportSPKI(k44.publicKey);
const pkcs8Pem = await exportPKCS8(k65.privateKey);

const jsonValue = fc.jsonValue({ maxDepth: 4 });
const jwkLike = fc.oneof(
  fc.record(
    {
      kty: fc.constantFrom('AKP', 'OKP', 'EC', ''),
      alg: fc.constantFrom('ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87', 'none', 'RS256'),
      pub: fc.oneof(fc.base64String({ maxLength: 80 }), fc.constant(pubJwk.pub), junkValue),
      priv: fc.oneof(fc.constant(undefined), fc.base64String({ maxLength: 60 }), junkValue),
      kid: fc.oneof(fc.string(), junkValue),
      use: fc.oneof(fc.constant('sig'), fc.constant('enc'), junkValue),
      key_ops: fc.oneof(fc.array(fc.string()), junkValue),
    },
    { requiredKeys: ['kty'] },
  ),
  fc.dictionary(fc.string({ maxLength: 6 }), jsonValue, { maxKeys: 6 }),
  fc
    .constantFrom(pubJwk, privJwk)
    .chain((j) => fc.tuple(fc.constantFrom(...Object.keys(j)), jsonValue).map(([k, v]) => ({ ...j, [k]: v }))),
);

describe('fuzz: JOSE', () => {
  fuzz({
    name: 'jws-compact-mutated',
    runs: 300,
    seed: 401,
    arb: mutatedStrings([token44, jws65]),
    run: (t) => compactVerify(t, jwks),
    // Any change to a signed token must fail (equal strings can come back from no-op edits).
    expectOutcome: (t, out) => {
      if (t !== token44 && t !== jws65) expect(out.ok, 'mutated JWS verified').toBe(false);
    },
  });
  fuzz({
    name: 'jws-compact-bytes',
    runs: 150,
    seed: 409,
    // Tokens as bytes (the API takes Uint8Array too): invalid UTF-8 must be a typed error.
    arb: fc.oneof(mutatedBytes([te.encode(token44)]), fc.uint8Array({ maxLength: 64 })),
    run: (b) => compactVerify(b, jwks),
    expectOutcome: (b, out) => {
      if (new TextDecoder().decode(b) !== token44) expect(out.ok).toBe(false);
    },
  });
  fuzz({
    name: 'jwt-mutated',
    runs: 200,
    seed: 402,
    arb: fc.tuple(mutatedStrings([token44]), fc.constantFrom('verify', 'decode', 'header')),
    run: ([t, op]) =>
      op === 'verify' ? jwtVerify(t, k44.publicKey) : op === 'decode' ? decodeJwt(t) : decodeProtectedHeader(t),
    expectOutcome: ([t, op], out) => {
      if (op === 'verify' && t !== token44) expect(out.ok).toBe(false);
    },
  });
  fuzz({
    name: 'jws-structured',
    runs: 300,
    seed: 403,
    // Tokens assembled from random headers/payloads: JSON that is not an object, huge numbers, crit/b64 games.
    arb: fc.tuple(
      fc.oneof(
        jsonValue,
        fc.record(
          {
            alg: fc.constantFrom('ML-DSA-44', 'none', 'HS256', ''),
            crit: fc.oneof(fc.array(fc.string()), jsonValue),
            b64: fc.oneof(fc.boolean(), jsonValue),
            kid: jsonValue,
          },
          { requiredKeys: [] },
        ),
      ),
      jsonValue,
      fc.string({ maxLength: 50 }),
      fc.constantFrom('compact', 'jwt', 'flattened'),
    ),
    run: ([h, p, sig, mode]) => {
      const b64u = (v: unknown) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url');
      const tok = `${b64u(h)}.${b64u(p)}.${Buffer.from(sig).toString('base64url')}`;
      if (mode === 'flattened')
        return flattenedVerify({ protected: b64u(h), payload: b64u(p), signature: sig, header: p as never }, jwks, {
          crit: { b64: true },
        });
      return mode === 'jwt' ? jwtVerify(tok, jwks) : compactVerify(tok, k44.publicKey);
    },
    expectOutcome: (_x, out) => expect(out.ok).toBe(false),
  });
  fuzz({
    name: 'jws-flattened-objects',
    runs: 200,
    seed: 404,
    arb: fc.oneof(
      jsonValue,
      fc
        .constant(flat44)
        .chain((f) =>
          fc
            .tuple(fc.constantFrom(...Object.keys(f)), fc.oneof(jsonValue, junkValue))
            .map(([k, v]) => ({ ...f, [k]: v })),
        ),
    ),
    run: (j) => flattenedVerify(j as never, k44.publicKey),
  });
  fuzz({
    name: 'jwk-import',
    runs: 300,
    seed: 405,
    arb: fc.oneof(jwkLike as fc.Arbitrary<unknown>, junkValue),
    run: async (j) => {
      const k = await importJWK(j as never);
      k.destroy();
      return k.kid;
    },
  });
  fuzz({
    name: 'jwks-local',
    runs: 200,
    seed: 406,
    arb: fc.tuple(
      fc.oneof(
        fc.record({
          keys: fc.array(fc.oneof(jwkLike as fc.Arbitrary<unknown>, fc.constant(pubJwk)), { maxLength: 4 }),
        }) as fc.Arbitrary<unknown>,
        jsonValue,
        junkValue,
      ),
      fc.record(
        {
          alg: fc.constantFrom('ML-DSA-44', 'ML-DSA-65', 'x'),
          kid: fc.oneof(fc.constant(pubJwk.kid), fc.string(), junkValue),
        },
        { requiredKeys: [] },
      ),
    ),
    run: async ([set, header]) => createLocalJWKSet(set as never)(header as never),
  });
  fuzz({
    name: 'jose-spki-pkcs8',
    runs: 150,
    seed: 407,
    arb: fc.tuple(
      fc.constantFrom('spki', 'pkcs8'),
      fc.oneof(mutatedStrings([spkiPem, pkcs8Pem]) as fc.Arbitrary<unknown>, fc.string(), junkValue),
      fc.constantFrom('ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87', 'none'),
    ),
    run: ([which, data, alg]) =>
      which === 'spki' ? importSPKI(data as string, alg as never) : importPKCS8(data as string, alg as never),
  });
  fuzz({
    name: 'base64url',
    runs: 200,
    seed: 408,
    arb: fc.oneof(fc.string({ maxLength: 40 }), fc.base64String({ maxLength: 40 }), junkValue as fc.Arbitrary<unknown>),
    run: (s) => base64urlDecode(s as string),
  });
});

// ---------------------------------------------------------------- X.509 seeds
const rk = generateKey('ML-DSA-44'),
  lk = generateKey('ML-DSA-44'),
  kemKey = generateKey('ML-KEM-768');
const root = await createCertificate(
  { subject: 'CN=Fuzz Root,O=qsign', publicKey: rk, ca: true, pathLength: 1, notBefore: T0, days: 3650 },
  { key: rk },
);
const leaf = await createCertificate(
  {
    subject: 'CN=leaf.example',
    publicKey: lk,
    notBefore: T0,
    days: 365,
    extendedKeyUsage: ['serverAuth'],
    subjectAltName: { dns: ['leaf.example'], ip: ['10.0.0.1'], email: ['a@b.example'], uri: ['https://x.example/'] },
  },
  { key: rk, certificate: root },
);
const csr = await createCsr({ subject: 'CN=csr.example', subjectAltName: { dns: ['csr.example'] } } as never, lk);
const spkiDer = [encodeSPKI('ML-DSA-44', lk.publicKey), encodeSPKI('ML-KEM-768', kemKey.publicKey)];
const pkcs8Der = [
  encodePKCS8('ML-DSA-44', lk),
  encodePKCS8('ML-KEM-768', kemKey, { form: 'both' }),
  encodePKCS8('ML-DSA-44', lk, { form: 'expanded' }),
];
const derSeeds = [root.der, leaf.der, csr.der, ...spkiDer, ...pkcs8Der];
const when = new Date('2026-06-01T00:00:00Z');

describe('fuzz: X.509', () => {
  fuzz({
    name: 'x509-der-mutated',
    runs: 400,
    seed: 501,
    arb: fc.tuple(mutatedBytes(derSeeds), fc.constantFrom('cert', 'csr', 'spki', 'pkcs8', 'tlv')),
    run: ([der, as]) => {
      switch (as) {
        case 'cert': {
          const c = Certificate.parse(der);
          return [c.subject, c.extensions];
        }
        case 'csr': {
          const c = Csr.parse(der);
          return [c.subject, c.requestedExtensions];
        }
        case 'spki':
          return decodeSPKI(der);
        case 'pkcs8':
          return decodePKCS8(der);
        default: {
          const t = readTlv(der);
          return readChildren(t.value);
        }
      }
    },
  });
  fuzz({
    name: 'x509-chain-mutated',
    runs: 60,
    seed: 502,
    timeoutMs: 4000,
    arb: fc.tuple(mutatedBytes([leaf.der]), fc.boolean()),
    run: ([der, mutateRoot]) =>
      mutateRoot
        ? verifyChain(leaf, { trustAnchors: [der], time: when })
        : verifyChain(der, { trustAnchors: [root], time: when }),
    expectOutcome: ([der], out) => {
      if (!(der.length === leaf.der.length && der.every((b, i) => b === leaf.der[i])))
        expect(out.ok, 'mutated chain verified').toBe(false);
    },
  });
  fuzz({
    name: 'x509-csr-verify-mutated',
    runs: 80,
    seed: 503,
    arb: mutatedBytes([csr.der]),
    run: async (der) => Csr.parse(der).verify(),
  });
  fuzz({
    name: 'pem-text',
    runs: 300,
    seed: 504,
    arb: fc.oneof(
      mutatedStrings([root.pem, csr.pem, spkiPem, pkcs8Pem]),
      fc.string({ maxLength: 200 }).map((s) => `-----BEGIN CERTIFICATE-----\n${s}\n-----END CERTIFICATE-----\n`),
    ),
    run: (text) => {
      const blocks = pemDecodeAll(text);
      return blocks.length ? Certificate.parse(text) : blocks;
    },
  });
  fuzz({
    name: 'x509-junk-args',
    runs: 150,
    seed: 505,
    arb: fc.tuple(fc.constantFrom('cert', 'csr', 'spki', 'pkcs8', 'chain', 'pem'), junkValue),
    run: ([as, v]) => {
      const f: Record<string, (v: never) => unknown> = {
        cert: Certificate.parse,
        csr: Csr.parse,
        spki: decodeSPKI,
        pkcs8: decodePKCS8,
        pem: pemDecodeAll,
        chain: (x) => verifyChain(x, { trustAnchors: [root] }),
      };
      return f[as]!(v as never);
    },
  });
});
