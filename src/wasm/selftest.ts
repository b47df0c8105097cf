import { QsignError } from '../errors.js';
import { KeccakKind, type QsignExports } from './exports.js';
import { withOwnHeap } from './heap.js';

/*
 * Self-tests in the spirit of FIPS 140-3: one known answer per algorithm
 * family, run on the raw exports, so a miscompiled or corrupted build is
 * refused rather than used. SHA-3 is tested when its module is instantiated; each other family
 * before its first use (FIPS 140-3 lets a cryptographic algorithm self-test
 * run at any time before the algorithm's first use), because testing all of
 * them up front doubled the cold start of an app that needs one; ML-KEM's
 * test runs in stages (keygen, encaps, decaps), each before the first use of
 * the functions that need it. With
 * init({ selfTest: 'eager' }) everything runs in init().
 */

/** Every KAT's buffers fit this; it comes from the C heap, not the arena the caller may be filling. */
export const KAT_HEAP_BYTES = 16 * 1024;

// Compares digest bytes with the expected hex pair by pair: building hex
// strings cost ~1 ms of cold start in unoptimized code.
export function expectHex(name: string, got: Uint8Array, want: string): void {
  let ok = got.length * 2 === want.length;
  for (let i = 0; ok && i < got.length; i++) ok = parseInt(want.slice(2 * i, 2 * i + 2), 16) === got[i];
  if (!ok) throw new QsignError('ERR_SELF_TEST_FAILED', `${name} known-answer test failed`);
}

/** SHA3-256("abc") and SHAKE128 of 200 bytes 0..199 (FIPS 202 examples / hashlib). */
function keccakKat(x: QsignExports): void {
  withOwnHeap(x, KAT_HEAP_BYTES, (h) => {
    const abc = h.put(new Uint8Array([0x61, 0x62, 0x63]));
    const out = h.alloc(32);
    h.x.qs_keccak_oneshot(KeccakKind.SHA3_256, abc, 3, out, 32);
    expectHex('SHA3-256', h.read(out, 32), '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532');
  });
}

/**
 * A family's known-answer test, registered by that family's own code (src/kem/mlkem-selftest.ts,
 * src/sig/mldsa-selftest.ts, src/x25519/selftest.ts), as its module source is: a bundle carries the tests of
 * the families it uses, no others (the edge JWT verifier no ML-KEM or X25519 test).
 */
export interface FamilySelfTest {
  /** The family's name, as in {@link GATED}. */
  name: FamilyName;
  /** Runs the family's known answers up to `stage` (all without one). */
  kat: (x: QsignExports, stage?: number) => void;
  /** The stage an export needs (1 when absent). */
  stageOf?: (name: string) => number;
}

type FamilyName = 'ML-KEM' | 'ML-DSA' | 'X25519';

/**
 * The families gated behind a self-test, by the exports they own (name prefix) and one only they have. Listed
 * here, not only registered, so a module's family is gated even when no code has registered its test yet (a
 * module serving several families, instantiated before a later dynamic import brings the family's code): its
 * first call then finds the test, or fails.
 */
const GATED: ReadonlyArray<{ name: FamilyName; prefix: string; marker: string }> = [
  { name: 'ML-KEM', prefix: 'qs_mlkem_', marker: 'qs_mlkem_keypair' },
  { name: 'ML-DSA', prefix: 'qs_mldsa_', marker: 'qs_mldsa_keypair' },
  { name: 'X25519', prefix: 'qs_x25519', marker: 'qs_x25519' },
];

const registered = new Map<FamilyName, FamilySelfTest>();

/** @internal Called once by each family's code with its known-answer test. */
export function registerSelfTest(test: FamilySelfTest): void {
  if (!registered.has(test.name)) registered.set(test.name, test);
}

/** The family's registered test; none is a failure (only the family's own code calls its exports, and registers). */
function testOf(name: FamilyName): FamilySelfTest {
  const t = registered.get(name);
  if (!t) throw new Error(`no ${name} known-answer test is registered`);
  return t;
}

function failure(what: string, cause: unknown): QsignError {
  return new QsignError('ERR_SELF_TEST_FAILED', `${what} self-test failed (${(cause as Error)?.message ?? cause}); the wasm build is corrupt or miscompiled`, { cause });
}

/**
 * Tests SHA-3 now (in a module that has it: each family module is its own
 * instance) and returns the exports the rest of the SDK calls: with
 * `eager`, the raw exports after every family the module has and whose test is registered has passed (one
 * not yet registered stays gated); otherwise a copy whose
 * functions of each untested family first run that family's KAT, then hand
 * the family over to the raw exports (no cost after the first call). A
 * family that fails stays failed: every later call throws the same error.
 */
export function selfTestedExports(raw: QsignExports, eager: boolean): QsignExports {
  const has = (name: string): boolean => typeof (raw as unknown as Record<string, unknown>)[name] === 'function';
  if (has('qs_keccak_oneshot')) {
    try { keccakKat(raw); } catch (cause) { throw failure('SHA-3', cause); }
  }
  const present = GATED.filter((g) => has(g.marker));
  if (eager) {
    for (const f of present.filter((g) => registered.has(g.name))) {
      try { testOf(f.name).kat(raw); } catch (cause) { throw failure(f.name, cause); }
    }
    if (present.every((g) => registered.has(g.name))) return raw;
  }
  const gated: Record<string, unknown> = { ...raw };
  const source = raw as unknown as Record<string, unknown>;
  for (const f of present) {
    if (eager && registered.has(f.name)) continue; // passed above
    const names = Object.keys(source).filter((n) => n.startsWith(f.prefix) && typeof source[n] === 'function');
    const stageOf = (n: string): number => registered.get(f.name)?.stageOf?.(n) ?? 1;
    let failed: QsignError | undefined;
    let passed = 0;
    const gate = (n: string): void => {
      const fn = source[n] as (...a: number[]) => number;
      gated[n] = (...args: number[]) => { firstUse(stageOf(n)); return fn(...args); };
    };
    const firstUse = (stage: number): void => {
      if (failed) throw failed;
      if (passed < stage) {
        try { testOf(f.name).kat(raw, stage); } catch (cause) {
          failed = failure(f.name, cause);
          for (const n of names) gate(n); // a later stage failing takes back what an earlier one handed over
          throw failed;
        }
        passed = stage;
      }
      for (const n of names) if (stageOf(n) <= passed) gated[n] = source[n];
    };
    for (const n of names) gate(n);
  }
  return gated as unknown as QsignExports;
}
