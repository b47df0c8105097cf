/*
 * issue 18 #9: every public function of qsign-pqc/x509 and qsign-pqc/jose
 * answers hostile arguments with a coded QsignError (or a normal result),
 * never a TypeError/RangeError/SyntaxError. `Certificate.fromDer('abc')`,
 * `Certificate.fromDer(null)`, `Csr.fromDer(undefined)` and `verifyChain(cert)`
 * without options threw TypeError before.
 *
 * The table is driven by the modules' own export lists: a new export that is
 * neither called here nor listed as out of scope fails the completeness check.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { init } from '../../src/index.js';
import * as x509 from '../../src/x509/index.js';
import * as jose from '../../src/jose/index.js';
import { QsignError } from '../../src/errors.js';

const HOSTILE: [string, () => unknown][] = [
  ['null', () => null],
  ['undefined', () => undefined],
  ['0', () => 0],
  ['-1', () => -1],
  ['NaN', () => NaN],
  ['Infinity', () => Infinity],
  ['2^53', () => 2 ** 53],
  ['true', () => true],
  ['"abc"', () => 'abc'],
  ['""', () => ''],
  ['huge string', () => 'A'.repeat(1 << 20)],
  ['huge PEM-looking string', () => '-----BEGIN CERTIFICATE-----\n'.repeat(30_000)],
  ['empty bytes', () => new Uint8Array(0)],
  ['DER-ish bytes', () => Uint8Array.of(0x30, 0x82, 0xff, 0xff, 0x30)],
  ['huge bytes', () => new Uint8Array(1 << 20).fill(0x30)],
  ['ArrayBuffer', () => new ArrayBuffer(8)],
  ['{}', () => ({})],
  ['[]', () => []],
  ['[null]', () => [null]],
  [
    '__proto__ object',
    () => JSON.parse('{"__proto__":{"alg":"ML-DSA-65","polluted":1},"constructor":{"prototype":{"polluted":1}}}'),
  ],
  ['null-prototype object', () => Object.create(null)],
  ['{ length: -1 }', () => ({ length: -1 })],
  ['Invalid Date', () => new Date(NaN)],
];

/** Exports that are not functions over caller input: classes of errors, constants. */
const OUT_OF_SCOPE = new Set([
  // Error classes: constructing one with odd arguments is the caller's business.
  'CertificateError',
  'QsignError',
  'JWTClaimValidationFailed',
  'JWTExpired',
  'JWSSignatureVerificationFailed',
  'JWSInvalid',
  'JWTInvalid',
  'JWKInvalid',
  'JWKSInvalid',
  'JWKSNoMatchingKey',
  'JWKSMultipleMatchingKeys',
  'JWKSTimeout',
  'JOSEAlgNotAllowed',
  'JOSENotSupported',
  'KeyInUse',
  // Predicates over unknown values: any argument is fine by definition (checked below to not throw).
  'isQsignError',
]);

interface Entry {
  name: string;
  call: (...args: unknown[]) => unknown;
  /** A valid argument list; each position is replaced by each hostile value in turn. */
  valid: () => unknown[];
  /** Positions to try (default: every valid position plus one more). */
  positions?: number;
}

let F: Record<string, unknown>;

beforeAll(async () => {
  await init();
  const ca = x509.generateKey('ML-DSA-44', new Uint8Array(32).fill(1));
  const cert = await x509.createCertificate({ subject: 'CN=ca', publicKey: ca, ca: true }, { key: ca });
  const csr = await x509.createCsr({ subject: 'CN=leaf.example.com' }, ca);
  const kp = await jose.generateKeyPair('ML-DSA-44', { extractable: true });
  const jwt = await new jose.SignJWT({ sub: 'u' }).setProtectedHeader({ alg: 'ML-DSA-44' }).sign(kp.privateKey);
  const ring = await jose.SigningKeyRing.create({ alg: 'ML-DSA-44' });
  F = {
    ca,
    cert,
    csr,
    kp,
    jwt,
    ring,
    role: x509.roleFromJson({ allowed_domains: ['example.com'], allow_subdomains: true }, 'r'),
  };
});

