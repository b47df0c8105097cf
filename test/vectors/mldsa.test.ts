/* eslint-disable @typescript-eslint/no-explicit-any -- vector JSON is untyped; every field used is asserted below */
// ML-DSA (FIPS 204) against every shared vector: NIST ACVP keyGen / sigGen
// (circl copy, Sign_internal on M') / sigVer (pure, HashML-DSA, internal with
// and without external mu), and Wycheproof sign_seed / sign_noseed / verify —
// once on the SIMD128 build and once on the scalar build.
import { describe, it, expect, beforeAll } from 'vitest';
import { init, backend, simdSupported } from '../../src/wasm/loader.js';
import { QsignError } from '../../src/errors.js';
import {
  ml_dsa44,
  ml_dsa65,
  ml_dsa87,
  hashml_dsa44,
  hashml_dsa65,
  hashml_dsa87,
  type MlDsaStreaming,
  type HashMlDsa,
} from '../../src/sig/index.js';
import { loadJson, hex, toHex } from '../helpers/vectors.js';

const PURE: Record<string, MlDsaStreaming> = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 };
const HASHED: Record<string, HashMlDsa> = {
  'ML-DSA-44': hashml_dsa44,
  'ML-DSA-65': hashml_dsa65,
  'ML-DSA-87': hashml_dsa87,
};

/** Runs fn; a typed QsignError counts as rejection (false), anything else propagates. */
function verdict(fn: () => boolean): boolean {
  try {
    return fn();
  } catch (e) {
    if (e instanceof QsignError) return false;
    throw e;
  }
}

function byId<T extends { tcId: number }>(list: T[]): Map<number, T> {
  return new Map(list.map((t) => [t.tcId, t]));
}

const builds = simdSupported() ? [true, false] : [false];

