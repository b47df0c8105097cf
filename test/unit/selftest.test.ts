// Self-tests (src/wasm/selftest.ts): SHA-3 when a family module is
// instantiated, every other family before its first use. A module whose
// ML-KEM (or ML-DSA, X25519) code is broken must refuse that family with
// ERR_SELF_TEST_FAILED, on the first call and every later one, while the
// other modules keep working; `eager` must refuse the module up front.
import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { selfTestedExports } from '../../src/wasm/selftest.js';
import type { QsignExports } from '../../src/wasm/exports.js';
import { init, ml_kem768, ml_dsa44 } from '../../src/index.js';
// X25519's code registers its self-test (hybrid apps import it; the root does not).
import { x25519Raw } from '../../src/x25519/index.js';

async function rawExports(file: string): Promise<QsignExports> {
  const bytes = readFileSync(fileURLToPath(new URL(`../../wasm/${file}`, import.meta.url)));
  const { instance } = await WebAssembly.instantiate(bytes, {});
  const x = instance.exports as unknown as QsignExports;
  x._initialize();
  return x;
}

/** The raw exports with one function made to corrupt the first byte it writes at `outArg`. */
function tampered(raw: QsignExports, name: keyof QsignExports, outArg: number): QsignExports {
  const fn = raw[name] as unknown as (...a: number[]) => number;
  return {
    ...raw,
    [name]: (...args: number[]) => {
      const r = fn(...args);
      new Uint8Array(raw.memory.buffer)[args[outArg]!]! ^= 1;
      return r;
    },
  } as QsignExports;
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

for (const v of ['simd', 'scalar']) {
  // Each family is a module of its own: a broken one cannot take another down with it.
  const kem = `qsign-mlkem-${v}.wasm`,
    dsa = `qsign-mldsa-${v}.wasm`,
    x25519 = `qsign-x25519-${v}.wasm`;
  describe(`self-tests on the ${v} family modules`, () => {
    it('a broken family fails on first use and stays failed; the other modules still work', async () => {
      const raw = await rawExports(kem);
      const x = selfTestedExports(tampered(raw, 'qs_mlkem_keypair', 2), false);
      const seed = raw.qs_malloc(64),
        pk = raw.qs_malloc(1184),
        sk = raw.qs_malloc(2400);
      expect(codeOf(() => x.qs_mlkem_keypair(3, seed, pk, sk))).toBe('ERR_SELF_TEST_FAILED');
      expect(codeOf(() => x.qs_mlkem_keypair(3, seed, pk, sk))).toBe('ERR_SELF_TEST_FAILED');
      expect(codeOf(() => x.qs_mlkem_encaps(3, pk, seed, sk, seed))).toBe('ERR_SELF_TEST_FAILED');
      const rawDsa = await rawExports(dsa);
      const y = selfTestedExports(rawDsa, false);
      const dseed = rawDsa.qs_malloc(32),
        dpk = rawDsa.qs_malloc(1312),
        dsk = rawDsa.qs_malloc(2560);
      expect(y.qs_mldsa_keypair(44, dseed, dpk, dsk)).toBe(0);
    });

    it('a family that passes is handed to the raw exports (no wrapper left on the hot path)', async () => {
      const raw = await rawExports(kem);
      const x = selfTestedExports(raw, false);
      expect(x.qs_mlkem_decaps).not.toBe(raw.qs_mlkem_decaps);
      const seed = raw.qs_malloc(64),
        pk = raw.qs_malloc(1184),
        sk = raw.qs_malloc(2400);
      expect(x.qs_mlkem_keypair(3, seed, pk, sk)).toBe(0);
      expect(x.qs_mlkem_keypair).toBe(raw.qs_mlkem_keypair);
      const ct = raw.qs_malloc(1088),
        ss = raw.qs_malloc(32);
      expect(x.qs_mlkem_encaps(3, pk, seed, ct, ss)).toBe(0);
      expect(x.qs_mlkem_decaps(3, sk, ct, ss)).toBe(0);
      expect(x.qs_mlkem_decaps).toBe(raw.qs_mlkem_decaps);
      const rawDsa = await rawExports(dsa);
      expect(selfTestedExports(rawDsa, false).qs_mldsa_verify_mu).not.toBe(rawDsa.qs_mldsa_verify_mu);
    });

    it('the first ML-KEM keypair runs only the keygen self-test (issue 23 cold start); encaps and decaps test themselves on their first use', async () => {
      const raw = await rawExports(kem);
      const calls = { qs_mlkem_encaps: 0, qs_mlkem_decaps: 0 };
      const counted = { ...raw } as QsignExports;
      for (const n of Object.keys(calls) as Array<keyof typeof calls>) {
        const fn = raw[n] as unknown as (...a: number[]) => number;
        (counted as unknown as Record<string, unknown>)[n] = (...a: number[]) => (calls[n]++, fn(...a));
      }
      const x = selfTestedExports(counted, false);
      const seed = raw.qs_malloc(64),
        pk = raw.qs_malloc(1184),
        sk = raw.qs_malloc(2400),
        ct = raw.qs_malloc(1088),
        ss = raw.qs_malloc(32);
      expect(x.qs_mlkem_keypair(3, seed, pk, sk)).toBe(0);
      expect(calls).toEqual({ qs_mlkem_encaps: 0, qs_mlkem_decaps: 0 });
      expect(x.qs_mlkem_encaps(3, pk, seed, ct, ss)).toBe(0);
      expect(calls.qs_mlkem_encaps).toBeGreaterThan(1); // the encaps KAT, then the call
      expect(calls.qs_mlkem_decaps).toBe(0);
      expect(x.qs_mlkem_decaps(3, sk, ct, ss)).toBe(0);
      expect(calls.qs_mlkem_decaps).toBeGreaterThan(1);
    });

    it('a broken ML-KEM decaps passes keygen but is refused at the first decapsulate, and then the whole family is', async () => {
      const raw = await rawExports(kem);
      const x = selfTestedExports(tampered(raw, 'qs_mlkem_decaps', 3), false);
      const seed = raw.qs_malloc(64),
        pk = raw.qs_malloc(1184),
        sk = raw.qs_malloc(2400),
        ct = raw.qs_malloc(1088),
        ss = raw.qs_malloc(32);
      expect(x.qs_mlkem_keypair(3, seed, pk, sk)).toBe(0);
      expect(codeOf(() => x.qs_mlkem_decaps(3, sk, ct, ss))).toBe('ERR_SELF_TEST_FAILED');
      expect(codeOf(() => x.qs_mlkem_keypair(3, seed, pk, sk))).toBe('ERR_SELF_TEST_FAILED');
      expect(codeOf(() => x.qs_mlkem_encaps(3, pk, seed, ct, ss))).toBe('ERR_SELF_TEST_FAILED');
      const y = selfTestedExports(tampered(raw, 'qs_mlkem_encaps', 3), false);
      expect(y.qs_mlkem_keypair(3, seed, pk, sk)).toBe(0);
      expect(codeOf(() => y.qs_mlkem_encaps(3, pk, seed, ct, ss))).toBe('ERR_SELF_TEST_FAILED');
    });

    it('eager mode and a broken SHA-3 refuse the module at once', async () => {
      const rawDsa = await rawExports(dsa);
      expect(codeOf(() => selfTestedExports(tampered(rawDsa, 'qs_mldsa_sign_msg', 7), true))).toBe(
        'ERR_SELF_TEST_FAILED',
      );
      const rawX = await rawExports(x25519);
      expect(codeOf(() => selfTestedExports(tampered(rawX, 'qs_x25519', 0), true))).toBe('ERR_SELF_TEST_FAILED');
      const raw = await rawExports(kem);
      expect(codeOf(() => selfTestedExports(tampered(raw, 'qs_keccak_oneshot', 3), false))).toBe(
        'ERR_SELF_TEST_FAILED',
      );
      expect(selfTestedExports(raw, true)).toBe(raw);
      expect(selfTestedExports(rawX, true)).toBe(rawX);
    });
  });
}

describe('init({ selfTest })', () => {
  it("'eager' and the default both give working primitives", async () => {
    await init({ force: true, selfTest: 'eager' });
    expect(ml_kem768.keygen(new Uint8Array(64)).publicKey.length).toBe(1184);
    await init({ force: true });
    expect(ml_dsa44.keygen(new Uint8Array(32)).publicKey.length).toBe(1312);
  });
});

describe("self-tests are registered by each family's own code", () => {
  it('a family whose test no code has registered stays gated, even eager, and refuses its first call', async () => {
    // A fresh copy of the self-test module, as in a bundle where the X25519 code has not been loaded yet
    // (a dynamic import still to come): X25519's exports must not run untested.
    vi.resetModules();
    const fresh = await import('../../src/wasm/selftest.js');
    const raw = await rawExports('qsign-x25519-simd.wasm');
    const gated = fresh.selfTestedExports(raw, true);
    expect(gated).not.toBe(raw);
    const out = raw.qs_malloc(32);
    expect(codeOf(() => gated.qs_x25519_base(out, out))).toBe('ERR_SELF_TEST_FAILED');
    // Registered (as src/x25519/index.ts does on import), the same module passes.
    const { X25519_SELF_TEST } = await import('../../src/x25519/selftest.js');
    fresh.registerSelfTest(X25519_SELF_TEST);
    expect(fresh.selfTestedExports(raw, true)).toBe(raw);
    expect(typeof x25519Raw).toBe('function');
  });
});
