// Every SPKI and PKCS#8 key in the shared vectors (RFC 9881/9935 examples,
// IETF hackathon R5 from OpenSSL 3.5 and Bouncy Castle, and the OpenSSL 3.5
// interop rig) parses, expands to the published public key, and re-encodes
// byte-for-byte; the bad-* keys are rejected with typed errors.
import { describe, it, expect, beforeAll } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { init } from '../../src/index.js';
import { decodePKCS8, decodeSPKI, encodePKCS8, encodeSPKI, pemDecode, type KeyAlgorithm } from '../../src/x509/keys.js';
import { VECTORS_DIR, vectorPath } from '../helpers/vectors.js';

const LAMPS_DSA = 'x509/lamps-dilithium-certificates';
const LAMPS_KEM = 'x509/lamps-kyber-certificates';
const INTEROP = join(VECTORS_DIR, 'interop', 'openssl35');
const text = (rel: string) => readFileSync(vectorPath(rel), 'utf8');
const seq = (n: number) => Uint8Array.from({ length: n }, (_, i) => i);

beforeAll(async () => {
  await init();
});

describe('RFC 9881 / RFC 9935 example keys', () => {
  const cases: [KeyAlgorithm, string, number][] = [
    ['ML-DSA-44', LAMPS_DSA, 32],
    ['ML-DSA-65', LAMPS_DSA, 32],
    ['ML-DSA-87', LAMPS_DSA, 32],
    ['ML-KEM-512', LAMPS_KEM, 64],
    ['ML-KEM-768', LAMPS_KEM, 64],
    ['ML-KEM-1024', LAMPS_KEM, 64],
  ];
  for (const [alg, dir, seedLen] of cases) {
    it(`${alg}: seed, expanded and both forms agree with the .pub and re-encode identically`, () => {
      const pub = decodeSPKI(text(`${dir}/${alg}.pub`));
      expect(pub.alg).toBe(alg);
      expect(encodeSPKI(alg, pub.publicKey)).toEqual(pemDecode(text(`${dir}/${alg}.pub`)));
      for (const form of ['seed', 'expanded', 'both'] as const) {
        const pem = text(`${dir}/${alg}-${form}.priv`);
        const k = decodePKCS8(pem);
        expect(k.alg).toBe(alg);
        expect(k.form).toBe(form);
        expect(k.publicKey).toEqual(pub.publicKey);
        if (form !== 'expanded') expect(k.seed).toEqual(seq(seedLen));
        else expect(k.seed).toBeUndefined();
        // The examples are canonical DER, so our encoder must reproduce them.
        expect(encodePKCS8(alg, k, { form })).toEqual(pemDecode(pem));
      }
    });
  }

  for (const n of [1, 2, 3]) {
    it(`bad-ML-DSA-44-${n}.priv is rejected as inconsistent`, () => {
      expect(() => decodePKCS8(text(`${LAMPS_DSA}/bad-ML-DSA-44-${n}.priv`))).toThrow(
        expect.objectContaining({ code: 'ERR_PRIVATE_KEY_INCONSISTENT' }),
      );
    });
  }
  for (const n of [1, 2, 3, 4]) {
    it(`bad-ML-KEM-512-${n}.priv is rejected as inconsistent`, () => {
      expect(() => decodePKCS8(text(`${LAMPS_KEM}/bad-ML-KEM-512-${n}.priv`))).toThrow(
        expect.objectContaining({ code: 'ERR_PRIVATE_KEY_INCONSISTENT' }),
      );
    });
  }
});

describe('IETF hackathon R5 keys (OpenSSL 3.5 and Bouncy Castle)', () => {
  for (const provider of ['hackathon-r5-ossl35', 'hackathon-r5-bc']) {
    const dir = `x509/${provider}`;
    const files = readdirSync(vectorPath(dir)).filter((f) => f.endsWith('_priv.der'));
    it(`${provider}: all ${files.length} private keys decode and each triple agrees`, () => {
      expect(files.length).toBe(18);
      const byName = new Map<string, Uint8Array[]>();
      for (const f of files) {
        const k = decodePKCS8(readFileSync(join(vectorPath(dir), f)));
        const form = f.includes('_seed_') ? 'seed' : f.includes('_both_') ? 'both' : 'expanded';
        expect(k.form).toBe(form);
        const name = f.split('_')[0]!;
        byName.set(name, [...(byName.get(name) ?? []), k.publicKey]);
      }
      for (const [, pubs] of byName) {
        expect(pubs).toHaveLength(3);
        expect(pubs[1]).toEqual(pubs[0]);
        expect(pubs[2]).toEqual(pubs[0]);
      }
    });
  }
});

describe('OpenSSL 3.5 interop keys', () => {
  const algs: KeyAlgorithm[] = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87', 'ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024'];
  for (const alg of algs) {
    it(`${alg}: every PKCS#8 form decodes to seed.raw / pub.raw and we write OpenSSL's exact bytes`, () => {
      const d = join(INTEROP, alg.startsWith('ML-DSA') ? 'ml-dsa' : 'ml-kem', alg);
      const seed = new Uint8Array(readFileSync(join(d, 'seed.raw')));
      const pubRaw = new Uint8Array(readFileSync(join(d, 'pub.raw')));
      const expanded = new Uint8Array(readFileSync(join(d, 'priv.expanded.raw')));
      expect(decodeSPKI(readFileSync(join(d, 'pub.der'))).publicKey).toEqual(pubRaw);
      expect(encodeSPKI(alg, pubRaw)).toEqual(new Uint8Array(readFileSync(join(d, 'pub.der'))));
      const forms = { 'seed-only': 'seed', 'priv-only': 'expanded', 'seed-priv': 'both' } as const;
      for (const [file, form] of Object.entries(forms)) {
        const der = new Uint8Array(readFileSync(join(d, `priv.${file}.der`)));
        const k = decodePKCS8(der);
        expect(k.publicKey).toEqual(pubRaw);
        expect(k.secretKey).toEqual(expanded);
        if (form !== 'expanded') expect(k.seed).toEqual(seed);
        expect(encodePKCS8(alg, form === 'expanded' ? k : seed, { form })).toEqual(der);
      }
      expect(decodePKCS8(readFileSync(join(d, 'priv.pem'), 'utf8')).form).toBe('both');
    });
  }
});
