// ML-KEM cross-checks beyond the fixed vectors: byte-for-byte agreement with
// @noble/post-quantum on random inputs, interop with liboqs (@oqs/liboqs-js),
// a SIMD-vs-scalar differential on the raw exports (including inputs the
// public API never produces) and heap stability. Secret residue in wasm
// memory: test/conformance/residue.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { randomBytes, randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as noble from '@noble/post-quantum/ml-kem.js';
import { createMLKEM512, createMLKEM768, createMLKEM1024 } from '@oqs/liboqs-js';
import { init, getExports } from '../../src/wasm/loader.js';
import { ml_kem512, ml_kem768, ml_kem1024, kem } from '../../src/kem/index.js';
import { QsignError } from '../../src/errors.js';

const SETS = [
  { ours: ml_kem512, theirs: noble.ml_kem512, k: 2, oqs: createMLKEM512 },
  { ours: ml_kem768, theirs: noble.ml_kem768, k: 3, oqs: createMLKEM768 },
  { ours: ml_kem1024, theirs: noble.ml_kem1024, k: 4, oqs: createMLKEM1024 },
] as const;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const rnd = (n: number) => new Uint8Array(randomBytes(n));

function tamper(ct: Uint8Array): Uint8Array {
  const bad = ct.slice();
  if (randomInt(4) === 0) return rnd(ct.length); // an unrelated ciphertext
  bad[randomInt(bad.length)]! ^= 1 << randomInt(8); // one flipped bit
  return bad;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof QsignError ? e.code : `not a QsignError: ${e}`;
  }
  return undefined;
}

beforeAll(async () => {
  await init({ force: true });
});

describe('ML-KEM vs @noble/post-quantum, random inputs', () => {
  for (const { ours, theirs } of SETS) {
    it(`${ours.name}: keygen, encaps, decaps and implicit rejection agree on 700 random cases`, () => {
      for (let i = 0; i < 700; i++) {
        const seed = rnd(64),
          m = rnd(32);
        const a = ours.keygen(seed),
          b = theirs.keygen(seed);
        expect(hex(a.publicKey), `seed ${hex(seed)}`).toBe(hex(b.publicKey));
        expect(hex(a.secretKey), `seed ${hex(seed)}`).toBe(hex(b.secretKey));
        const ea = ours.encapsulate(a.publicKey, m),
          eb = theirs.encapsulate(b.publicKey, m);
        expect(hex(ea.cipherText), `m ${hex(m)}`).toBe(hex(eb.cipherText));
        expect(hex(ea.sharedSecret)).toBe(hex(eb.sharedSecret));
        expect(hex(ours.decapsulate(ea.cipherText, a.secretKey))).toBe(hex(ea.sharedSecret));
        const bad = tamper(ea.cipherText);
        const ra = ours.decapsulate(bad, a.secretKey);
        expect(hex(ra), `tampered ct for seed ${hex(seed)}`).toBe(hex(theirs.decapsulate(bad, b.secretKey)));
        expect(hex(ra)).not.toBe(hex(ea.sharedSecret));
      }
    });
  }

  it('random (unseeded) calls round-trip and never repeat', () => {
    const seen = new Set<string>();
    for (const { ours } of SETS) {
      for (let i = 0; i < 50; i++) {
        const { publicKey, secretKey } = ours.keygen();
        const { cipherText, sharedSecret } = ours.encapsulate(publicKey);
        expect(hex(ours.decapsulate(cipherText, secretKey))).toBe(hex(sharedSecret));
        expect(hex(ours.getPublicKey(secretKey))).toBe(hex(publicKey));
        seen.add(hex(publicKey));
        seen.add(hex(sharedSecret));
      }
    }
    expect(seen.size).toBe(300);
  });
});

describe('ML-KEM interop with liboqs (@oqs/liboqs-js)', () => {
  for (const { ours, oqs } of SETS) {
    it(`${ours.name}: liboqs keys <-> our ciphertexts, and the same implicit-rejection key`, async () => {
      const lib = await oqs();
      try {
        for (let i = 0; i < 40; i++) {
          // liboqs keys, our encapsulation, liboqs decapsulation
          const theirs = lib.generateKeyPair();
          expect(hex(ours.getPublicKey(theirs.secretKey))).toBe(hex(theirs.publicKey));
          const e = ours.encapsulate(theirs.publicKey);
          expect(hex(lib.decapsulate(e.cipherText, theirs.secretKey))).toBe(hex(e.sharedSecret));
          // our keys, liboqs encapsulation, our decapsulation
          const mine = ours.keygen();
          const f = lib.encapsulate(mine.publicKey);
          expect(hex(ours.decapsulate(f.ciphertext, mine.secretKey))).toBe(hex(f.sharedSecret));
          // both sides derive the same J(z‖c) for a ciphertext that was not made for the key
          const bad = tamper(f.ciphertext);
          expect(hex(ours.decapsulate(bad, mine.secretKey))).toBe(hex(lib.decapsulate(bad, mine.secretKey)));
        }
      } finally {
        lib.destroy();
      }
    });
  }
});

