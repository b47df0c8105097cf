// Known-answer tests for qsign-pqc/hybrid: the X-Wing draft vectors, every
// HPKE-PQ vector whose KEM we implement, and X25519MLKEM768 composed from the
// Wycheproof ML-KEM-768 and X25519 vectors (no vector file exists for it).
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/index.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { xwing, x25519mlkem768, suite, setupBaseS, setupBaseR, deriveKeyPair } from '../../src/hybrid/index.js';
import { hex, loadJson, toHex } from '../helpers/vectors.js';

beforeAll(async () => {
  await init();
});

interface XWingVector {
  seed: string;
  sk: string;
  pk: string;
  eseed: string;
  ct: string;
  ss: string;
}

describe('X-Wing draft-connolly-cfrg-xwing-kem-10 vectors', () => {
  const vectors = loadJson<XWingVector[]>('xwing/test-vectors.json');
  it('has the 3 published vectors', () => expect(vectors).toHaveLength(3));
  vectors.forEach((v, i) => {
    it(`vector ${i}: keygen, encapsulate(derand), decapsulate`, () => {
      const { publicKey, secretKey } = xwing.keygen(hex(v.seed));
      expect(toHex(secretKey)).toBe(v.sk);
      expect(toHex(publicKey)).toBe(v.pk);
      expect(toHex(xwing.getPublicKey(hex(v.sk)))).toBe(v.pk);
      const { cipherText, sharedSecret } = xwing.encapsulate(hex(v.pk), hex(v.eseed));
      expect(toHex(cipherText)).toBe(v.ct);
      expect(toHex(sharedSecret)).toBe(v.ss);
      expect(toHex(xwing.decapsulate(hex(v.ct), hex(v.sk)))).toBe(v.ss);
    });
  });
});

interface HpkeVector {
  mode: number;
  kem_id: number;
  kdf_id: number;
  aead_id: number;
  info: string;
  ikmE: string;
  ikmR: string;
  skRm: string;
  pkRm: string;
  enc: string;
  shared_secret: string;
  suite_id: string;
  key: string;
  base_nonce: string;
  exporter_secret: string;
  encryptions: { aad: string; ct: string; nonce: string; pt: string }[];
  exports: { exporter_context: string; L: number; exported_value: string }[];
}

describe('HPKE-PQ (draft-ietf-hpke-pq) vectors', () => {
  const all = loadJson<HpkeVector[]>('hpke-pq/test-vectors.json');
  const ours = new Set([0x0040, 0x0041, 0x0042, 0x647a]);
  const supported = all.filter((v) => ours.has(v.kem_id));
  const skipped = all.filter((v) => !ours.has(v.kem_id));
  const label = (v: HpkeVector) =>
    `kem 0x${v.kem_id.toString(16)} kdf 0x${v.kdf_id.toString(16)} aead 0x${v.aead_id.toString(16)}`;

  it(`runs ${supported.length} vectors and skips ${skipped.length} with classic-DH KEMs (P-256/P-384/X25519/X448 DHKEM and the P-curve hybrids 0x0050/0x0051)`, () => {
    // Printed so a CI log shows what was not exercised.
    console.log(
      `HPKE-PQ vectors: ${supported.length} run, ${skipped.length} skipped (kem ids ${[...new Set(skipped.map((v) => '0x' + v.kem_id.toString(16).padStart(4, '0')))].join(', ')})`,
    );
    expect(supported.length).toBe(6);
    expect(skipped.every((v) => [0x10, 0x11, 0x20, 0x21, 0x50, 0x51].includes(v.kem_id))).toBe(true);
    expect(supported.length + skipped.length).toBe(all.length);
  });

  for (const v of supported) {
    it(`${label(v)}: DeriveKeyPair, Encap(derand), key schedule, ${v.encryptions.length} encryptions, ${v.exports.length} exports`, async () => {
      expect(v.mode).toBe(0);
      const s = suite({ kem: v.kem_id, kdf: v.kdf_id, aead: v.aead_id });
      expect(toHex(s.id)).toBe(v.suite_id);
      const kp = await deriveKeyPair(s, hex(v.ikmR));
      expect(toHex(kp.secretKey)).toBe(v.skRm);
      expect(toHex(kp.publicKey)).toBe(v.pkRm);

      const sender = await setupBaseS(s, hex(v.pkRm), hex(v.info), { ikmE: hex(v.ikmE) });
      expect(toHex(sender.enc)).toBe(v.enc);
      const recipient = await setupBaseR(s, hex(v.enc), hex(v.skRm), hex(v.info));
      for (const e of v.encryptions) {
        const ct = await sender.seal(hex(e.pt), hex(e.aad));
        expect(toHex(ct)).toBe(e.ct);
        expect(toHex(await recipient.open(hex(e.ct), hex(e.aad)))).toBe(e.pt);
      }
      expect(sender.seq).toBe(BigInt(v.encryptions.length));
      for (const x of v.exports) {
        expect(toHex(await sender.export(hex(x.exporter_context), x.L))).toBe(x.exported_value);
        expect(toHex(await recipient.export(hex(x.exporter_context), x.L))).toBe(x.exported_value);
      }
    });
  }

  it('the key schedule outputs match key, base_nonce and exporter_secret (first encryption nonce = base_nonce)', async () => {
    for (const v of supported) {
      // The nonce of sequence 0 is base_nonce itself; the vectors list it per encryption.
      expect(v.encryptions[0]!.nonce).toBe(v.base_nonce);
      const s = suite({ kem: v.kem_id, kdf: v.kdf_id, aead: v.aead_id });
      const ks = s.kdf.keySchedule(
        s.id,
        0,
        hex(v.shared_secret),
        hex(v.info),
        new Uint8Array(0),
        new Uint8Array(0),
        s.aead.Nk,
        s.aead.Nn,
      );
      expect(toHex(ks.key)).toBe(v.key);
      expect(toHex(ks.baseNonce)).toBe(v.base_nonce);
      expect(toHex(ks.exporterSecret)).toBe(v.exporter_secret);
      expect(toHex(await s.kem.decap(hex(v.enc), hex(v.skRm)))).toBe(v.shared_secret);
    }
  });
});

