/*
 * Differential residue test (security review issue 18, item 1).
 *
 * Looking for a secret's own bytes in wasm memory cannot see values derived
 * from it: the review read 512·(tᵀy) mod q out of a spilled SIMD vector array
 * and recovered the ML-KEM shared secret from it. So this test compares whole
 * memories instead. Each secret-handling operation runs twice with the same
 * public inputs and different secrets (seed, m, signing randomness, secret
 * key, hash input), and the ENTIRE linear memory (data, shadow stack, heap) is
 * snapshotted after each call. Every call copies its outputs out and wipes
 * what it used, and allocates the same sizes both times, so the two snapshots
 * must be byte-identical; any byte that differs depends on a secret and is
 * residue. The JS random pool and JS objects live outside wasm memory.
 *
 * Each family (ML-KEM, ML-DSA, X25519, SHA-3 alone) is a wasm module of its
 * own (src/wasm/loader.ts): a snapshot is every module's memory, so a residue
 * in any of them shows, and the report names the module.
 *
 * The conformance runners execute this file in every runtime, on the SIMD128
 * and on the scalar build (vitest: test/conformance/node20-simd.vitest.ts and
 * test/conformance/node20-scalar.vitest.ts; browsers and the rest:
 * test/runners/*.mjs).
 */
import { describe, it, expect } from '../helpers/harness.js';
import {
  init,
  backend,
  ml_kem512,
  ml_kem768,
  ml_kem1024,
  ml_dsa44,
  ml_dsa65,
  ml_dsa87,
  hashml_dsa65,
  sha3_224,
  sha3_256,
  sha3_384,
  sha3_512,
  shake128,
  shake256,
} from '../../src/index.js';
import { xwing, x25519mlkem768, suite, setupBaseS, setupBaseR, deriveKeyPair } from '../../src/hybrid/index.js';
import type { SuiteSpec } from '../../src/hybrid/index.js';
import { x25519Base, x25519Raw } from '../../src/x25519/index.js';
import { getExports, type WasmFamily } from '../../src/wasm/loader.js';
import { slhDsaExports } from '../../src/wasm/slhdsa-loader.js';
import { withHeap, type Heap } from '../../src/wasm/heap.js';
import { KeccakKind, type QsignExports } from '../../src/wasm/exports.js';
import { Keyring, memoryStore, masterKeyFromBytes } from '../../src/transit/index.js';
import { importRaw, SignJWT } from '../../src/jose/index.js';
import { decodePKCS8, encodePKCS8, generateKey } from '../../src/x509/index.js';

/** Shadow stack size, `-sTOTAL_STACK` in scripts/build-wasm.mjs. */
const STACK_BYTES = 512 * 1024;
/** Differing bytes closer than this are reported as one region. */
const MERGE_GAP = 32;

/** Deterministic bytes (xorshift32), so a failure names the same offsets on every run. */
function bytes(n: number, seed: number): Uint8Array {
  let s = (seed * 0x9e3779b1) >>> 0 || 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s & 0xff;
  }
  return out;
}

/** Three secrets of `n` bytes: [0] and [1] are compared, [2] warms up (first-use self-tests, lazy state). */
function secrets(n: number, tag: number): [Uint8Array, Uint8Array, Uint8Array] {
  return [bytes(n, tag * 3 + 1), bytes(n, tag * 3 + 2), bytes(n, tag * 3 + 3)];
}

/** One module per family; SHA-3 may share the ML-KEM or ML-DSA module. */
interface Module {
  family: WasmFamily;
  x: QsignExports & { stackSave(): number };
}
const FAMILIES: readonly WasmFamily[] = ['ml-kem', 'ml-dsa', 'x25519', 'sha3'];

/**
 * Every family's module, each once (instantiating those not loaded yet), and the SLH-DSA module while a check
 * made by {@link checkWithSlhDsa} runs (it has a module of its own, outside the families).
 */
let withSlhDsa = false;
function modules(): Module[] {
  const out: Module[] = [];
  for (const family of FAMILIES) {
    const x = getExports(family) as Module['x'];
    if (!out.some((m) => m.x === x)) out.push({ family, x });
  }
  if (withSlhDsa) out.push({ family: 'slh-dsa' as WasmFamily, x: slhDsaExports() as unknown as Module['x'] });
  return out;
}

/** All modules' memories, one after another. */
function snapshot(): Uint8Array {
  const mems = modules().map((m) => new Uint8Array(m.x.memory.buffer));
  const out = new Uint8Array(mems.reduce((n, m) => n + m.length, 0));
  let at = 0;
  for (const m of mems) {
    out.set(m, at);
    at += m.length;
  }
  return out;
}