describe('ML-KEM API contract', () => {
  it('objects are frozen and shaped like noble (lengths, info, methods)', () => {
    for (const { ours, theirs } of SETS) {
      expect(Object.isFrozen(ours)).toBe(true);
      expect(Object.isFrozen(ours.lengths)).toBe(true);
      for (const [key, value] of Object.entries(theirs.lengths))
        expect((ours.lengths as unknown as Record<string, number>)[key], key).toBe(value);
      expect(ours.lengths.sharedSecret).toBe(32);
      expect(ours.info.type).toBe(theirs.info!.type);
      for (const key of Object.keys(theirs))
        expect(typeof (ours as unknown as Record<string, unknown>)[key], key).toBe(
          typeof (theirs as unknown as Record<string, unknown>)[key],
        );
    }
  });

  it('kem(name) resolves FIPS, liboqs and Kyber-era aliases, and rejects others', () => {
    expect(kem('ML-KEM-768')).toBe(ml_kem768);
    expect(kem('kyber768')).toBe(ml_kem768);
    expect(kem('Kyber1024')).toBe(ml_kem1024);
    expect(kem('mlkem512')).toBe(ml_kem512);
    expect(kem('ml_kem1024')).toBe(ml_kem1024);
    expect(codeOf(() => kem('ML-DSA-65'))).toBe('ERR_UNKNOWN_ALGORITHM');
    expect(codeOf(() => kem('kyber999'))).toBe('ERR_UNKNOWN_ALGORITHM');
  });

  it('bad input gets a typed error naming what to fix', () => {
    const { publicKey, secretKey } = ml_kem768.keygen();
    const { cipherText } = ml_kem768.encapsulate(publicKey);
    expect(codeOf(() => ml_kem768.keygen(new Uint8Array(63)))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => ml_kem768.keygen('seed' as unknown as Uint8Array))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => ml_kem768.encapsulate(publicKey, new Uint8Array(31)))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => ml_kem768.encapsulate(publicKey.subarray(1)))).toBe('ERR_INVALID_PUBLIC_KEY');
    expect(codeOf(() => ml_kem768.encapsulate([...publicKey] as unknown as Uint8Array))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => ml_kem768.encapsulate(ml_kem512.keygen().publicKey))).toBe('ERR_INVALID_PUBLIC_KEY');
    const unreduced = publicKey.slice();
    unreduced[0] = 0xff;
    unreduced[1]! |= 0x0f; // first coefficient = 4095 >= q
    expect(codeOf(() => ml_kem768.encapsulate(unreduced))).toBe('ERR_INVALID_PUBLIC_KEY');
    expect(codeOf(() => ml_kem768.decapsulate(cipherText.subarray(0, 1087), secretKey))).toBe(
      'ERR_INVALID_CIPHERTEXT_LENGTH',
    );
    expect(codeOf(() => ml_kem768.decapsulate(cipherText, secretKey.subarray(0, 2399)))).toBe('ERR_INVALID_SECRET_KEY');
    expect(codeOf(() => ml_kem768.decapsulate(null as unknown as Uint8Array, secretKey))).toBe('ERR_INVALID_ARGUMENT');
    const badHash = secretKey.slice();
    badHash[2400 - 64]! ^= 1; // H(ek)
    expect(codeOf(() => ml_kem768.decapsulate(cipherText, badHash))).toBe('ERR_INVALID_SECRET_KEY');
    expect(codeOf(() => ml_kem768.getPublicKey(badHash))).toBe('ERR_INVALID_SECRET_KEY');
    try {
      ml_kem768.keygen(new Uint8Array(10));
    } catch (e) {
      expect((e as Error).message).toMatch(/64 bytes/);
    }
  });

  it("prepare(publicKey) matches noble's prepare and the one-shot calls", () => {
    for (const { ours, theirs } of SETS) {
      const seed = rnd(64),
        m = rnd(32);
      const { publicKey, secretKey } = ours.keygen(seed);
      const prepared = ours.prepare(publicKey);
      const a = prepared.encapsulate(m);
      const b = theirs.prepare(theirs.keygen(seed).publicKey).encapsulate(m);
      expect(hex(a.cipherText)).toBe(hex(b.cipherText));
      expect(hex(a.sharedSecret)).toBe(hex(ours.encapsulate(publicKey, m).sharedSecret));
      expect(hex(prepared.decapsulate(a.cipherText, secretKey))).toBe(hex(a.sharedSecret));
      expect(codeOf(() => prepared.decapsulate(a.cipherText, ours.keygen().secretKey))).toBe('ERR_INVALID_SECRET_KEY');
      prepared.clean();
      expect(codeOf(() => prepared.encapsulate())).toBe('ERR_DESTROYED');
      const unreduced = publicKey.slice();
      unreduced[0] = 0xff;
      unreduced[1]! |= 0x0f;
      expect(codeOf(() => ours.prepare(unreduced))).toBe('ERR_INVALID_PUBLIC_KEY');
    }
  });

  it('inputs are not modified and outputs do not alias wasm memory', () => {
    const seed = rnd(64),
      copy = seed.slice();
    const a = ml_kem768.keygen(seed);
    expect(hex(seed)).toBe(hex(copy));
    const b = ml_kem768.keygen(seed);
    a.publicKey.fill(0);
    expect(hex(b.publicKey)).not.toBe(hex(a.publicKey));
    expect(a.publicKey.buffer).not.toBe(getExports('ml-kem').memory.buffer);
  });
});