const e = (name: string, call: Entry['call'], valid: Entry['valid'] = () => [], positions?: number): Entry => ({
  name,
  call,
  valid,
  positions,
});

function entries(): Entry[] {
  const f = () => F as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const X = x509 as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const J = jose as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  return [
    // ---- x509: names, certificates, CSRs
    e('parseName', X.parseName, () => ['CN=a']),
    e('nameToString', X.nameToString, () => [X.parseName('CN=a')]),
    e('commonName', X.commonName, () => [X.parseName('CN=a')]),
    e(
      'Certificate.parse',
      (...a) => X.Certificate.parse(...a),
      () => [f().cert.pem],
    ),
    e(
      'Certificate.fromDer',
      (...a) => X.Certificate.fromDer(...a),
      () => [f().cert.der],
    ),
    e(
      'Certificate#verifySignature',
      (...a) => f().cert.verifySignature(...a),
      () => [f().cert.publicKey],
    ),
    e('createCertificate', X.createCertificate, () => [
      { subject: 'CN=x', publicKey: f().ca, ca: true },
      { key: f().ca },
    ]),
    e('keyIdentifier', X.keyIdentifier, () => [new Uint8Array(32)]),
    e('randomSerial', X.randomSerial, () => [16]),
    e('keyUsageViolation', X.keyUsageViolation, () => ['ML-DSA-44', ['digitalSignature']]),
    e('parseSanList', X.parseSanList, () => [['DNS:a.example']]),
    e('generalNames', X.generalNames, () => [{ dns: ['a.example'] }]),
    e('isIp', X.isIp, () => ['1.2.3.4']),
    e(
      'Csr.parse',
      (...a) => X.Csr.parse(...a),
      () => [f().csr.pem],
    ),
    e(
      'Csr.fromDer',
      (...a) => X.Csr.fromDer(...a),
      () => [f().csr.der],
    ),
    e('createCsr', X.createCsr, () => [{ subject: 'CN=x' }, f().ca]),
    e('verifyChain', X.verifyChain, () => [f().cert, { trustAnchors: [f().cert] }]),
    e('matchesHostname', X.matchesHostname, () => [f().cert, 'a.example']),
    // ---- x509: roles, handler, hierarchy
    e('applyRole', X.applyRole, () => [f().role, { commonName: 'a.example.com', keyAlg: 'ML-DSA-44' }, f().cert]),
    e('checkDomain', X.checkDomain, () => [f().role, 'a.example.com']),
    e('checkKeyType', X.checkKeyType, () => [f().role, 'ML-DSA-44']),
    e('issueFromRole', X.issueFromRole, () => [
      f().role,
      { commonName: 'a.example.com' },
      { key: f().ca, certificate: f().cert },
    ]),
    e('signCsrWithRole', X.signCsrWithRole, () => [f().role, f().csr, {}, { key: f().ca, certificate: f().cert }]),
    e('roleFromJson', X.roleFromJson, () => [{ allowed_domains: ['example.com'] }, 'r']),
    e('parseTtl', X.parseTtl, () => ['1h']),
    e('resolveTtl', X.resolveTtl, () => [f().role, '1h', f().cert, new Date()]),
    e('keyAlg', X.keyAlg, () => ['ml-dsa-44']),
    e('createPkiHandler', X.createPkiHandler, () => [{}]),
    e('vaultSerial', X.vaultSerial, () => ['0102']),
    e('createCaHierarchy', X.createCaHierarchy, () => [{ alg: 'ML-DSA-44', rootAlg: 'ML-DSA-44' }]),
    // ---- x509: keys and PEM
    e('pemEncode', X.pemEncode, () => ['CERTIFICATE', new Uint8Array(3)]),
    e('pemDecode', X.pemDecode, () => [f().cert.pem, 'CERTIFICATE']),
    e('pemDecodeAll', X.pemDecodeAll, () => [f().cert.pem]),
    e('toDer', X.toDer, () => [f().cert.pem, 'CERTIFICATE']),
    e('isPem', X.isPem, () => [f().cert.pem]),
    e('isSignatureAlgorithm', X.isSignatureAlgorithm, () => ['ML-DSA-44']),
    e('isKemAlgorithm', X.isKemAlgorithm, () => ['ML-KEM-768']),
    e('isSlhDsaAlgorithm', X.isSlhDsaAlgorithm, () => ['SLH-DSA-SHA2-128f']),
    e('keySizes', X.keySizes, () => ['ML-DSA-44']),
    e('algorithmFromOid', X.algorithmFromOid, () => ['2.16.840.1.101.3.4.3.17']),
    e('algorithmIdentifier', X.algorithmIdentifier, () => ['ML-DSA-44']),
    e('parseAlgorithmIdentifier', X.parseAlgorithmIdentifier, () => [
      X.algorithmIdentifier('ML-DSA-44').subarray(2),
      'w',
    ]),
    e('encodeSPKI', X.encodeSPKI, () => ['ML-DSA-44', f().ca.publicKey]),
    e('decodeSPKI', X.decodeSPKI, () => [X.encodeSPKI('ML-DSA-44', f().ca.publicKey)]),
    e('expandSeed', X.expandSeed, () => ['ML-DSA-44', new Uint8Array(32)]),
    e('encodePKCS8', X.encodePKCS8, () => ['ML-DSA-44', f().ca, { form: 'seed' }]),
    e('decodePKCS8', X.decodePKCS8, () => [X.encodePKCS8('ML-DSA-44', f().ca)]),
    e('encodePKCS8Pem', X.encodePKCS8Pem, () => ['ML-DSA-44', f().ca, { form: 'seed' }]),
    e('encodeSPKIPem', X.encodeSPKIPem, () => ['ML-DSA-44', f().ca.publicKey]),
    e('privateKeyDerFromPem', X.privateKeyDerFromPem, () => [X.encodePKCS8Pem('ML-DSA-44', f().ca)]),
    e('generateKey', X.generateKey, () => ['ML-DSA-44', new Uint8Array(32)]),
    // ---- jose: keys
    e(
      'AkpKey',
      (...a) => new J.AkpKey(...a),
      () => ['ML-DSA-44', f().kp.publicKey.publicKey],
    ),
    e('generateKeyPair', J.generateKeyPair, () => ['ML-DSA-44', {}]),
    e('importJWK', J.importJWK, async () => [await J.exportJWK(f().kp.publicKey), {}]),
    e('exportJWK', J.exportJWK, () => [f().kp.publicKey]),
    e('importRaw', J.importRaw, () => [f().kp.publicKey.publicKey, 'ML-DSA-44', { type: 'public' }]),
    e('exportRaw', J.exportRaw, () => [f().kp.privateKey, 'seed']),
    e('calculateJwkThumbprint', J.calculateJwkThumbprint, () => [f().kp.publicKey]),
    e('calculateJwkThumbprintUri', J.calculateJwkThumbprintUri, () => [f().kp.publicKey]),
    e('importSPKI', J.importSPKI, async () => [await J.exportSPKI(f().kp.publicKey), 'ML-DSA-44']),
    e('importPKCS8', J.importPKCS8, async () => [await J.exportPKCS8(f().kp.privateKey), 'ML-DSA-44']),
    e('exportSPKI', J.exportSPKI, () => [f().kp.publicKey]),
    e('exportPKCS8', J.exportPKCS8, () => [f().kp.privateKey]),
    e('isJoseAlgorithm', J.isJoseAlgorithm, () => ['ML-DSA-44']),
    // ---- jose: JWS / JWT
    e(
      'CompactSign',
      (...a) => new J.CompactSign(...a),
      () => [new Uint8Array(1)],
    ),
    e(
      'CompactSign#setProtectedHeader',
      (...a) => new J.CompactSign(new Uint8Array(1)).setProtectedHeader(...a),
      () => [{ alg: 'ML-DSA-44' }],
    ),
    e(
      'CompactSign#sign',
      (...a) => new J.CompactSign(new Uint8Array(1)).setProtectedHeader({ alg: 'ML-DSA-44' }).sign(...a),
      () => [f().kp.privateKey],
    ),
    e('compactVerify', J.compactVerify, () => [f().jwt, f().kp.publicKey, {}]),
    e(
      'FlattenedSign',
      (...a) => new J.FlattenedSign(...a),
      () => [new Uint8Array(1)],
    ),
    e(
      'FlattenedSign#setUnprotectedHeader',
      (...a) => new J.FlattenedSign(new Uint8Array(1)).setUnprotectedHeader(...a),
      () => [{ kid: 'x' }],
    ),
    e(
      'FlattenedSign#sign',
      (...a) => new J.FlattenedSign(new Uint8Array(1)).setProtectedHeader({ alg: 'ML-DSA-44' }).sign(...a),
      () => [f().kp.privateKey],
    ),
    e('flattenedVerify', J.flattenedVerify, () => {
      const [p, payload, signature] = f().jwt.split('.');
      return [{ protected: p, payload, signature }, f().kp.publicKey, {}];
    }),
    e('decodeProtectedHeader', J.decodeProtectedHeader, () => [f().jwt]),
    e(
      'SignJWT',
      (...a) => new J.SignJWT(...a),
      () => [{ sub: 'u' }],
    ),
    ...[
      'setIssuer',
      'setSubject',
      'setAudience',
      'setJti',
      'setIssuedAt',
      'setNotBefore',
      'setExpirationTime',
      'setProtectedHeader',
    ].map((m) =>
      e(
        `SignJWT#${m}`,
        (...a) => new J.SignJWT({})[m](...a),
        () => [
          m === 'setProtectedHeader'
            ? { alg: 'ML-DSA-44' }
            : m.endsWith('At') || m.endsWith('Before') || m.endsWith('Time')
              ? '1h'
              : 'x',
        ],
      ),
    ),
    e(
      'SignJWT#sign',
      (...a) => new J.SignJWT({}).setProtectedHeader({ alg: 'ML-DSA-44' }).sign(...a),
      () => [f().kp.privateKey],
    ),
    e('jwtVerify', J.jwtVerify, () => [f().jwt, f().kp.publicKey, {}]),
    e('decodeJwt', J.decodeJwt, () => [f().jwt]),
    e('signDetached', J.signDetached, () => [new Uint8Array([1, 2, 3]), f().kp.privateKey]),
    e('verifyDetached', J.verifyDetached, async () => {
      const payload = new Uint8Array([1, 2, 3]);
      return [await J.signDetached(payload, f().kp.privateKey), payload, f().kp.publicKey];
    }),
    e('validateClaims', J.validateClaims, () => [{ alg: 'ML-DSA-44' }, { sub: 'u' }, {}]),
    e('secs', J.secs, () => ['1h']),
    // ---- jose: JWKS, issuer
    e('createLocalJWKSet', J.createLocalJWKSet, async () => [{ keys: [await J.exportJWK(f().kp.publicKey)] }]),
    e(
      'createLocalJWKSet()(header)',
      async (...a) => J.createLocalJWKSet({ keys: [await J.exportJWK(f().kp.publicKey)] })(...a),
      () => [{ alg: 'ML-DSA-44' }],
    ),
    e('createRemoteJWKSet', J.createRemoteJWKSet, () => [
      new URL('https://issuer.example/certs'),
      { fetch: async () => new Response('{"keys":[]}') },
    ]),
    e(
      'createRemoteJWKSet()(header)',
      (...a) =>
        J.createRemoteJWKSet(new URL('https://issuer.example/certs'), {
          fetch: async () => new Response('{"keys":[]}'),
        })(...a),
      () => [{ alg: 'ML-DSA-44' }],
    ),
    e('discover', J.discover, () => ['https://issuer.example', { fetch: async () => new Response('{}') }]),
    e('registerKeyCodec', J.registerKeyCodec, () => [undefined], 1),
    e(
      'SigningKeyRing.create',
      (...a) => J.SigningKeyRing.create(...a),
      () => [{ alg: 'ML-DSA-44' }],
    ),
    e(
      'SigningKeyRing.restore',
      (...a) => J.SigningKeyRing.restore(...a),
      () => [f().ring.serialize(), {}],
    ),
    e(
      'SigningKeyRing#sign',
      (...a) => f().ring.sign(...a),
      () => [{ sub: 'u' }, { expiresIn: 60 }],
    ),
    e(
      'SigningKeyRing#get',
      (...a) => f().ring.get(...a),
      () => [f().ring.active.kid],
    ),
    e(
      'SigningKeyRing#setStatus',
      (...a) => f().ring.setStatus(...a),
      () => ['no-such-kid', 'passive'],
    ),
    e(
      'SigningKeyRing#remove',
      (...a) => f().ring.remove(...a),
      () => ['no-such-kid', {}],
    ),
    e(
      'SigningKeyRing#rotate',
      (...a) =>
        J.SigningKeyRing.create({ alg: 'ML-DSA-44' }).then((r: { rotate: (...x: unknown[]) => unknown }) =>
          r.rotate(...a),
        ),
      () => [{}],
    ),
    e('createIssuerHandler', J.createIssuerHandler, () => [f().ring, { issuer: 'https://issuer.example' }]),
    e('base64urlEncode', J.base64urlEncode, () => [new Uint8Array(3)]),
    e('base64urlDecode', J.base64urlDecode, () => ['AAAA']),
  ];
}

