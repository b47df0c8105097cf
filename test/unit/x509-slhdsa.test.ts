// SLH-DSA in qsign-pqc/x509 and qsign-pqc/cms (RFC 9909, RFC 9814): key
// containers and their refusals, certificates and chains mixing SLH-DSA and
// ML-DSA, CMS digests per set, and the typed errors for bad input.
import { describe, it, expect, beforeAll } from 'vitest';
import { init } from '../../src/index.js';
import {
  Csr,
  createCaHierarchy,
  createCertificate,
  createCsr,
  issueFromRole,
  roleFromJson,
  decodePKCS8,
  decodeSPKI,
  encodePKCS8,
  encodeSPKI,
  generateKey,
  isSignatureAlgorithm,
  isSlhDsaAlgorithm,
  keyAlg,
  verifyChain,
  KEY_OIDS,
} from '../../src/x509/index.js';
import { signData, verifySignedData } from '../../src/cms/index.js';
import { algorithm, familyNames } from '../../src/registry.js';
import { tlv } from '../../src/x509/der.js';
import { oidDer } from '../../src/x509/der.js';

beforeAll(async () => {
  await init();
});

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};
const asyncCodeOf = async (p: Promise<unknown>): Promise<string | undefined> => {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

describe('SLH-DSA keys (RFC 9909)', () => {
  it('all twelve sets have their id-slh-dsa-* OID (…3.20–31) and are signing algorithms', () => {
    const names = familyNames('SLH-DSA');
    expect(names).toHaveLength(12);
    names.forEach((n, i) => {
      expect(KEY_OIDS[n]).toBe(`2.16.840.1.101.3.4.3.${20 + i}`);
      expect(isSignatureAlgorithm(n)).toBe(true);
      expect(isSlhDsaAlgorithm(n)).toBe(true);
    });
    expect(isSlhDsaAlgorithm('ML-DSA-65')).toBe(false);
    expect(keyAlg('slh-dsa-sha2-128s')).toBe('SLH-DSA-SHA2-128s');
    expect(keyAlg('id-slh-dsa-shake-256f')).toBe('SLH-DSA-SHAKE-256f');
  });

  it('PKCS#8 privateKey is the raw 4n-byte key, no inner OCTET STRING, parameters absent', () => {
    const k = generateKey('SLH-DSA-SHA2-128f');
    const der = encodePKCS8('SLH-DSA-SHA2-128f', k);
    // SEQ { INTEGER 0, SEQ { OID }, OCTET STRING (64) sk }
    const alg = tlv(0x30, oidDer(KEY_OIDS['SLH-DSA-SHA2-128f']));
    expect(der).toEqual(tlv(0x30, tlv(0x02, Uint8Array.of(0)), alg, tlv(0x04, k.secretKey)));
    expect(k.secretKey.subarray(32)).toEqual(k.publicKey);
    const back = decodePKCS8(der);
    expect(back.secretKey).toEqual(k.secretKey);
    expect(back.publicKey).toEqual(k.publicKey);
    // Given by its 3n-byte seed, the same key.
    expect(encodePKCS8('SLH-DSA-SHA2-128f', k.seed!)).toEqual(der);
    // v2 with the public key [1].
    const v2 = decodePKCS8(encodePKCS8('SLH-DSA-SHA2-128f', k, { includePublicKey: true }));
    expect(v2.publicKey).toEqual(k.publicKey);
    expect(decodeSPKI(encodeSPKI('SLH-DSA-SHA2-128f', k.publicKey)).publicKey).toEqual(k.publicKey);
  });

  it('a PKCS#8 key whose PK.root was altered is ERR_PRIVATE_KEY_INCONSISTENT', () => {
    const k = generateKey('SLH-DSA-SHAKE-128f');
    const der = encodePKCS8('SLH-DSA-SHAKE-128f', k);
    der[der.length - 1]! ^= 1;
    expect(codeOf(() => decodePKCS8(der))).toBe('ERR_PRIVATE_KEY_INCONSISTENT');
  });

  it('a PKCS#8 key of the wrong length is ERR_INVALID_PRIVATE_KEY', () => {
    const k = generateKey('SLH-DSA-SHA2-128f');
    const short = tlv(
      0x30,
      tlv(0x02, Uint8Array.of(0)),
      tlv(0x30, oidDer(KEY_OIDS['SLH-DSA-SHA2-128f'])),
      tlv(0x04, k.secretKey.subarray(0, 48)),
    );
    expect(codeOf(() => decodePKCS8(short))).toBe('ERR_INVALID_PRIVATE_KEY');
  });

  it('a HashSLH-DSA OID in an SPKI is refused with a hint to the pure OID', () => {
    const hashed = algorithm('SLH-DSA-SHA2-128s').oid!.replace(/\.20$/, '.35');
    const spki = tlv(0x30, tlv(0x30, oidDer(hashed)), tlv(0x03, Uint8Array.of(0), new Uint8Array(32)));
    let err: Error | undefined;
    try {
      decodeSPKI(spki);
    } catch (e) {
      err = e as Error;
    }
    expect((err as { code?: string }).code).toBe('ERR_X509_UNSUPPORTED_ALGORITHM');
    expect(err!.message).toMatch(/HashSLH-DSA-SHA2-128s.*pure SLH-DSA OID/);
  });

  it('an SLH-DSA AlgorithmIdentifier with NULL parameters is refused', () => {
    const spki = tlv(
      0x30,
      tlv(0x30, oidDer(KEY_OIDS['SLH-DSA-SHA2-128f']), Uint8Array.of(0x05, 0x00)),
      tlv(0x03, Uint8Array.of(0), new Uint8Array(32)),
    );
    expect(codeOf(() => decodeSPKI(spki))).toBe('ERR_X509_ALGORITHM_PARAMETERS');
  });

  it('an SLH-DSA public key of the wrong size is ERR_INVALID_PUBLIC_KEY', () => {
    expect(codeOf(() => encodeSPKI('SLH-DSA-SHA2-192f', new Uint8Array(32)))).toBe('ERR_INVALID_PUBLIC_KEY');
  });
});

describe('SLH-DSA certificates, CSRs and chains', () => {
  it('SLH-DSA root → ML-DSA intermediate → SLH-DSA leaf validates; a forged signature does not', async () => {
    const rk = generateKey('SLH-DSA-SHAKE-128f');
    const ik = generateKey('ML-DSA-44');
    const lk = generateKey('SLH-DSA-SHA2-128f');
    const root = await createCertificate({ subject: 'CN=R', publicKey: rk, ca: true }, { key: rk });
    const inter = await createCertificate({ subject: 'CN=I', publicKey: ik, ca: true }, { certificate: root, key: rk });
    const leaf = await createCertificate({ subject: 'CN=L', publicKey: lk }, { certificate: inter, key: ik });
    const r = await verifyChain(leaf, { trustAnchors: [root], intermediates: [inter] });
    expect(r.chain.map((c) => c.signatureAlgorithm)).toEqual(['ML-DSA-44', 'SLH-DSA-SHAKE-128f', 'SLH-DSA-SHAKE-128f']);
    expect(r.chain[0]!.publicKey.alg).toBe('SLH-DSA-SHA2-128f');
    const bad = new Uint8Array(inter.der);
    bad[bad.length - 3]! ^= 0x40;
    expect(await asyncCodeOf(verifyChain(leaf, { trustAnchors: [root], intermediates: [bad] }))).toBe(
      'ERR_CERT_SIGNATURE_INVALID',
    );
  });

  it('an SLH-DSA CSR verifies and names its algorithm', async () => {
    const k = generateKey('SLH-DSA-SHA2-128f');
    const csr = Csr.parse((await createCsr({ subject: 'CN=x' }, k)).pem);
    expect(csr.signatureAlgorithm).toBe('SLH-DSA-SHA2-128f');
    expect(await csr.verify()).toBe(true);
  });

  it('an SLH-DSA key with keyEncipherment is refused by RFC 9909 keyUsage rules', async () => {
    const k = generateKey('SLH-DSA-SHA2-128f');
    const p = createCertificate({ subject: 'CN=x', publicKey: k, keyUsage: ['keyEncipherment'] }, { key: k });
    await expect(p).rejects.toThrow(/RFC 9909 §5/);
  });
});

describe('SLH-DSA CA hierarchy and role issuance', () => {
  it('createCaHierarchy takes an SLH-DSA root and SLH-DSA below it; a KEM root is refused', async () => {
    const h = await createCaHierarchy({ rootAlg: 'SLH-DSA-SHA2-128f', alg: 'SLH-DSA-SHAKE-128f' });
    expect(h.root.certificate.signatureAlgorithm).toBe('SLH-DSA-SHA2-128f');
    expect(h.intermediate.key.alg).toBe('SLH-DSA-SHAKE-128f');
    expect(h.server.certificate.signatureAlgorithm).toBe('SLH-DSA-SHAKE-128f');
    expect(await asyncCodeOf(createCaHierarchy({ rootAlg: 'ML-KEM-768' }))).toBe('ERR_X509_INVALID_OPTIONS');
  });

  it('a role issues an SLH-DSA key under an SLH-DSA CA, and refuses it when not allowed', async () => {
    const ca = generateKey('SLH-DSA-SHA2-128f');
    const caCert = await createCertificate({ subject: 'CN=Role CA', publicKey: ca, ca: true }, { key: ca });
    const role = roleFromJson({ allowed_domains: ['example.com'], allow_subdomains: true }, 'web');
    const r = await issueFromRole(
      role,
      { commonName: 'a.example.com', keyType: 'SLH-DSA-SHA2-128f' },
      { certificate: caCert, key: ca },
    );
    expect(r.certificate.publicKey.alg).toBe('SLH-DSA-SHA2-128f');
    expect(r.certificate.extensions.keyUsage).toEqual(['digitalSignature']);
    const only = roleFromJson(
      { allowed_domains: ['example.com'], allow_subdomains: true, allowed_key_types: ['ML-DSA-65'] },
      'mldsa',
    );
    expect(
      await asyncCodeOf(
        issueFromRole(
          only,
          { commonName: 'b.example.com', keyType: 'SLH-DSA-SHA2-128f' },
          { certificate: caCert, key: ca },
        ),
      ),
    ).toBe('ERR_ROLE_KEY_TYPE_NOT_ALLOWED');
  });
});

describe('SLH-DSA in CMS SignedData (RFC 9814)', () => {
  const DIGEST: Record<string, string> = {
    'SLH-DSA-SHA2-128f': 'SHA-256',
    'SLH-DSA-SHA2-192f': 'SHA-512',
    'SLH-DSA-SHAKE-128f': 'SHAKE128',
    'SLH-DSA-SHAKE-192f': 'SHAKE256',
  };
  for (const [alg, digest] of Object.entries(DIGEST)) {
    it(`${alg}: default digest is ${digest}; sign and verify round trip`, async () => {
      const key = generateKey(alg as 'SLH-DSA-SHA2-128f');
      const cert = await createCertificate(
        { subject: `CN=${alg}`, publicKey: key, ca: true, keyUsage: ['digitalSignature', 'keyCertSign'] },
        { key },
      );
      const doc = new TextEncoder().encode('doc');
      const p7s = await signData(doc, { signers: [{ certificate: cert, key }], detached: true });
      const v = await verifySignedData(p7s, { trustAnchors: [cert], content: doc });
      expect(v.signers[0]!.digestAlgorithm).toBe(digest);
      expect(v.signers[0]!.signatureAlgorithm).toBe(alg);
      expect(await asyncCodeOf(verifySignedData(p7s, { trustAnchors: [cert], content: new Uint8Array(3) }))).toBe(
        'ERR_CMS_DIGEST_MISMATCH',
      );
    });
  }

  it('a digest weaker than RFC 9814 asks for (SHA-256 with SLH-DSA-SHA2-192f) is ERR_CMS_WEAK_DIGEST', async () => {
    const key = generateKey('SLH-DSA-SHA2-192f');
    const cert = await createCertificate({ subject: 'CN=w', publicKey: key, ca: true }, { key });
    const code = await asyncCodeOf(
      signData(new Uint8Array(1), { signers: [{ certificate: cert, key, digest: 'SHA-256' }] }),
    );
    expect(code).toBe('ERR_CMS_WEAK_DIGEST');
  });

  it('an ML-KEM key as CMS signer is ERR_CMS_INVALID_OPTIONS naming the signing families', async () => {
    const kem = generateKey('ML-KEM-768');
    const ca = generateKey('SLH-DSA-SHA2-128f');
    const caCert = await createCertificate({ subject: 'CN=ca', publicKey: ca, ca: true }, { key: ca });
    const cert = await createCertificate({ subject: 'CN=kem', publicKey: kem }, { certificate: caCert, key: ca });
    await expect(signData(new Uint8Array(1), { signers: [{ certificate: cert, key: kem }] })).rejects.toThrow(
      /ML-DSA or SLH-DSA/,
    );
  });
});