/** Puts every module's memory back as in `snap` (from {@link snapshot}). */
function restore(snap: Uint8Array): void {
  let at = 0;
  for (const { x } of modules()) {
    const m = new Uint8Array(x.memory.buffer);
    m.set(snap.subarray(at, at + m.length));
    at += m.length;
  }
}

/** Where a snapshot offset lies: the module, and the stack by its depth below the idle stack pointer. */
function place(off: number): string {
  for (const { family, x } of modules()) {
    const len = x.memory.buffer.byteLength;
    if (off >= len) {
      off -= len;
      continue;
    }
    if (typeof x.stackSave !== 'function') return `${family} +${off}`;
    const stackTop = x.stackSave();
    if (off >= stackTop) return `${family} heap+${off - stackTop}`;
    if (off >= stackTop - STACK_BYTES) return `${family} stack SP-${stackTop - off}`;
    return `${family} data ${off}`;
  }
  return `beyond every module (${off})`;
}

/** Regions where `a` and `b` differ, merged across small gaps; empty when identical. */
export function residueRegions(a: Uint8Array, b: Uint8Array): { start: number; end: number; bytes: number }[] {
  const regions: { start: number; end: number; bytes: number }[] = [];
  if (a.length !== b.length)
    return [{ start: Math.min(a.length, b.length), end: Math.max(a.length, b.length), bytes: -1 }];
  // Compare 32-bit words first: the common case is millions of equal bytes.
  const wa = new Uint32Array(a.buffer, a.byteOffset, a.length >>> 2);
  const wb = new Uint32Array(b.buffer, b.byteOffset, b.length >>> 2);
  for (let w = 0; w < wa.length; w++) {
    if (wa[w] === wb[w]) continue;
    for (let i = w * 4; i < w * 4 + 4; i++) {
      if (a[i] === b[i]) continue;
      const last = regions[regions.length - 1];
      if (last && i - last.end < MERGE_GAP) {
        last.end = i + 1;
        last.bytes++;
      } else regions.push({ start: i, end: i + 1, bytes: 1 });
    }
  }
  return regions;
}

function describeRegions(regions: { start: number; end: number; bytes: number }[]): string {
  const total = regions.reduce((n, r) => n + r.bytes, 0);
  const shown = regions
    .slice(0, 16)
    .map((r) => `[${r.start}, ${r.end}) ${place(r.start)} (${r.end - r.start} B span, ${r.bytes} B differ)`);
  return `${total} bytes differ in ${regions.length} region(s): ${shown.join('; ')}${regions.length > 16 ? '; …' : ''}`;
}

type Op = (i: 0 | 1 | 2) => unknown;

/** Byte ranges [start, end) of a snapshot that hold public data a run legitimately leaves behind. */
type PublicState = (snap: Uint8Array) => [number, number][];

/**
 * Runs `op` with secret 2 (warm-up: first-use self-tests, lazy state), takes
 * the memory as it then is, runs secret 0 and snapshots, puts the memory back
 * exactly as it was, runs secret 1 and snapshots. Both runs start from the
 * same bytes (allocator state, caches and their counters included), so the
 * snapshots may differ only through the secret. `publicState` names ranges
 * holding public values that differ because the public outputs differ
 * (ML-DSA keygen's cached A-hat of the new ρ); they are blanked in both
 * snapshots. A difference must show up on two attempts: a real residue always
 * does, while a collector task (a FinalizationRegistry freeing some earlier
 * test's hash state) slipping between two awaits of an async operation does not.
 */
async function residueOf(name: string, op: Op, publicState?: PublicState): Promise<string | undefined> {
  await op(2);
  let report = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    const start = snapshot();
    await op(0);
    const a = snapshot();
    restore(start);
    await op(1);
    const b = snapshot();
    for (const snap of publicState ? [a, b] : []) {
      for (const [from, to] of publicState!(snap)) {
        a.fill(0, from, to);
        b.fill(0, from, to);
      }
    }
    const regions = residueRegions(a, b);
    if (regions.length === 0) return undefined;
    report = `${name} (${backend()} build) leaves secret-dependent bytes in wasm memory: ${describeRegions(regions)}`;
  }
  return report;
}

/** Runs `fn`, which must throw a QsignError with `code`. */
function expectCode(fn: () => unknown, code: string): void {
  let got = 'no error';
  try {
    fn();
  } catch (e) {
    got = String((e as { code?: unknown }).code ?? e);
  }
  if (got !== code) throw new Error(`expected ${code}, got ${got}`);
}

let reports: string[] = [];

