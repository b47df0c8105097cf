// The HPKE X-Wing path uses Web Crypto X25519 where the runtime has it and
// @noble/curves otherwise. Node has it, so here Web Crypto is made to refuse
// X25519 (as older browsers do) before first use, and the HPKE-PQ X-Wing
// vectors must still pass on the fallback.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { init } from '../../src/index.js';
import { seal, open, setupBaseS, setupBaseR, deriveKeyPair, suite, xwing } from '../../src/hybrid/index.js';
import { xwingEncapsulateAsync } from '../../src/hybrid/xwing.js';
import { hex, loadJson, toHex } from '../helpers/vectors.js';

const subtle = globalThis.crypto.subtle;
const realImport = subtle.importKey.bind(subtle);
let x25519Attempts = 0;

beforeAll(async () => {
  vi.spyOn(subtle, 'importKey').mockImplementation(((format: KeyFormat, data: BufferSource | JsonWebKey, alg: AlgorithmIdentifier, extractable: boolean, usages: KeyUsage[]) => {
    const name = typeof alg === 'string' ? alg : alg.name;
    if (name === 'X25519') { x25519Attempts++; return Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError')); }
    return realImport(format as 'raw', data as BufferSource, alg, extractable, usages);
  }) as typeof subtle.importKey);
  await init();
});

interface HpkeVector { kem_id: number; kdf_id: number; aead_id: number; info: string; ikmE: string; ikmR: string; skRm: string; pkRm: string; enc: string; encryptions: { aad: string; ct: string; pt: string }[]; exports: { exporter_context: string; L: number; exported_value: string }[] }

describe('X-Wing HPKE without Web Crypto X25519', () => {
  it('passes the HPKE-PQ X-Wing vectors on the @noble/curves fallback', async () => {
    const vectors = loadJson<HpkeVector[]>('hpke-pq/test-vectors.json').filter((v) => v.kem_id === 0x647a);
    expect(vectors).toHaveLength(2);
    for (const v of vectors) {
      const s = suite({ kem: v.kem_id, kdf: v.kdf_id, aead: v.aead_id });
      const kp = await deriveKeyPair(s, hex(v.ikmR));
      expect(toHex(kp.publicKey)).toBe(v.pkRm);
      const S = await setupBaseS(s, kp.publicKey, hex(v.info), { ikmE: hex(v.ikmE) });
      expect(toHex(S.enc)).toBe(v.enc);
      const R = await setupBaseR(s, S.enc, hex(v.skRm), hex(v.info));
      for (const e of v.encryptions) {
        expect(toHex(await S.seal(hex(e.pt), hex(e.aad)))).toBe(e.ct);
        expect(toHex(await R.open(hex(e.ct), hex(e.aad)))).toBe(e.pt);
      }
      expect(toHex(await R.export(hex(v.exports[0]!.exporter_context), v.exports[0]!.L))).toBe(v.exports[0]!.exported_value);
    }
    // The native path was probed once (one private + one public key import,
    // both refused), then never tried again.
    expect(x25519Attempts).toBe(2);
  });

  it('round-trips and matches the sync X-Wing', async () => {
    const s = suite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-128-GCM' });
    const kp = xwing.keygen();
    const { enc, ciphertext } = await seal(s, kp.publicKey, new Uint8Array([1, 2, 3]));
    expect(await open(s, kp.secretKey, enc, ciphertext)).toEqual(new Uint8Array([1, 2, 3]));
    const rand = new Uint8Array(64).fill(9);
    expect(await xwingEncapsulateAsync(kp.publicKey, rand)).toEqual(xwing.encapsulate(kp.publicKey, rand));
  });
});