for (const simd of builds) {
  describe(`ML-DSA vectors on the ${simd ? 'SIMD128' : 'scalar'} build`, () => {
    beforeAll(async () => {
      await init({ simd, force: true });
      expect(backend()).toBe(simd ? 'simd128' : 'scalar');
    });

    it('ACVP keyGen: all 75 seeds give the expected pk and sk', () => {
      const prompt = loadJson<any>('acvp/ML-DSA-keyGen-FIPS204/prompt.json');
      const expected = loadJson<any>('acvp/ML-DSA-keyGen-FIPS204/expectedResults.json.gz');
      let n = 0;
      for (const g of prompt.testGroups) {
        const want = byId<any>(expected.testGroups.find((e: any) => e.tgId === g.tgId).tests);
        const alg = PURE[g.parameterSet]!;
        for (const t of g.tests) {
          const { publicKey, secretKey } = alg.keygen(hex(t.seed));
          const w = want.get(t.tcId)!;
          expect(toHex(publicKey), `tc ${t.tcId}`).toBe(w.pk.toLowerCase());
          expect(toHex(secretKey), `tc ${t.tcId}`).toBe(w.sk.toLowerCase());
          expect(toHex(alg.getPublicKey(secretKey))).toBe(w.pk.toLowerCase());
          n++;
        }
      }
      expect(n).toBe(75);
    });

    it("ACVP sigGen (Sign_internal on M', deterministic and hedged): all 60", () => {
      const prompt = loadJson<any>('acvp/ML-DSA-sigGen-FIPS204/prompt.json.gz');
      const expected = loadJson<any>('acvp/ML-DSA-sigGen-FIPS204/expectedResults.json.gz');
      let n = 0;
      for (const g of prompt.testGroups) {
        const want = byId<any>(expected.testGroups.find((e: any) => e.tgId === g.tgId).tests);
        const alg = PURE[g.parameterSet]!;
        for (const t of g.tests) {
          const sig = alg.internal.sign(hex(t.message), hex(t.sk), {
            extraEntropy: g.deterministic ? false : hex(t.rnd),
          });
          expect(toHex(sig), `tg ${g.tgId} tc ${t.tcId}`).toBe(want.get(t.tcId).signature.toLowerCase());
          n++;
        }
      }
      expect(n).toBe(60);
    });

    it('ACVP sigVer (pure, HashML-DSA, internal with/without external mu): all 180', () => {
      const prompt = loadJson<any>('acvp/ML-DSA-sigVer-FIPS204/prompt.json.gz');
      const expected = loadJson<any>('acvp/ML-DSA-sigVer-FIPS204/expectedResults.json');
      const kinds = new Set<string>();
      let n = 0,
        accepted = 0;
      for (const g of prompt.testGroups) {
        const want = byId<any>(expected.testGroups.find((e: any) => e.tgId === g.tgId).tests);
        const alg = PURE[g.parameterSet]!;
        const hashed = HASHED[g.parameterSet]!;
        for (const t of g.tests) {
          const sig = hex(t.signature),
            pk = hex(t.pk);
          let got: boolean;
          if (g.signatureInterface === 'internal' && g.externalMu) {
            got = verdict(() => alg.internal.verify(sig, hex(t.mu), pk, { externalMu: true }));
            kinds.add('internal-mu');
          } else if (g.signatureInterface === 'internal') {
            got = verdict(() => alg.internal.verify(sig, hex(t.message), pk));
            kinds.add('internal');
          } else if (g.preHash === 'preHash') {
            got = verdict(() => hashed.verify(sig, hex(t.message), pk, { context: hex(t.context), hash: t.hashAlg }));
            kinds.add('prehash');
          } else {
            got = verdict(() => alg.verify(sig, hex(t.message), pk, { context: hex(t.context) }));
            kinds.add('pure');
          }
          expect(got, `tg ${g.tgId} tc ${t.tcId}`).toBe(want.get(t.tcId).testPassed);
          if (got) accepted++;
          n++;
        }
      }
      expect(n).toBe(180);
      expect([...kinds].sort()).toEqual(['internal', 'internal-mu', 'prehash', 'pure']);
      expect(accepted).toBeGreaterThan(0);
      expect(accepted).toBeLessThan(n);
    });

    for (const level of [44, 65, 87] as const) {
      const alg = PURE[`ML-DSA-${level}`]!;

      it(`Wycheproof mldsa_${level}_sign_seed: keygen from seed, pure/ctx/hedged/external-mu signing`, () => {
        const file = loadJson<any>(`wycheproof/mldsa_${level}_sign_seed_test.json.gz`);
        let n = 0;
        for (const g of file.testGroups) {
          const seed = hex(g.privateSeed);
          for (const t of g.tests) {
            const label = `tc ${t.tcId} ${t.comment}`;
            n++;
            if (t.result === 'invalid') {
              expect(() => {
                const { secretKey } = alg.keygen(seed);
                alg.sign(hex(t.msg), secretKey, {
                  context: t.ctx === undefined ? undefined : hex(t.ctx),
                  extraEntropy: false,
                });
              }, label).toThrow(QsignError);
              continue;
            }
            const { publicKey, secretKey } = alg.keygen(seed);
            expect(toHex(publicKey), label).toBe(g.publicKey);
            const extraEntropy = t.rnd === undefined ? false : hex(t.rnd);
            if (t.msg !== undefined) {
              const context = t.ctx === undefined ? undefined : hex(t.ctx);
              expect(toHex(alg.sign(hex(t.msg), secretKey, { context, extraEntropy })), label).toBe(t.sig);
              if (t.mu !== undefined)
                expect(toHex(alg.computeMu(publicKey, hex(t.msg), { context })), label).toBe(t.mu);
              expect(alg.verify(hex(t.sig), hex(t.msg), publicKey, { context }), label).toBe(true);
            }
            if (t.mu !== undefined) {
              expect(toHex(alg.signMu(hex(t.mu), secretKey, { extraEntropy })), label).toBe(t.sig);
              expect(alg.verifyMu(hex(t.sig), hex(t.mu), publicKey), label).toBe(true);
            }
          }
        }
        expect(n).toBe(file.numberOfTests);
      });

      it(`Wycheproof mldsa_${level}_sign_noseed: signing with the expanded key`, () => {
        const file = loadJson<any>(`wycheproof/mldsa_${level}_sign_noseed_test.json.gz`);
        let n = 0,
          rejected = 0;
        for (const g of file.testGroups) {
          const sk = hex(g.privateKey);
          for (const t of g.tests) {
            const label = `tc ${t.tcId} ${t.comment}`;
            n++;
            const context = t.ctx === undefined ? undefined : hex(t.ctx);
            const extraEntropy = t.rnd === undefined ? false : hex(t.rnd);
            if (t.result === 'invalid') {
              expect(
                () =>
                  t.msg !== undefined
                    ? alg.sign(hex(t.msg), sk, { context, extraEntropy })
                    : alg.signMu(hex(t.mu), sk, { extraEntropy }),
                label,
              ).toThrow(QsignError);
              if (t.mu !== undefined)
                expect(() => alg.signMu(hex(t.mu), sk, { extraEntropy }), label).toThrow(QsignError);
              rejected++;
              continue;
            }
            if (g.publicKey) expect(toHex(alg.getPublicKey(sk)), label).toBe(g.publicKey);
            if (t.msg !== undefined)
              expect(toHex(alg.sign(hex(t.msg), sk, { context, extraEntropy })), label).toBe(t.sig);
            if (t.mu !== undefined) expect(toHex(alg.signMu(hex(t.mu), sk, { extraEntropy })), label).toBe(t.sig);
          }
        }
        expect(n).toBe(file.numberOfTests);
        expect(rejected).toBeGreaterThanOrEqual(4);
      });

      it(`Wycheproof mldsa_${level}_verify: every malformed signature is rejected`, () => {
        const file = loadJson<any>(`wycheproof/mldsa_${level}_verify_test.json.gz`);
        let n = 0,
          valid = 0;
        for (const g of file.testGroups) {
          const pk = hex(g.publicKey);
          for (const t of g.tests) {
            const label = `tc ${t.tcId} ${t.comment}`;
            const context = t.ctx === undefined ? undefined : hex(t.ctx);
            const got =
              t.msg !== undefined
                ? verdict(() => alg.verify(hex(t.sig), hex(t.msg), pk, { context }))
                : verdict(() => alg.verifyMu(hex(t.sig), hex(t.mu), pk));
            expect(got, label).toBe(t.result === 'valid');
            if (got) valid++;
            n++;
          }
        }
        expect(n).toBe(file.numberOfTests);
        expect(valid).toBeGreaterThan(0);
      });
    }

    it('typed errors: context > 255 bytes, bad key lengths, bad rnd', () => {
      const { publicKey, secretKey } = ml_dsa44.keygen(new Uint8Array(32));
      const msg = new Uint8Array([1, 2, 3]);
      const sig = ml_dsa44.sign(msg, secretKey, { extraEntropy: false });
      const code = (fn: () => unknown) => {
        try {
          fn();
        } catch (e) {
          return (e as QsignError).code;
        }
        return 'no error';
      };
      expect(code(() => ml_dsa44.verify(sig, msg, publicKey, { context: new Uint8Array(256) }))).toBe(
        'ERR_INVALID_ARGUMENT',
      );
      expect(code(() => ml_dsa44.sign(msg, secretKey, { context: new Uint8Array(256) }))).toBe('ERR_INVALID_ARGUMENT');
      expect(code(() => ml_dsa44.sign(msg, secretKey.subarray(1)))).toBe('ERR_INVALID_SECRET_KEY');
      expect(code(() => ml_dsa44.verify(sig, msg, publicKey.subarray(1)))).toBe('ERR_INVALID_PUBLIC_KEY');
      expect(code(() => ml_dsa44.sign(msg, secretKey, { extraEntropy: new Uint8Array(31) }))).toBe(
        'ERR_INVALID_ARGUMENT',
      );
      expect(code(() => ml_dsa44.sign(msg, secretKey, { ctx: new Uint8Array(1) } as never))).toBe(
        'ERR_INVALID_ARGUMENT',
      );
      expect(code(() => ml_dsa44.keygen(new Uint8Array(31)))).toBe('ERR_INVALID_ARGUMENT');
      // a wrong signature is a plain false, not an exception
      expect(ml_dsa44.verify(sig.subarray(1), msg, publicKey)).toBe(false);
      expect(ml_dsa44.verify(sig, msg, publicKey, { context: new Uint8Array(255) })).toBe(false);
      expect(ml_dsa44.verify(sig, msg, publicKey)).toBe(true);
    });
  });
}