const EXPORT_TO_ENTRY: Record<string, string[]> = {
  Certificate: ['Certificate.parse', 'Certificate.fromDer'],
  Csr: ['Csr.parse', 'Csr.fromDer'],
  SigningKeyRing: ['SigningKeyRing.create', 'SigningKeyRing.restore'],
};

async function outcome(fn: () => unknown): Promise<string> {
  try {
    await fn();
    return 'ok';
  } catch (err) {
    if (err instanceof QsignError && typeof err.code === 'string' && /^ERR_[A-Z0-9_]+$/.test(err.code)) return 'coded';
    return `${(err as Error)?.name ?? typeof err}: ${String((err as Error)?.message ?? err).slice(0, 160)}`;
  }
}

describe('issue 18 #9: every public x509/jose function throws a coded QsignError on hostile input', () => {
  it('the table covers every function export of qsign-pqc/x509 and qsign-pqc/jose', () => {
    const names = new Set(entries().map((x) => x.name));
    const missing: string[] = [];
    for (const [mod, m] of [
      ['x509', x509],
      ['jose', jose],
    ] as const)
      for (const [k, v] of Object.entries(m)) {
        if (typeof v !== 'function' || OUT_OF_SCOPE.has(k)) continue;
        const want = EXPORT_TO_ENTRY[k] ?? [k];
        if (!want.every((w) => names.has(w))) missing.push(`${mod}.${k}`);
      }
    expect(missing).toEqual([]);
  });

  it('the reported cases: fromDer("abc"/null), Csr.fromDer(undefined), verifyChain(cert) without options', async () => {
    const cert = F.cert as x509.Certificate;
    for (const fn of [
      () => x509.Certificate.fromDer('abc' as never),
      () => x509.Certificate.fromDer(null as never),
      () => x509.Csr.fromDer(undefined as never),
      () => x509.verifyChain(cert, undefined as never),
    ])
      expect(await outcome(fn)).toBe('coded');
  });

  it('hostile values at every argument position give a result or a coded QsignError', async () => {
    const failures: string[] = [];
    for (const entry of entries()) {
      const valid = await entry.valid();
      const positions = entry.positions ?? Math.max(valid.length + 1, entry.call.length, 1);
      for (let p = 0; p < positions; p++) {
        for (const [label, make] of HOSTILE) {
          const args = valid.slice();
          args[p] = make();
          const r = await outcome(() => entry.call(...args));
          if (r !== 'ok' && r !== 'coded') failures.push(`${entry.name} arg ${p} = ${label}: ${r}`);
          expect(({} as Record<string, unknown>).polluted, `${entry.name} polluted Object.prototype`).toBeUndefined();
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('isQsignError answers false (never throws) for anything', () => {
    for (const [, make] of HOSTILE) {
      expect(jose.isQsignError(make())).toBe(false);
      expect(jose.isQsignError(make(), make() as string)).toBe(false);
    }
  });
});