// ---- raw-export differential: SIMD128 build vs scalar build ----

/** The raw ML-KEM exports of one instance (see src/wasm/exports.ts). */
interface RawExports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  qs_malloc(n: number): number;
  qs_mlkem_keypair(k: number, seed: number, pk: number, sk: number): number;
  qs_mlkem_encaps(k: number, pk: number, m: number, ct: number, ss: number): number;
  qs_mlkem_decaps(k: number, sk: number, ct: number, ss: number): number;
}

interface Raw {
  x: RawExports;
  mem: () => Uint8Array;
  buf: { seed: number; pk: number; sk: number; ct: number; m: number; ss: number };
}

async function raw(file: string): Promise<Raw> {
  const bytes = readFileSync(fileURLToPath(new URL(`../../wasm/${file}`, import.meta.url)));
  const { instance } = await WebAssembly.instantiate(bytes, {});
  const x = instance.exports as unknown as RawExports;
  x._initialize();
  const buf = {
    seed: x.qs_malloc(64),
    pk: x.qs_malloc(1568),
    sk: x.qs_malloc(3168),
    ct: x.qs_malloc(1568),
    m: x.qs_malloc(32),
    ss: x.qs_malloc(32),
  };
  return { x, mem: () => new Uint8Array(x.memory.buffer), buf };
}

type Op =
  | { op: 'keypair'; k: number; seed: Uint8Array }
  | { op: 'encaps'; k: number; pk: Uint8Array; m: Uint8Array }
  | { op: 'decaps'; k: number; sk: Uint8Array; ct: Uint8Array };

function run(r: Raw, o: Op): string {
  const { x, mem, buf } = r;
  const pkLen = 384 * o.k + 32,
    skLen = 768 * o.k + 96,
    ctLen = o.k === 4 ? 1568 : 32 * (10 * o.k + 4);
  mem().fill(0xaa, buf.ss, buf.ss + 32);
  if (o.op === 'keypair') {
    mem().set(o.seed, buf.seed);
    const rc = x.qs_mlkem_keypair(o.k, buf.seed, buf.pk, buf.sk);
    return `${rc}:${hex(mem().slice(buf.pk, buf.pk + pkLen))}:${hex(mem().slice(buf.sk, buf.sk + skLen))}`;
  }
  if (o.op === 'encaps') {
    mem().set(o.pk, buf.pk);
    mem().set(o.m, buf.m);
    mem().fill(0, buf.ct, buf.ct + ctLen);
    const rc = x.qs_mlkem_encaps(o.k, buf.pk, buf.m, buf.ct, buf.ss);
    return `${rc}:${hex(mem().slice(buf.ct, buf.ct + ctLen))}:${hex(mem().slice(buf.ss, buf.ss + 32))}`;
  }
  mem().set(o.sk, buf.sk);
  mem().set(o.ct, buf.ct);
  const rc = x.qs_mlkem_decaps(o.k, buf.sk, buf.ct, buf.ss);
  return `${rc}:${hex(mem().slice(buf.ss, buf.ss + 32))}`;
}