/** Checks one operation; the enclosing {@link residueIt} fails listing every leaky one. */
async function check(name: string, op: Op, publicState?: PublicState): Promise<void> {
  const r = await residueOf(name, op, publicState);
  if (r !== undefined) reports.push(r);
}

/** {@link check} with the SLH-DSA module's memory looked at too (it has a module of its own). */
async function checkWithSlhDsa(name: string, op: Op): Promise<void> {
  withSlhDsa = true;
  try {
    await check(name, op);
  } finally {
    withSlhDsa = false;
  }
}

/** A test of several operations: all are checked, so one run names every leaky one. */
function residueIt(name: string, fn: () => Promise<void>): void {
  it(name, async () => {
    reports = [];
    await init();
    await fn();
    const found = reports;
    reports = [];
    if (found.length) throw new Error(found.join('\n'));
  });
}

/**
 * ML-DSA expanded keys that share their public part: ρ (bytes 0..32, the
 * seed of A-hat, published in pk) and tr (64..128, H(pk)) of key 0, with
 * each key's own secret K, s1, s2 and t0. Signing with them is "same public
 * inputs, different secrets"; with their own ρ the runs would legitimately
 * differ in the public A-hat cache (native/mldsa/sign.c).
 */
function samePublicPart<T extends { publicKey: Uint8Array; secretKey: Uint8Array }>(keys: T[]): T[] {
  const first = keys[0]!;
  return keys.map((k) => {
    const secretKey = k.secretKey.slice();
    secretKey.set(first.secretKey.subarray(0, 32), 0);
    secretKey.set(first.secretKey.subarray(64, 128), 64);
    return { ...k, publicKey: first.publicKey, secretKey };
  });
}

/** ML-DSA (k, l) by level. */
const DIMS = { 44: [4, 4], 65: [6, 5], 87: [8, 7] } as const;
/** Bytes of A-hat in one cache slot: K_MAX·L_MAX polynomials of 256 int32 (native/mldsa/sign.c a_cache_slot). */
const A_HAT_SLOT_BYTES = 8 * 7 * 256 * 4;

/**
 * The public state ML-DSA keygen leaves: the A-hat cache slot of each new
 * key's ρ (A-hat, ρ, k, l and its LRU stamp, all functions of the published ρ
 * and of the call sequence). A slot is found by its ρ followed by this
 * level's (k, l), which is how native/mldsa/sign.c lays out a_cache_slot.
 */
function aHatCacheSlots(level: 44 | 65 | 87, publicKeys: Uint8Array[]): PublicState {
  const [k, l] = DIMS[level];
  return (snap) => {
    const out: [number, number][] = [];
    const words = new DataView(snap.buffer, snap.byteOffset, snap.byteLength);
    for (const pk of publicKeys) {
      const rho = pk.subarray(0, 32);
      for (let at = snap.indexOf(rho[0]!); at !== -1; at = snap.indexOf(rho[0]!, at + 1)) {
        if (at < A_HAT_SLOT_BYTES || at + 48 > snap.length) continue;
        let j = 1;
        while (j < 32 && snap[at + j] === rho[j]) j++;
        if (j < 32 || words.getInt32(at + 32, true) !== k || words.getInt32(at + 36, true) !== l) continue;
        out.push([at - A_HAT_SLOT_BYTES, at + 48]);
      }
    }
    return out;
  };
}

const msg = bytes(100, 9001);
const ctx = bytes(7, 9002);

