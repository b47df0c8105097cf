// ML-KEM against every shared vector set: NIST ACVP (keyGen, encapDecap incl.
// the key-check groups), every Wycheproof mlkem_* file and the CCTV modulus
// keys. The whole suite runs once on the SIMD128 build and once on the
// scalar build, so both must agree with the standard, not just each other.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, backend } from '../../src/wasm/loader.js';
import { ml_kem512, ml_kem768, ml_kem1024, type MlKem } from '../../src/kem/index.js';
import { hex, loadBytes, loadJson, toHex } from '../helpers/vectors.js';

const BY_SET: Record<string, MlKem> = { 'ML-KEM-512': ml_kem512, 'ML-KEM-768': ml_kem768, 'ML-KEM-1024': ml_kem1024 };
const set = (name: string): MlKem => {
  const k = BY_SET[name];
  if (!k) throw new Error(`unexpected parameter set ${name}`);
  return k;
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code ?? `(no code: ${(e as Error).message})`;
  }
  return undefined;
}

interface AcvpGroup<T> {
  tgId: number;
  parameterSet: string;
  function?: string;
  keyFormat?: string;
  tests: T[];
}
interface WyGroup<T> {
  parameterSet: string;
  tests: T[];
}
interface WyTest {
  tcId: number;
  comment?: string;
  result: 'valid' | 'invalid' | 'acceptable';
  flags?: string[];
}