/** An encoding of k·256 12-bit values, each drawn by `coeff`. */
function encode12(k: number, coeff: () => number): Uint8Array {
  const out = new Uint8Array(384 * k);
  for (let i = 0; i < 128 * k; i++) {
    const a = coeff(),
      b = coeff();
    out[3 * i] = a & 0xff;
    out[3 * i + 1] = (a >> 8) | ((b & 0x0f) << 4);
    out[3 * i + 2] = b >> 4;
  }
  return out;
}

describe('SIMD128 build vs scalar build, every output byte', () => {
  let simd: Raw, scalar: Raw;
  beforeAll(async () => {
    simd = await raw('qsign-mlkem-simd.wasm');
    scalar = await raw('qsign-mlkem-scalar.wasm');
  });

  it('agree on 6000 random and adversarial operations', () => {
    const edge = () => [0, 1, 2, 1664, 1665, 3327, 3328][randomInt(7)]!;
    let compared = 0,
      rejected = 0;
    for (let i = 0; i < 1000; i++) {
      for (const k of [2, 3, 4]) {
        const seed = rnd(64);
        const kp: Op = { op: 'keypair', k, seed };
        const kpOut = run(simd, kp);
        expect(run(scalar, kp)).toBe(kpOut);
        const [, pkHex, skHex] = kpOut.split(':');
        const pk = Buffer.from(pkHex!, 'hex'),
          sk = new Uint8Array(Buffer.from(skHex!, 'hex'));
        // encaps to a real key, and to a synthetic key whose coefficients sit at the edges of [0, q)
        const synth = new Uint8Array([...encode12(k, edge), ...rnd(32)]);
        for (const key of [new Uint8Array(pk), synth]) {
          const en: Op = { op: 'encaps', k, pk: key, m: rnd(32) };
          const enOut = run(simd, en);
          expect(run(scalar, en), `encaps k=${k}`).toBe(enOut);
          expect(enOut.startsWith('0:')).toBe(true);
        }
        // decaps of a random ciphertext (implicit rejection path)
        const ctLen = k === 4 ? 1568 : 32 * (10 * k + 4);
        const de: Op = { op: 'decaps', k, sk, ct: rnd(ctLen) };
        expect(run(scalar, de)).toBe(run(simd, de));
        // a dk whose dk_PKE holds unreduced 12-bit values (only H(ek) is checked), so
        // both builds must reduce them identically before the NTT arithmetic
        const wild = sk.slice();
        wild.set(
          encode12(k, () => randomInt(4096)),
          0,
        );
        const dw: Op = { op: 'decaps', k, sk: wild, ct: rnd(ctLen) };
        expect(run(scalar, dw)).toBe(run(simd, dw));
        // a dk failing the hash check: both refuse, and leave ss zeroed
        const broken = sk.slice();
        broken[768 * k + 32]! ^= 0x40;
        const db: Op = { op: 'decaps', k, sk: broken, ct: rnd(ctLen) };
        const dbOut = run(simd, db);
        expect(dbOut).toBe(`-2:${'00'.repeat(32)}`);
        expect(run(scalar, db)).toBe(dbOut);
        rejected++;
        compared += 6;
      }
    }
    expect(compared).toBe(18000);
    expect(rejected).toBe(3000);
  });
});

describe('wasm memory hygiene', () => {
  it('heap use stays flat over 100k operations (no leak, no growth)', () => {
    const x = getExports('ml-kem');
    const before = x.memory.buffer.byteLength;
    const probe = x.qs_malloc(256 * 1024);
    x.qs_free(probe);
    const kp = ml_kem768.keygen();
    const ct = ml_kem768.encapsulate(kp.publicKey).cipherText;
    const badPk = kp.publicKey.slice();
    badPk[0] = 0xff;
    badPk[1]! |= 0x0f;
    let ops = 0;
    for (let i = 0; i < 25_000; i++) {
      ml_kem512.keygen();
      ml_kem768.encapsulate(kp.publicKey);
      ml_kem768.decapsulate(ct, kp.secretKey);
      try {
        ml_kem768.encapsulate(badPk);
      } catch {
        /* counted: failures must not leak either */
      }
      ops += 4;
    }
    expect(ops).toBe(100_000);
    expect(x.memory.buffer.byteLength).toBe(before);
    // the allocator hands back the same block: nothing was left allocated in between
    const again = x.qs_malloc(256 * 1024);
    expect(again).toBe(probe);
    x.qs_free(again);
  });

  // Secret residue in wasm memory is checked by the differential test in
  // test/conformance/residue.test.ts (every export, both builds, every runtime).
});