// ---- X25519MLKEM768 composed from Wycheproof vectors -----------------------

interface WycheproofFile<T> {
  testGroups: { tests: T[] }[];
}
interface X25519Test {
  tcId: number;
  public: string;
  private: string;
  shared: string;
  result: string;
  flags: string[];
}
interface MlkemDecapsTest {
  tcId: number;
  seed: string;
  ek?: string;
  c: string;
  K: string;
  result: string;
}
interface MlkemEncapsTest {
  tcId: number;
  ek: string;
  m: string;
  c: string;
  K: string;
  result: string;
  flags: string[];
}

describe('X25519MLKEM768 composed from Wycheproof ML-KEM-768 and X25519 vectors', () => {
  const xTests = loadJson<WycheproofFile<X25519Test>>('wycheproof/x25519_test.json.gz').testGroups.flatMap(
    (g) => g.tests,
  );
  const decaps = loadJson<WycheproofFile<MlkemDecapsTest>>('wycheproof/mlkem_768_test.json.gz')
    .testGroups.flatMap((g) => g.tests)
    .filter((t) => t.result === 'valid' && t.ek !== undefined);
  const encaps = loadJson<WycheproofFile<MlkemEncapsTest>>(
    'wycheproof/mlkem_768_encaps_test.json.gz',
  ).testGroups.flatMap((g) => g.tests);
  const xGood = xTests.filter((t) => !t.flags.includes('ZeroSharedSecret'));
  const xZero = xTests.filter((t) => t.flags.includes('ZeroSharedSecret'));

  it('serverRespond: ss = K ‖ X25519 shared, share = c ‖ X25519(sk, 9), for every valid encaps vector', () => {
    const valid = encaps.filter((t) => t.result === 'valid');
    expect(valid.length).toBeGreaterThan(100);
    valid.forEach((t, i) => {
      const x = xGood[i % xGood.length]!;
      // Client share: the ML-KEM ek followed by the X25519 "public" of the vector.
      const share = new Uint8Array([...hex(t.ek), ...hex(x.public)]);
      const r = x25519mlkem768.serverRespond(share, new Uint8Array([...hex(t.m), ...hex(x.private)]));
      expect(toHex(r.sharedSecret)).toBe(t.K + x.shared);
      expect(toHex(r.keyShare)).toBe(t.c + toHex(x25519.getPublicKey(hex(x.private))));
    });
  });

  it('clientFinish: ss = K ‖ X25519 shared, for every valid decaps vector; clientKeyShare = ek ‖ X25519(sk, 9)', () => {
    expect(decaps.length).toBeGreaterThan(100);
    decaps.forEach((t, i) => {
      const x = xGood[(i * 7) % xGood.length]!;
      const seed = new Uint8Array([...hex(t.seed), ...hex(x.private)]);
      const client = x25519mlkem768.clientKeyShare(seed);
      expect(toHex(client.keyShare)).toBe(t.ek! + toHex(x25519.getPublicKey(hex(x.private))));
      const serverShare = new Uint8Array([...hex(t.c), ...hex(x.public)]);
      expect(toHex(x25519mlkem768.clientFinish(client.secretKey, serverShare))).toBe(t.K + x.shared);
    });
  });

  it(`every X25519 vector with a non-zero result (${xGood.length}) matches on both sides`, () => {
    const { keyShare: _k, secretKey } = x25519mlkem768.clientKeyShare(new Uint8Array(96).fill(3));
    const t = decaps[0]!;
    for (const x of xGood) {
      const sk = new Uint8Array([...secretKey.subarray(0, 64), ...hex(x.private)]);
      const ss = x25519mlkem768.clientFinish(sk, new Uint8Array([...hex(t.c), ...hex(x.public)]));
      expect(toHex(ss.subarray(32))).toBe(x.shared);
    }
  });

  it(`every X25519 vector with an all-zero result (${xZero.length}, low-order points) is refused with ERR_INVALID_PUBLIC_KEY on both sides`, () => {
    expect(xZero.length).toBeGreaterThan(20);
    const client = x25519mlkem768.clientKeyShare();
    const ek = client.keyShare.subarray(0, 1184);
    const ct = new Uint8Array(1088);
    for (const x of xZero) {
      expect(x.shared).toBe('00'.repeat(32));
      expect(() => x25519mlkem768.serverRespond(new Uint8Array([...ek, ...hex(x.public)]))).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_PUBLIC_KEY' }),
      );
      const sk = new Uint8Array([...client.secretKey.subarray(0, 64), ...hex(x.private)]);
      expect(() => x25519mlkem768.clientFinish(sk, new Uint8Array([...ct, ...hex(x.public)]))).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_PUBLIC_KEY' }),
      );
    }
  });

  it('every invalid ML-KEM-768 encapsulation key (modulus overflow, wrong length) is refused by serverRespond', () => {
    const invalid = encaps.filter((t) => t.result === 'invalid');
    expect(invalid.length).toBeGreaterThan(100);
    const xPub = hex(xGood[0]!.public);
    for (const t of invalid) {
      const share = new Uint8Array([...hex(t.ek), ...xPub]);
      expect(() => x25519mlkem768.serverRespond(share)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_PUBLIC_KEY' }),
      );
    }
  });
});
