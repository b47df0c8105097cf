// X25519 on the wasm core (native/x25519): random cross-check against
// @noble/curves on both builds, SIMD and scalar builds agreeing byte for
// byte, and the src/x25519 primitives (length checks, low-order handling).
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { x25519 as noble } from '@noble/curves/ed25519.js';
import { init } from '../../src/index.js';
import { isLowOrder, x25519Base, x25519Checked, x25519Raw } from '../../src/x25519/index.js';
import { QsignError } from '../../src/errors.js';

interface RawX25519 {
  memory: WebAssembly.Memory;
  _initialize(): void;
  qs_malloc(n: number): number;
  qs_x25519(out: number, k: number, u: number): number;
  qs_x25519_base(out: number, k: number): number;
}

async function loadBuild(file: string): Promise<(k: Uint8Array, u?: Uint8Array) => Uint8Array> {
  const bytes = readFileSync(fileURLToPath(new URL(`../../wasm/${file}`, import.meta.url)));
  const { instance } = await WebAssembly.instantiate(bytes, {});
  const x = instance.exports as unknown as RawX25519;
  x._initialize();
  const kp = x.qs_malloc(32),
    up = x.qs_malloc(32),
    op = x.qs_malloc(32);
  return (k, u) => {
    const mem = new Uint8Array(x.memory.buffer);
    mem.set(k, kp);
    if (u) {
      mem.set(u, up);
      expect(x.qs_x25519(op, kp, up)).toBe(0);
    } else expect(x.qs_x25519_base(op, kp)).toBe(0);
    return new Uint8Array(x.memory.buffer).slice(op, op + 32);
  };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('wasm X25519 vs @noble/curves and SIMD vs scalar build', () => {
  it('agrees on 2000 random (scalar, u) pairs, incl. u with bit 255 set and non-canonical u', async () => {
    const simd = await loadBuild('qsign-x25519-simd.wasm');
    const scalar = await loadBuild('qsign-x25519-scalar.wasm');
    const P = (1n << 255n) - 19n;
    for (let i = 0; i < 2000; i++) {
      const k = new Uint8Array(randomBytes(32));
      const u = new Uint8Array(randomBytes(32));
      if (i % 10 === 0) {
        // A non-canonical encoding u + p (< 2^255) of a small u in [0, 18].
        let v = BigInt(i % 19) + P;
        for (let j = 0; j < 32; j++) {
          u[j] = Number(v & 0xffn);
          v >>= 8n;
        }
      }
      const a = simd(k, u),
        b = scalar(k, u);
      expect(hex(a), `simd vs scalar #${i}`).toBe(hex(b));
      if (isLowOrder(u)) expect(hex(a)).toBe('00'.repeat(32));
      else expect(hex(a), `vs noble #${i}`).toBe(hex(noble.scalarMult(k, u)));
    }
  });

  it('base-point multiplication agrees on 1000 random scalars, and with qs_x25519(k, 9)', async () => {
    const simd = await loadBuild('qsign-x25519-simd.wasm');
    const scalar = await loadBuild('qsign-x25519-scalar.wasm');
    const nine = new Uint8Array(32);
    nine[0] = 9;
    for (let i = 0; i < 1000; i++) {
      const k = new Uint8Array(randomBytes(32));
      const want = hex(noble.getPublicKey(k));
      expect(hex(simd(k))).toBe(want);
      expect(hex(scalar(k))).toBe(want);
      expect(hex(simd(k, nine))).toBe(want);
    }
  });

  it('clamps the scalar: bits 0-2 and 255 are ignored, bit 254 forced', async () => {
    const simd = await loadBuild('qsign-x25519-simd.wasm');
    const u = noble.getPublicKey(new Uint8Array(32).fill(0x11));
    const k = new Uint8Array(randomBytes(32));
    const k2 = k.slice();
    k2[0] ^= 7;
    k2[31] ^= 0xc0;
    expect(hex(simd(k2, u))).toBe(hex(simd(k, u)));
  });
});

describe('src/x25519 on the wasm core', () => {
  beforeAll(async () => {
    await init();
  });

  it('x25519Raw / x25519Base match @noble/curves', () => {
    for (let i = 0; i < 200; i++) {
      const a = new Uint8Array(randomBytes(32)),
        b = new Uint8Array(randomBytes(32));
      const pa = x25519Base(a),
        pb = x25519Base(b);
      expect(hex(pa)).toBe(hex(noble.getPublicKey(a)));
      const s = x25519Raw(a, pb);
      expect(hex(s)).toBe(hex(x25519Raw(b, pa)));
      expect(hex(s)).toBe(hex(noble.getSharedSecret(a, pb)));
      expect(hex(x25519Checked(a, pb, 'peer'))).toBe(hex(s));
    }
  });

  it('low-order u: x25519Raw gives zeros, x25519Checked throws ERR_INVALID_PUBLIC_KEY', () => {
    const k = new Uint8Array(randomBytes(32));
    const zero = new Uint8Array(32),
      one = new Uint8Array(32);
    one[0] = 1;
    for (const u of [zero, one]) {
      expect(isLowOrder(u)).toBe(true);
      expect(hex(x25519Raw(k, u))).toBe('00'.repeat(32));
      expect(() => x25519Checked(k, u, 'the peer key')).toThrow(/low-order/);
    }
  });

  it('refuses wrong-length inputs with typed errors', () => {
    const k = new Uint8Array(32).fill(1);
    const err = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (e) {
        return (e as QsignError).code;
      }
      return undefined;
    };
    expect(err(() => x25519Base(new Uint8Array(31)))).toBe('ERR_INVALID_SECRET_KEY');
    expect(err(() => x25519Raw(new Uint8Array(33), k))).toBe('ERR_INVALID_SECRET_KEY');
    expect(err(() => x25519Raw(k, new Uint8Array(31)))).toBe('ERR_INVALID_PUBLIC_KEY');
    expect(err(() => x25519Checked(k, new Uint8Array(0), 'x'))).toBe('ERR_INVALID_PUBLIC_KEY');
  });
});
