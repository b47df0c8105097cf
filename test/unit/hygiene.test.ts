/*
 * Secret hygiene of long-lived holders: jose AkpKey, the streaming signer and
 * SigningKeyRing keep secrets in JS memory and must wipe them on destroy().
 * What wasm memory keeps after a call is checked by the differential residue
 * test, test/conformance/residue.test.ts, which replaced the scan for secret
 * bytes that lived here (it could not see values derived from a secret).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { init, ml_dsa44, ml_dsa65 } from '../../src/index.js';
import { AkpKey, SignJWT, SigningKeyRing } from '../../src/jose/index.js';

beforeAll(async () => {
  await init();
});

const te = new TextEncoder();

const rnd = (n: number) => crypto.getRandomValues(new Uint8Array(n));

describe('secret hygiene: long-lived holders wipe on destroy()', () => {
  /** Captures every copy `fn` makes with Uint8Array#slice, to look at it after destroy(). */
  async function captureSlices<T>(fn: () => Promise<T> | T): Promise<{ result: T; copies: Uint8Array[] }> {
    const orig = Uint8Array.prototype.slice;
    const copies: Uint8Array[] = [];
    Uint8Array.prototype.slice = function (this: Uint8Array, ...a: [number?, number?]) {
      const r = orig.apply(this, a) as Uint8Array;
      copies.push(r);
      return r;
    } as typeof orig;
    try {
      return { result: await fn(), copies };
    } finally {
      Uint8Array.prototype.slice = orig;
    }
  }
  const isZero = (b: Uint8Array) => b.every((x) => x === 0);
  const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

  it('jose AkpKey: destroy() and Symbol.dispose wipe the seed and the expanded key', async () => {
    const seed = rnd(32);
    const { publicKey, secretKey } = ml_dsa65.keygen(seed);
    const expanded = secretKey.slice();
    const { result: key, copies } = await captureSlices(() => new AkpKey('ML-DSA-65', publicKey, { seed, expanded }));
    const held = copies.filter((c) => same(c, seed));
    expect(held.length, 'AkpKey keeps a copy of the seed').toBeGreaterThan(0);
    await new SignJWT({}).setProtectedHeader({ alg: 'ML-DSA-65' }).sign(key);
    key.destroy();
    expect(key.destroyed).toBe(true);
    for (const c of held) expect(isZero(c), 'seed copy wiped').toBe(true);
    expect(isZero(expanded), 'expanded key wiped').toBe(true);
    await expect(new SignJWT({}).setProtectedHeader({ alg: 'ML-DSA-65' }).sign(key)).rejects.toMatchObject({
      code: 'ERR_DESTROYED',
    });

    const seed2 = rnd(32);
    const { result: key2, copies: c2 } = await captureSlices(
      () => new AkpKey('ML-DSA-44', ml_dsa44.keygen(seed2).publicKey, { seed: seed2 }),
    );
    const held2 = c2.filter((c) => same(c, seed2));
    key2[Symbol.dispose]();
    for (const c of held2) expect(isZero(c)).toBe(true);
  });

  it('streaming signer: destroy() wipes its copy of the secret key and frees its wasm state', () => {
    const { secretKey } = ml_dsa44.keygen(rnd(32));
    const orig = secretKey.slice();
    const { copies } = { copies: [] as Uint8Array[] };
    const sliceOrig = Uint8Array.prototype.slice;
    Uint8Array.prototype.slice = function (this: Uint8Array, ...a: [number?, number?]) {
      const r = sliceOrig.apply(this, a) as Uint8Array;
      copies.push(r);
      return r;
    } as typeof sliceOrig;
    let s;
    try {
      s = ml_dsa44.signer(secretKey);
    } finally {
      Uint8Array.prototype.slice = sliceOrig;
    }
    const held = copies.filter((c) => same(c, orig));
    expect(held.length).toBeGreaterThan(0);
    s.update(te.encode('abc'));
    s.destroy();
    for (const c of held) expect(isZero(c)).toBe(true);
    expect(() => s.update(te.encode('more'))).toThrow(expect.objectContaining({ code: 'ERR_DESTROYED' }));
  });

  it('SigningKeyRing: destroy() and Symbol.dispose destroy every key it holds', async () => {
    const ring = await SigningKeyRing.create({ alg: 'ML-DSA-44' });
    await ring.rotate();
    const active = ring.active;
    await ring.sign({ sub: 'x' });
    expect(active.destroyed).toBe(false);
    ring[Symbol.dispose]();
    expect(active.destroyed).toBe(true);
    await expect(ring.sign({ sub: 'y' })).rejects.toBeDefined();
  });
});
