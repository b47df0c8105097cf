// ML-KEM in every runtime: a few ACVP vectors per group (fixture), the
// round trip, implicit rejection and the typed input errors, on whichever
// wasm build the runtime loads by default and on the scalar build.
import { describe, it, expect } from '../helpers/harness.js';
import { init, backend, ml_kem512, ml_kem768, ml_kem1024, kem, sha3_256 } from '../../src/index.js';
import type { MlKem } from '../../src/index.js';
import { MLKEM_FIXTURE } from '../helpers/fixtures/mlkem-acvp.js';

const SETS: Record<string, MlKem> = { 'ML-KEM-512': ml_kem512, 'ML-KEM-768': ml_kem768, 'ML-KEM-1024': ml_kem1024 };
const set = (name: string): MlKem => SETS[name]!;
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (x) => parseInt(x, 16));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code ?? 'no code';
  }
  return undefined;
}

function acvpChecks(): void {
  for (const t of MLKEM_FIXTURE.keyGen) {
    const { publicKey, secretKey } = set(t.set).keygen(unhex(t.seed));
    expect(hex(sha3_256(publicKey))).toBe(t.ekSha3);
    expect(hex(sha3_256(secretKey))).toBe(t.dkSha3);
  }
  for (const t of MLKEM_FIXTURE.encapsulation) {
    const r = set(t.set).encapsulate(unhex(t.ek), unhex(t.m));
    expect(hex(sha3_256(r.cipherText))).toBe(t.cSha3);
    expect(hex(r.sharedSecret)).toBe(t.k);
  }
  for (const t of MLKEM_FIXTURE.decapsulation) {
    const kem = set(t.set);
    expect(hex(kem.decapsulate(unhex(t.c), kem.keygen(unhex(t.seed)).secretKey))).toBe(t.k);
  }
  for (const t of MLKEM_FIXTURE.encapsulationKeyCheck) {
    expect(codeOf(() => set(t.set).encapsulate(unhex(t.ek)))).toBe(t.testPassed ? undefined : 'ERR_INVALID_PUBLIC_KEY');
  }
  for (const t of MLKEM_FIXTURE.decapsulationKeyCheck) {
    const kem = set(t.set);
    expect(codeOf(() => kem.decapsulate(new Uint8Array(kem.lengths.cipherText), unhex(t.dk)))).toBe(
      t.testPassed ? undefined : 'ERR_INVALID_SECRET_KEY',
    );
  }
}

describe('ml-kem', () => {
  it('ACVP keyGen / encapsulation / decapsulation / key checks on the default build', async () => {
    await init();
    acvpChecks();
  });

  it('the same ACVP vectors on the scalar build', async () => {
    await init({ simd: false, force: true });
    try {
      expect(backend()).toBe('scalar');
      acvpChecks();
    } finally {
      await init({ force: true });
    }
  });

  it('random round trip, getPublicKey and implicit rejection for all three sets', async () => {
    await init();
    for (const kem of [ml_kem512, ml_kem768, ml_kem1024]) {
      const { publicKey, secretKey } = kem.keygen();
      expect(publicKey).toHaveLength(kem.lengths.publicKey);
      expect(secretKey).toHaveLength(kem.lengths.secretKey);
      const { cipherText, sharedSecret } = kem.encapsulate(publicKey);
      expect(cipherText).toHaveLength(kem.lengths.cipherText);
      expect(kem.decapsulate(cipherText, secretKey)).toEqual(sharedSecret);
      expect(kem.getPublicKey(secretKey)).toEqual(publicKey);
      const bad = cipherText.slice();
      bad[bad.length - 1]! ^= 0x80;
      const rejected = kem.decapsulate(bad, secretKey);
      expect(rejected).toHaveLength(32);
      expect(rejected).notToEqual(sharedSecret);
      expect(kem.decapsulate(bad, secretKey)).toEqual(rejected); // J(z‖c) is deterministic
    }
  });

  it('typed errors for wrong lengths, types and malformed keys', async () => {
    await init();
    const { publicKey, secretKey } = ml_kem768.keygen();
    const { cipherText } = ml_kem768.encapsulate(publicKey);
    expect(() => ml_kem768.keygen(new Uint8Array(32))).toThrow('ERR_INVALID_ARGUMENT');
    expect(() => ml_kem768.encapsulate(publicKey, new Uint8Array(33))).toThrow('ERR_INVALID_ARGUMENT');
    expect(() => ml_kem768.encapsulate(publicKey.subarray(0, 1183))).toThrow('ERR_INVALID_PUBLIC_KEY');
    expect(() => ml_kem768.decapsulate(cipherText.subarray(1), secretKey)).toThrow('ERR_INVALID_CIPHERTEXT_LENGTH');
    expect(() => ml_kem768.decapsulate(cipherText, secretKey.subarray(1))).toThrow('ERR_INVALID_SECRET_KEY');
    expect(() => kem('not-a-kem')).toThrow('ERR_UNKNOWN_ALGORITHM');
    expect(kem('kyber768') === ml_kem768).toBeTrue();
  });
});