describe('residue: two runs with different secrets leave identical wasm memory', () => {
  residueIt(
    'the comparison sees one secret-dependent byte on the stack of each module (positive control)',
    async () => {
      for (const family of ['ml-kem', 'ml-dsa', 'x25519'] as const) {
        const x = getExports(family) as unknown as { stackSave(): number; memory: WebAssembly.Memory };
        const below = x.stackSave() - 4000; // inside the free part of the shadow stack
        const plant = (v: number) => {
          new Uint8Array(x.memory.buffer)[below] = v;
        };
        let caught = '';
        try {
          caught = (await residueOf('control', (i) => plant(0x10 + i))) ?? '';
        } finally {
          plant(0);
        }
        expect(caught).toMatch(
          new RegExp(`1 bytes differ in 1 region\\(s\\): \\[\\d+, \\d+\\) ${family} stack SP-4000`),
        );
      }
    },
  );

  for (const kem of [ml_kem512, ml_kem768, ml_kem1024]) {
    residueIt(
      `${kem.name} keygen, encapsulate, decapsulate (success and implicit rejection), getPublicKey`,
      async () => {
        const seeds = secrets(64, 1);
        const ms = secrets(32, 2);
        const keys = seeds.map((s) => kem.keygen(s));
        const { publicKey } = keys[0]!;
        const { cipherText } = kem.encapsulate(publicKey, bytes(32, 3));
        await check(`${kem.name} keygen`, (i) => kem.keygen(seeds[i]));
        await check(`${kem.name} encapsulate`, (i) => kem.encapsulate(publicKey, ms[i]));
        // Key 0 decapsulates `cipherText` properly, key 1 takes implicit rejection:
        // the two paths must also leave the same memory.
        await check(`${kem.name} decapsulate`, (i) => kem.decapsulate(cipherText, keys[i]!.secretKey));
        await check(`${kem.name} getPublicKey`, (i) => kem.getPublicKey(keys[i]!.secretKey));
        // A dk whose H(ek) check fails is refused before any secret arithmetic,
        // but z and dk_PKE have been read by then.
        const broken = keys.map((k) => {
          const sk = k.secretKey.slice();
          sk[sk.length - 33]! ^= 1; // last byte of H(ek)
          return sk;
        });
        await check(`${kem.name} decapsulate with a dk failing the hash check`, (i) =>
          expectCode(() => kem.decapsulate(cipherText, broken[i]!), 'ERR_INVALID_SECRET_KEY'),
        );
      },
    );
  }

  for (const dsa of [ml_dsa44, ml_dsa65, ml_dsa87]) {
    residueIt(
      `${dsa.name} keygen, sign (hedged, deterministic, streaming, external μ, internal), getPublicKey`,
      async () => {
        const seeds = secrets(32, 10);
        const rnds = secrets(32, 11);
        const generated = seeds.map((s) => dsa.keygen(s));
        const keys = samePublicPart(generated);
        const mu = dsa.computeMu(keys[0]!.publicKey, msg, { context: ctx });
        await check(
          `${dsa.name} keygen`,
          (i) => dsa.keygen(seeds[i]),
          aHatCacheSlots(dsa.level, [generated[0]!.publicKey, generated[1]!.publicKey]),
        );
        await check(`${dsa.name} sign (hedged)`, (i) =>
          dsa.sign(msg, keys[i]!.secretKey, { context: ctx, extraEntropy: rnds[i] }),
        );
        await check(`${dsa.name} sign (deterministic)`, (i) =>
          dsa.sign(msg, keys[i]!.secretKey, { extraEntropy: false }),
        );
        await check(`${dsa.name} streaming signer`, (i) =>
          dsa
            .signer(keys[i]!.secretKey, { context: ctx, extraEntropy: rnds[i] })
            .update(msg.subarray(0, 40))
            .update(msg.subarray(40))
            .sign(),
        );
        await check(`${dsa.name} signMu (external μ)`, (i) =>
          dsa.signMu(mu, keys[i]!.secretKey, { extraEntropy: rnds[i] }),
        );
        await check(`${dsa.name} internal sign of M′`, (i) =>
          dsa.internal.sign(msg, keys[i]!.secretKey, { extraEntropy: rnds[i] }),
        );
        await check(`${dsa.name} getPublicKey`, (i) => dsa.getPublicKey(keys[i]!.secretKey));
        // An expanded key with an s1 coefficient out of range is refused after unpacking.
        const broken = keys.map((k) => {
          const sk = k.secretKey.slice();
          sk[128] = 0xff;
          return sk;
        });
        await check(`${dsa.name} sign with a malformed secret key`, (i) =>
          expectCode(() => dsa.sign(msg, broken[i]!, { extraEntropy: rnds[i] }), 'ERR_INVALID_SECRET_KEY'),
        );
      },
    );
  }

  residueIt('HashML-DSA-65 sign (SHA2-512 and SHAKE256 pre-hash) and signDigest', async () => {
    const keys = samePublicPart(secrets(32, 20).map((s) => hashml_dsa65.keygen(s)));
    const rnds = secrets(32, 21);
    const digest = bytes(64, 22);
    await check('HashML-DSA-65 sign SHA2-512', (i) =>
      hashml_dsa65.sign(msg, keys[i]!.secretKey, { extraEntropy: rnds[i] }),
    );
    await check('HashML-DSA-65 sign SHAKE256', (i) =>
      hashml_dsa65.sign(msg, keys[i]!.secretKey, { extraEntropy: rnds[i], hash: 'SHAKE-256' }),
    );
    await check('HashML-DSA-65 signDigest', (i) =>
      hashml_dsa65.signDigest(digest, keys[i]!.secretKey, { extraEntropy: rnds[i] }),
    );
  });

  residueIt('X25519 base-point and shared-secret scalar multiplication', async () => {
    const scalars = secrets(32, 30);
    const peer = x25519Base(bytes(32, 31));
    await check('X25519 base', (i) => x25519Base(scalars[i]!));
    await check('X25519 shared', (i) => x25519Raw(scalars[i]!, peer));
  });

  residueIt('X-Wing keygen, encapsulate, decapsulate; X25519MLKEM768 client and server', async () => {
    const seeds = secrets(32, 40);
    const rands = secrets(64, 41);
    const keys = seeds.map((s) => xwing.keygen(s));
    const { cipherText } = xwing.encapsulate(keys[0]!.publicKey, bytes(64, 42));
    await check('X-Wing keygen', (i) => xwing.keygen(seeds[i]));
    await check('X-Wing encapsulate', (i) => xwing.encapsulate(keys[0]!.publicKey, rands[i]));
    await check('X-Wing decapsulate', (i) => xwing.decapsulate(cipherText, keys[i]!.secretKey));

    const cseeds = secrets(96, 43);
    const clients = cseeds.map((s) => x25519mlkem768.clientKeyShare(s));
    const server = x25519mlkem768.serverRespond(clients[0]!.keyShare, bytes(64, 44));
    await check('X25519MLKEM768 clientKeyShare', (i) => x25519mlkem768.clientKeyShare(cseeds[i]));
    await check('X25519MLKEM768 serverRespond', (i) => x25519mlkem768.serverRespond(clients[0]!.keyShare, rands[i]));
    await check('X25519MLKEM768 clientFinish', (i) =>
      x25519mlkem768.clientFinish(clients[i]!.secretKey, server.keyShare),
    );
  });

  const hpkeSuites: SuiteSpec[] = [
    { kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-256-GCM' },
    { kem: 'ML-KEM-512', kdf: 'SHAKE256', aead: 'ChaCha20Poly1305' },
    { kem: 'ML-KEM-768', kdf: 'SHAKE256', aead: 'AES-128-GCM' },
    { kem: 'ML-KEM-1024', kdf: 'HKDF-SHA384', aead: 'AES-256-GCM' },
  ];
  for (const spec of hpkeSuites) {
    residueIt(
      `HPKE ${spec.kem} / ${spec.kdf}: deriveKeyPair, sender (seal, export), recipient (open, export)`,
      async () => {
        const s = suite(spec);
        const ikms = secrets(32, 50);
        const ikmEs = secrets(spec.kem === 'X-Wing' ? 64 : 32, 51);
        const keys = await Promise.all(ikms.map((ikm) => deriveKeyPair(s, ikm)));
        const pk = keys[0]!.publicKey;
        const info = bytes(16, 52);
        const sender0 = await setupBaseS(s, pk, info, { ikmE: bytes(ikmEs[0]!.length, 53) });
        const sealed = await sender0.seal(msg);
        await check(`HPKE ${spec.kem} deriveKeyPair`, (i) => deriveKeyPair(s, ikms[i]!));
        await check(`HPKE ${spec.kem} sender`, async (i) => {
          const sender = await setupBaseS(s, pk, info, { ikmE: ikmEs[i] });
          await sender.seal(msg);
          await sender.export(ctx, 32);
        });
        // Key 0 opens the message; key 1 derives a different context and fails to open.
        await check(`HPKE ${spec.kem} recipient`, async (i) => {
          const receiver = await setupBaseR(s, sender0.enc, keys[i]!.secretKey, info);
          await receiver.open(sealed).catch(() => undefined);
          await receiver.export(ctx, 32);
        });
      },
    );
  }

  residueIt('SHA-3 and SHAKE fed secrets: one-shot, streaming with clone, XOF, and the raw exports', async () => {
    // Fresh instances, hashing before any other family: plain hashing then runs on the SHA-3-only module
    // (src/wasm/loader.ts), which the raw-export checks below cover along with ML-KEM's and ML-DSA's Keccak.
    await init({ force: true, families: ['sha3'] });
    sha3_256(new Uint8Array(1));
    await init({ families: ['ml-kem', 'ml-dsa', 'x25519'] });
    const inputs = secrets(200, 60);
    for (const [name, fn] of [
      ['SHA3-224', sha3_224],
      ['SHA3-256', sha3_256],
      ['SHA3-384', sha3_384],
      ['SHA3-512', sha3_512],
    ] as const) {
      await check(`${name} one-shot`, (i) => fn(inputs[i]!));
      await check(`${name} streaming + clone`, (i) => {
        const h = fn.create().update(inputs[i]!.subarray(0, 150));
        const fork = h.clone();
        fork.update(inputs[i]!.subarray(150)).digest();
        return h.digest();
      });
    }
    for (const [name, fn] of [
      ['SHAKE128', shake128],
      ['SHAKE256', shake256],
    ] as const) {
      await check(`${name} one-shot`, (i) => fn(inputs[i]!, { dkLen: 300 }));
      await check(`${name} XOF`, (i) => {
        const h = fn.create().update(inputs[i]!);
        h.xof(17);
        h.xof(500);
        h.destroy();
      });
    }
    if (getExports('sha3') === getExports('ml-kem')) throw new Error('plain hashing did not start on the SHA-3 module');
    for (const family of ['sha3', 'ml-kem', 'ml-dsa'] as const) {
      const x = getExports(family);
      await check(`qs_keccak_oneshot (${family} module)`, (i) =>
        withHeap(family, (h) => {
          const out = h.alloc(64);
          x.qs_keccak_oneshot(KeccakKind.SHA3_512, h.put(inputs[i]!), 200, out, 64);
        }),
      );
      if (family === 'sha3') continue; // the SHA-3-only module has no 2-way kernel
      // The 2-way SHAKE kernel (the SIMD build's Keccak-f×2) is reached only from
      // inside ML-KEM/ML-DSA by the SDK; drive its export directly.
      await check(`qs_shake_x2 (${family} module)`, (i) =>
        withHeap(family, (h) => {
          const o0 = h.alloc(2 * 168),
            o1 = h.alloc(2 * 168);
          x.qs_shake_x2(1, h.put(inputs[i]!.subarray(0, 66)), h.put(inputs[i]!.subarray(66, 132)), 66, o0, o1, 2);
          x.qs_shake_x2(2, h.put(inputs[i]!.subarray(0, 66)), h.put(inputs[i]!.subarray(66, 132)), 66, o0, o1, 2);
        }),
      );
    }
  });

  residueIt('transit keyring (ML-KEM-768, X-Wing encrypt/decrypt, ML-DSA-65 sign) with its random source', async () => {
    const masterKey = await masterKeyFromBytes(bytes(32, 90));
    const plaintext = bytes(40, 91);
    /** Creates and uses three keys; `i` picks the keyring's random stream (seeds, encapsulation randomness). */
    const run = async (i: 0 | 1 | 2) => {
      let n = 0;
      const random = (len: number) => bytes(len, 1000 * (i + 1) + n++);
      const kr = new Keyring({ store: memoryStore(), masterKey, random });
      for (const type of ['ml-kem-768', 'xwing'] as const) {
        await kr.createKey(type, { type });
        const { ciphertext } = await kr.encrypt(type, plaintext);
        await kr.decrypt(type, ciphertext);
      }
      const info = await kr.createKey('sig', { type: 'ml-dsa-65' });
      await kr.sign('sig', plaintext);
      return info.keys['1']!.public_key;
    };
    // The signing key's ρ differs per run, so its A-hat cache slot legitimately does.
    const fromBase64 = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const pks = [fromBase64(await run(0)), fromBase64(await run(1))];
    await check('transit keyring', run, aHatCacheSlots(65, pks));
  });

  // SLH-DSA runs in a module of its own: the transit keyring's SLH-DSA keygen (from its random source), unseal and
  // hedged signing must leave that module's memory as they found it. (Verification is left out: it handles only
  // public values, here different public keys and signatures per run, which it need not wipe.)
  residueIt(
    'transit keyring SLH-DSA-SHA2-128f and SLH-DSA-SHAKE-128f keys (their own module) with its random source',
    async () => {
      const masterKey = await masterKeyFromBytes(bytes(32, 92));
      const plaintext = bytes(40, 93);
      const run = async (i: 0 | 1 | 2) => {
        let n = 0;
        const random = (len: number) => bytes(len, 2000 * (i + 1) + n++);
        const kr = new Keyring({ store: memoryStore(), masterKey, random });
        for (const type of ['slh-dsa-sha2-128f', 'slh-dsa-shake-128f'] as const) {
          await kr.createKey(type, { type });
          await kr.sign(type, plaintext, { context: bytes(8, 94) });
        }
      };
      await run(2); // loads the module before its memory is looked at
      await checkWithSlhDsa('transit keyring (SLH-DSA module)', run);
    },
  );

  residueIt('JOSE SignJWT with an ML-DSA-65 seed key; PKCS#8 decoding that expands a seed', async () => {
    const seeds = secrets(32, 95);
    const kemSeeds = secrets(64, 96);
    const pks = seeds.slice(0, 2).map((s) => ml_dsa65.keygen(s).publicKey);
    await check(
      'SignJWT',
      async (i) => {
        const key = await importRaw('ML-DSA-65', seeds[i]!, 'seed');
        await new SignJWT({ sub: 'residue' }).setProtectedHeader({ alg: 'ML-DSA-65' }).sign(key);
        key.destroy();
      },
      aHatCacheSlots(65, pks),
    );
    const ders = kemSeeds.map((seed) => encodePKCS8('ML-KEM-768', generateKey('ML-KEM-768', seed), { form: 'seed' }));
    await check('decodePKCS8 ML-KEM-768 seed', (i) => decodePKCS8(ders[i]!));
  });

  // Defence in depth (native/common/qs_common.h, qs_scrub_stack): each export
  // that handles secrets zeroes a window of shadow stack below its frame
  // before returning. Paint the free stack, call, and require that the call
  // wrote nothing below a window that it left all zero: a call that went
  // deeper than its family's window would leave painted bytes overwritten
  // below it.
  it('every secret-handling export leaves a zeroed stack window and writes nothing below it', async () => {
    await init();
    const kem = getExports('ml-kem'),
      dsa = getExports('ml-dsa'),
      x25519 = getExports('x25519');
    const PAINT = 0xa5,
      span = 256 * 1024;
    // Keys for the calls, made (and their families self-tested) before painting.
    const kemKey = ml_kem768.keygen(bytes(64, 70));
    const kemCt = ml_kem768.encapsulate(kemKey.publicKey, bytes(32, 71)).cipherText;
    const dsaKey = ml_dsa87.keygen(bytes(32, 72));
    x25519Base(bytes(32, 73));
    const calls: [string, WasmFamily, (h: Heap) => unknown][] = [
      [
        'qs_mlkem_keypair',
        'ml-kem',
        (h) => kem.qs_mlkem_keypair(3, h.put(bytes(64, 74)), h.alloc(1184), h.alloc(2400)),
      ],
      [
        'qs_mlkem_encaps',
        'ml-kem',
        (h) => kem.qs_mlkem_encaps(3, h.put(kemKey.publicKey), h.put(bytes(32, 75)), h.alloc(1088), h.alloc(32)),
      ],
      ['qs_mlkem_decaps', 'ml-kem', (h) => kem.qs_mlkem_decaps(3, h.put(kemKey.secretKey), h.put(kemCt), h.alloc(32))],
      ['qs_mlkem_check_sk', 'ml-kem', (h) => kem.qs_mlkem_check_sk(3, h.put(kemKey.secretKey))],
      [
        'qs_mldsa_keypair',
        'ml-dsa',
        (h) => dsa.qs_mldsa_keypair(87, h.put(bytes(32, 76)), h.alloc(2592), h.alloc(4896)),
      ],
      ['qs_mldsa_pk_from_sk', 'ml-dsa', (h) => dsa.qs_mldsa_pk_from_sk(87, h.put(dsaKey.secretKey), h.alloc(2592))],
      ['qs_mldsa_check_sk', 'ml-dsa', (h) => dsa.qs_mldsa_check_sk(87, h.put(dsaKey.secretKey), h.alloc(2592))],
      [
        'qs_mldsa_sign_msg',
        'ml-dsa',
        (h) =>
          dsa.qs_mldsa_sign_msg(
            87,
            h.put(dsaKey.secretKey),
            h.put(new Uint8Array(2)),
            2,
            h.put(msg),
            msg.length,
            h.put(bytes(32, 77)),
            h.alloc(4627),
          ),
      ],
      [
        'qs_mldsa_sign_mu',
        'ml-dsa',
        (h) =>
          dsa.qs_mldsa_sign_mu(87, h.put(dsaKey.secretKey), h.put(bytes(64, 78)), h.put(bytes(32, 79)), h.alloc(4627)),
      ],
      [
        'qs_x25519',
        'x25519',
        (h) => x25519.qs_x25519(h.alloc(32), h.put(bytes(32, 80)), h.put(x25519Base(bytes(32, 81)))),
      ],
      ['qs_x25519_base', 'x25519', (h) => x25519.qs_x25519_base(h.alloc(32), h.put(bytes(32, 82)))],
      [
        'qs_keccak_oneshot',
        'sha3',
        (h) => h.x.qs_keccak_oneshot(KeccakKind.SHAKE256, h.put(msg), msg.length, h.alloc(64), 64),
      ],
      [
        'qs_shake_x2',
        'sha3',
        (h) => h.x.qs_shake_x2(2, h.put(msg), h.put(msg), 66, h.alloc(3 * 136), h.alloc(3 * 136), 3),
      ],
      [
        'qs_keccak_absorb/finalize/squeeze',
        'sha3',
        (h) => {
          const st = h.x.qs_keccak_new(KeccakKind.SHA3_512);
          h.x.qs_keccak_absorb(st, h.put(msg), msg.length);
          h.x.qs_keccak_finalize(st);
          h.x.qs_keccak_squeeze(st, h.alloc(64), 64);
          h.x.qs_keccak_free(st);
        },
      ],
    ];
    const problems: string[] = [];
    // The Keccak calls run in every module that has Keccak (SHA-3's module may be ML-KEM's).
    const keccakFamilies = (['sha3', 'ml-kem', 'ml-dsa'] as const).filter(
      (f, i, all) => all.findIndex((g) => getExports(g) === getExports(f)) === i,
    );
    const runs = calls.flatMap(([name, family, call]): [string, WasmFamily, (h: Heap) => unknown][] =>
      family === 'sha3'
        ? keccakFamilies
            .filter(
              (f) => typeof (getExports(f) as unknown as Record<string, unknown>)[name.split('/')[0]!] === 'function',
            )
            .map((f) => [`${name} (${f} module)`, f, call])
        : [[name, family, call]],
    );
    for (const [name, family, call] of runs) {
      const top = (getExports(family) as unknown as { stackSave(): number }).stackSave();
      const memoryView = () => new Uint8Array(getExports(family).memory.buffer);
      memoryView().fill(PAINT, top - span, top);
      withHeap(family, (h) => call(h));
      const m = memoryView();
      let lowest = top;
      for (let i = top - span; i < top; i++)
        if (m[i] !== PAINT) {
          lowest = i;
          break;
        }
      let nonzero = -1;
      for (let i = lowest; i < top; i++)
        if (m[i] !== 0) {
          nonzero = i;
          break;
        }
      memoryView().fill(0, top - span, top);
      if (lowest === top) problems.push(`${name}: wrote no stack at all (scrub missing?)`);
      else if (nonzero !== -1)
        problems.push(
          `${name}: byte at SP-${top - nonzero} is nonzero inside its ${top - lowest}-byte stack footprint`,
        );
    }
    if (problems.length) throw new Error(`(${backend()} build) ${problems.join('; ')}`);
  });

  // Finding (issue 23, Chromium ratios): every ML-KEM export scrubbed the
  // 32 KiB of its deepest call (decaps) and every ML-DSA export the 96 KiB of
  // signing, so a key pair zeroed 2-3x the stack it had used: in Chromium a
  // 96 KiB wipe costs several µs (it leaves L1/L2), a few % of ML-DSA-65
  // keygen. Each hot export now scrubs its own measured depth plus margin;
  // the test above still proves that no call writes below its window.
  it('hot ML-KEM/ML-DSA exports scrub a window sized for their own call, not the family maximum', async () => {
    await init();
    const kem = getExports('ml-kem'),
      dsa = getExports('ml-dsa');
    const PAINT = 0xa5,
      span = 256 * 1024;
    const kemKey = ml_kem768.keygen(bytes(64, 90));
    // Window (bytes the call left zeroed below the idle stack pointer) and its ceiling.
    const calls: [string, WasmFamily, number, (h: Heap) => unknown][] = [
      [
        'qs_mlkem_keypair',
        'ml-kem',
        20 * 1024,
        (h) => kem.qs_mlkem_keypair(3, h.put(bytes(64, 91)), h.alloc(1184), h.alloc(2400)),
      ],
      [
        'qs_mlkem_encaps',
        'ml-kem',
        24 * 1024,
        (h) => kem.qs_mlkem_encaps(3, h.put(kemKey.publicKey), h.put(bytes(32, 92)), h.alloc(1088), h.alloc(32)),
      ],
      [
        'qs_mldsa_keypair',
        'ml-dsa',
        56 * 1024,
        (h) => dsa.qs_mldsa_keypair(65, h.put(bytes(32, 93)), h.alloc(1952), h.alloc(4032)),
      ],
    ];
    const problems: string[] = [];
    for (const [name, family, ceiling, call] of calls) {
      const top = (getExports(family) as unknown as { stackSave(): number }).stackSave();
      const memoryView = () => new Uint8Array(getExports(family).memory.buffer);
      memoryView().fill(PAINT, top - span, top);
      withHeap(family, (h) => call(h));
      const m = memoryView();
      let lowest = top;
      for (let i = top - span; i < top; i++)
        if (m[i] !== PAINT) {
          lowest = i;
          break;
        }
      memoryView().fill(0, top - span, top);
      // the export's own small frame sits above its window: allow 1 KiB for it
      if (top - lowest > ceiling + 1024)
        problems.push(`${name}: zeroed ${top - lowest} B of stack, ceiling ${ceiling} B`);
    }
    expect(problems).toEqual([]);
  });
});
