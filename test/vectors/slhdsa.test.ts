/* eslint-disable @typescript-eslint/no-explicit-any -- vector JSON is untyped; every field used is asserted below */
// SLH-DSA (FIPS 205) through the TypeScript API against the NIST ACVP files in
// test/vectors/data/acvp: keyGen (120 tests, all twelve sets) and sigVer (108
// tests, slh_verify_internal on M′) — once on the SIMD128 build and once on
// the scalar build of the SLH-DSA module.
import { describe, it, expect, beforeAll } from 'vitest';
import { init, backend, simdSupported } from '../../src/wasm/loader.js';
import * as sig from '../../src/sig/index.js';
import type { SlhDsa } from '../../src/sig/index.js';
import { algorithms, findAlgorithm } from '../../src/registry.js';
import { engineFor } from '../../src/engine/index.js';
import { QsignError } from '../../src/errors.js';
import { execFileSync } from 'node:child_process';
import { loadJson, hex, toHex } from '../helpers/vectors.js';

const BY_NAME = new Map<string, SlhDsa>(
  Object.values(sig)
    .filter((v): v is SlhDsa => typeof v === 'object' && v !== null && (v as SlhDsa).info?.type === 'slh-dsa')
    .map((a) => [a.name, a]),
);

const builds = simdSupported() ? [true, false] : [false];

describe('SLH-DSA registry', () => {
  it('lists all twelve sets with the NIST OIDs .20-.31, HashSLH-DSA .35-.46, and FIPS 205 Table 2 sizes', () => {
    const pure = algorithms().filter((a) => a.standard === 'FIPS 205');
    expect(pure.map((a) => a.oid)).toEqual(Array.from({ length: 12 }, (_, i) => `2.16.840.1.101.3.4.3.${20 + i}`));
    const hashed = algorithms().filter((a) => a.name.startsWith('HashSLH-DSA-'));
    expect(hashed.map((a) => a.oid)).toEqual(Array.from({ length: 12 }, (_, i) => `2.16.840.1.101.3.4.3.${35 + i}`));
    const sigSizes = pure.map((a) => a.sizes.signature);
    expect(sigSizes).toEqual([7856, 17088, 16224, 35664, 29792, 49856, 7856, 17088, 16224, 35664, 29792, 49856]);
    expect(findAlgorithm('SLH_DSA_PURE_SHAKE_256F')?.name).toBe('SLH-DSA-SHAKE-256f');
    expect(findAlgorithm('id-hash-slh-dsa-sha2-128s-with-sha256')?.prehash).toBe('SHA2-256');
    expect(findAlgorithm('slh_dsa_sha2_192f')?.sizes).toMatchObject({ publicKey: 48, secretKey: 96, seed: 72 });
    expect(BY_NAME.size).toBe(12);
  });

  it('the SHA-2 constants of native/slhdsa are the FIPS 180-4 definitions (regenerated and compared)', () => {
    const out = execFileSync(process.execPath, ['scripts/gen-sha2-consts.mjs', '--check'], { encoding: 'utf8' });
    expect(out).toContain('matches FIPS 180-4');
  });

  it('the engine router (ML-DSA/ML-KEM only) refuses SLH-DSA names now that the registry lists them', () => {
    for (const name of ['SLH-DSA-SHA2-128s', 'slh_dsa_shake_256f', 'HashSLH-DSA-SHA2-128f-with-SHA256']) {
      let err: unknown;
      try {
        engineFor(name, 'sign');
      } catch (e) {
        err = e;
      }
      expect(err, name).toBeInstanceOf(QsignError);
      expect((err as QsignError).code, name).toBe('ERR_UNKNOWN_ALGORITHM');
    }
  });
});

for (const simd of builds) {
  describe(`SLH-DSA ACVP vectors on the ${simd ? 'SIMD128' : 'scalar'} build`, () => {
    beforeAll(async () => {
      await init({ simd, force: true });
      expect(backend()).toBe(simd ? 'simd128' : 'scalar');
    });

    it('keyGen: all 120 (SK.seed, SK.prf, PK.seed) give the expected sk and pk', () => {
      const prompt = loadJson('acvp/SLH-DSA-keyGen-FIPS205/prompt.json.gz');
      const expected = loadJson('acvp/SLH-DSA-keyGen-FIPS205/expectedResults.json.gz');
      let n = 0;
      for (const g of prompt.testGroups) {
        const alg = BY_NAME.get(g.parameterSet)!;
        const want = new Map<number, any>(
          expected.testGroups.find((e: any) => e.tgId === g.tgId).tests.map((t: any) => [t.tcId, t]),
        );
        for (const t of g.tests) {
          const seed = hex(t.skSeed + t.skPrf + t.pkSeed);
          const { publicKey, secretKey } = alg.keygen(seed);
          const w = want.get(t.tcId);
          expect(toHex(secretKey), `${g.parameterSet} tc ${t.tcId}`).toBe(w.sk.toLowerCase());
          expect(toHex(publicKey), `${g.parameterSet} tc ${t.tcId}`).toBe(w.pk.toLowerCase());
          expect(toHex(alg.getPublicKey(secretKey))).toBe(w.pk.toLowerCase());
          n++;
        }
      }
      expect(n).toBe(120);
    });

    it('sigVer: all 108 signatures (internal interface) get the expected verdict', () => {
      const prompt = loadJson('acvp/SLH-DSA-sigVer-FIPS205/prompt.json.gz');
      const expected = loadJson('acvp/SLH-DSA-sigVer-FIPS205/expectedResults.json.gz');
      let n = 0,
        valid = 0;
      for (const g of prompt.testGroups) {
        const alg = BY_NAME.get(g.parameterSet)!;
        const want = new Map<number, any>(
          expected.testGroups.find((e: any) => e.tgId === g.tgId).tests.map((t: any) => [t.tcId, t]),
        );
        for (const t of g.tests) {
          const ok = alg.internal.verify(hex(t.signature), hex(t.message), hex(t.pk));
          expect(ok, `${g.parameterSet} tc ${t.tcId}`).toBe(want.get(t.tcId).testPassed);
          if (ok) valid++;
          n++;
        }
      }
      expect(n).toBe(108);
      expect(valid).toBeGreaterThan(0);
      expect(valid).toBeLessThan(108);
    });
  });
}