for (const build of ['simd128', 'scalar'] as const) {
  describe(`ML-KEM vectors on the ${build} build`, () => {
    beforeAll(async () => {
      await init({ simd: build === 'simd128', force: true });
      expect(backend()).toBe(build);
    });

    it('ACVP keyGen: all 75 (d, z) -> (ek, dk)', () => {
      const prompt = loadJson<{ testGroups: AcvpGroup<{ tcId: number; d: string; z: string }>[] }>(
        'acvp/ML-KEM-keyGen-FIPS203/prompt.json',
      );
      const expected = loadJson<{ testGroups: { tgId: number; tests: { tcId: number; ek: string; dk: string }[] }[] }>(
        'acvp/ML-KEM-keyGen-FIPS203/expectedResults.json.gz',
      );
      let n = 0;
      for (const g of prompt.testGroups) {
        const want = expected.testGroups.find((x) => x.tgId === g.tgId)!;
        for (const t of g.tests) {
          const w = want.tests.find((x) => x.tcId === t.tcId)!;
          const { publicKey, secretKey } = set(g.parameterSet).keygen(hex(t.d + t.z));
          expect(toHex(publicKey), `tc ${t.tcId}`).toBe(w.ek.toLowerCase());
          expect(toHex(secretKey), `tc ${t.tcId}`).toBe(w.dk.toLowerCase());
          n++;
        }
      }
      expect(n).toBe(75);
    });

    it('ACVP encapDecap: all 15 groups, including the key checks (internalProjection)', () => {
      type T = {
        tcId: number;
        ek?: string;
        dk?: string;
        d?: string;
        z?: string;
        c?: string;
        k?: string;
        m?: string;
        testPassed?: boolean;
      };
      const proj = loadJson<{ testGroups: AcvpGroup<T>[] }>(
        'acvp/ML-KEM-encapDecap-FIPS203/internalProjection.json.gz',
      );
      const expected = loadJson<{ testGroups: { tgId: number; tests: (T & { tcId: number })[] }[] }>(
        'acvp/ML-KEM-encapDecap-FIPS203/expectedResults.json',
      );
      const counts: Record<string, number> = {};
      for (const g of proj.testGroups) {
        const kem = set(g.parameterSet);
        const want = expected.testGroups.find((x) => x.tgId === g.tgId)!;
        for (const t of g.tests) {
          const w = want.tests.find((x) => x.tcId === t.tcId)!;
          const label = `tg ${g.tgId} tc ${t.tcId}`;
          switch (g.function) {
            case 'encapsulation': {
              const r = kem.encapsulate(hex(t.ek!), hex(t.m!));
              expect(toHex(r.cipherText), label).toBe(w.c!.toLowerCase());
              expect(toHex(r.sharedSecret), label).toBe(w.k!.toLowerCase());
              break;
            }
            case 'decapsulation': {
              // keyFormat seed: expand d‖z first, and that expansion must equal the listed dk
              const dk = g.keyFormat === 'seed' ? kem.keygen(hex(t.d! + t.z!)).secretKey : hex(t.dk!);
              if (g.keyFormat === 'seed') expect(toHex(dk), label).toBe(t.dk!.toLowerCase());
              expect(toHex(kem.decapsulate(hex(t.c!), dk)), label).toBe(w.k!.toLowerCase());
              break;
            }
            case 'encapsulationKeyCheck': {
              const code = codeOf(() => kem.encapsulate(hex(t.ek!), new Uint8Array(32)));
              expect(code, label).toBe(w.testPassed ? undefined : 'ERR_INVALID_PUBLIC_KEY');
              break;
            }
            case 'decapsulationKeyCheck': {
              const code = codeOf(() => kem.decapsulate(new Uint8Array(kem.lengths.cipherText), hex(t.dk!)));
              expect(code, label).toBe(w.testPassed ? undefined : 'ERR_INVALID_SECRET_KEY');
              expect(
                codeOf(() => kem.getPublicKey(hex(t.dk!))),
                label,
              ).toBe(w.testPassed ? undefined : 'ERR_INVALID_SECRET_KEY');
              break;
            }
            default:
              throw new Error(`unhandled ACVP function ${g.function}`);
          }
          counts[g.function!] = (counts[g.function!] ?? 0) + 1;
        }
      }
      expect(counts).toEqual({
        encapsulation: 75,
        decapsulation: 60,
        encapsulationKeyCheck: 30,
        decapsulationKeyCheck: 30,
      });
    });

    for (const ps of ['512', '768', '1024'] as const) {
      const kem = set(`ML-KEM-${ps}`);

      it(`Wycheproof mlkem_${ps}_test: seed -> keys, decapsulation, malformed lengths`, () => {
        type T = WyTest & { seed: string; ek?: string; c: string; K: string };
        const f = loadJson<{ testGroups: WyGroup<T>[] }>(`wycheproof/mlkem_${ps}_test.json.gz`);
        let valid = 0,
          invalid = 0;
        for (const g of f.testGroups) {
          expect(g.parameterSet).toBe(kem.name);
          for (const t of g.tests) {
            const label = `tc ${t.tcId} ${t.comment ?? ''}`;
            const seed = hex(t.seed),
              c = hex(t.c);
            if (t.result === 'valid') {
              const { publicKey, secretKey } = kem.keygen(seed);
              if (t.ek) expect(toHex(publicKey), label).toBe(t.ek);
              expect(toHex(kem.decapsulate(c, secretKey)), label).toBe(t.K);
              valid++;
            } else {
              // the only invalid cases are a wrong-length seed or ciphertext
              const code = codeOf(() => kem.decapsulate(c, kem.keygen(seed).secretKey));
              expect(code, label).toBe(seed.length !== 64 ? 'ERR_INVALID_ARGUMENT' : 'ERR_INVALID_CIPHERTEXT_LENGTH');
              invalid++;
            }
          }
        }
        expect(valid).toBeGreaterThan(100);
        expect(invalid).toBe(40);
      });

      it(`Wycheproof mlkem_${ps}_encaps_test: (ek, m) -> (c, K); unreduced and wrong-length keys rejected`, () => {
        type T = WyTest & { ek: string; m: string; c: string; K: string };
        const f = loadJson<{ testGroups: WyGroup<T>[] }>(`wycheproof/mlkem_${ps}_encaps_test.json.gz`);
        let valid = 0,
          invalid = 0;
        for (const g of f.testGroups) {
          for (const t of g.tests) {
            const label = `tc ${t.tcId} ${t.comment ?? ''}`;
            if (t.result === 'valid') {
              const r = kem.encapsulate(hex(t.ek), hex(t.m));
              expect(toHex(r.cipherText), label).toBe(t.c);
              expect(toHex(r.sharedSecret), label).toBe(t.K);
              valid++;
            } else {
              expect(
                codeOf(() => kem.encapsulate(hex(t.ek), hex(t.m))),
                label,
              ).toBe('ERR_INVALID_PUBLIC_KEY');
              invalid++;
            }
          }
        }
        expect(valid).toBeGreaterThan(100);
        expect(invalid).toBeGreaterThan(100);
      });

      it(`Wycheproof mlkem_${ps}_keygen_seed_test: 100 seeds -> (ek, dk)`, () => {
        type T = WyTest & { seed: string; ek: string; dk: string };
        const f = loadJson<{ testGroups: WyGroup<T>[] }>(`wycheproof/mlkem_${ps}_keygen_seed_test.json.gz`);
        let n = 0;
        for (const g of f.testGroups) {
          for (const t of g.tests) {
            expect(t.result).toBe('valid');
            const { publicKey, secretKey } = kem.keygen(hex(t.seed));
            expect(toHex(publicKey), `tc ${t.tcId}`).toBe(t.ek);
            expect(toHex(secretKey), `tc ${t.tcId}`).toBe(t.dk);
            expect(toHex(kem.getPublicKey(secretKey))).toBe(t.ek);
            n++;
          }
        }
        expect(n).toBe(100);
      });

      it(`Wycheproof mlkem_${ps}_semi_expanded_decaps_test: expanded-dk validation`, () => {
        type T = WyTest & { dk: string; c: string; ek: string; K?: string };
        const f = loadJson<{ testGroups: WyGroup<T>[] }>(`wycheproof/mlkem_${ps}_semi_expanded_decaps_test.json`);
        const expectedCode: Record<string, string> = {
          IncorrectCiphertextLength: 'ERR_INVALID_CIPHERTEXT_LENGTH',
          IncorrectDecapsulationKeyLength: 'ERR_INVALID_SECRET_KEY',
          InvalidDecapsulationKey: 'ERR_INVALID_SECRET_KEY',
        };
        let n = 0;
        for (const g of f.testGroups) {
          for (const t of g.tests) {
            const label = `tc ${t.tcId} ${t.comment ?? ''}`;
            if (t.result === 'valid') {
              const ss = kem.decapsulate(hex(t.c), hex(t.dk));
              if (t.K) expect(toHex(ss), label).toBe(t.K);
              expect(toHex(kem.getPublicKey(hex(t.dk))), label).toBe(t.ek);
            } else {
              const flag = t.flags?.find((x) => x in expectedCode);
              expect(flag, label).toBeDefined();
              expect(
                codeOf(() => kem.decapsulate(hex(t.c), hex(t.dk))),
                label,
              ).toBe(expectedCode[flag!]);
            }
            n++;
          }
        }
        expect(n).toBe(9);
      });

      it(`CCTV modulus: every ML-KEM-${ps} key with a coefficient >= q is rejected`, () => {
        const lines = new TextDecoder()
          .decode(loadBytes(`cctv-mlkem-modulus/ML-KEM-${ps}.txt.gz`))
          .split('\n')
          .filter((l) => l.trim());
        expect(lines.length).toBeGreaterThan(700);
        const m = new Uint8Array(32);
        for (const [i, line] of lines.entries()) {
          const ek = hex(line.trim());
          expect(ek.length, `line ${i + 1}`).toBe(kem.lengths.publicKey);
          expect(
            codeOf(() => kem.encapsulate(ek, m)),
            `line ${i + 1}`,
          ).toBe('ERR_INVALID_PUBLIC_KEY');
        }
      });
    }
  });
}
