import { describe, it, expect } from '../helpers/harness.js';
import { init, sha3_224, sha3_256, sha3_384, sha3_512, shake128, shake256 } from '../../src/index.js';
import * as noble from '@noble/hashes/sha3.js';

const enc = new TextEncoder();
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function pattern(n: number, seed = 0): Uint8Array {
  const out = new Uint8Array(n);
  let x = (seed * 2654435761 + 12345) >>> 0;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('sha3', () => {
  it('FIPS 202 known answers for "abc" and the empty string', async () => {
    await init();
    expect(hex(sha3_256(enc.encode('abc')))).toBe('3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532');
    expect(hex(sha3_512(enc.encode('abc')))).toBe(
      'b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0',
    );
    expect(hex(sha3_224(new Uint8Array()))).toBe('6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7');
    expect(hex(sha3_384(new Uint8Array()))).toBe(
      '0c63a75b845e4f7d01107d852e4c2485c51a50aaaa94fc61995e71bbee983a2ac3713831264adb47fb6bd1e058d5f004',
    );
    expect(hex(shake128(new Uint8Array(), { dkLen: 32 }))).toBe(
      '7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26',
    );
    expect(hex(shake256(new Uint8Array(), { dkLen: 64 }))).toBe(
      '46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762fd75dc4ddd8c0f200cb05019d67b592f6fc821c49479ab48640292eacb3b7c4be',
    );
  });

  it('matches @noble/hashes for every length 0..300, one-shot and incremental', async () => {
    await init();
    for (let n = 0; n <= 300; n++) {
      const m = pattern(n, n);
      expect(sha3_256(m)).toEqual(noble.sha3_256(m));
      expect(sha3_512(m)).toEqual(noble.sha3_512(m));
      expect(shake128(m, { dkLen: 200 })).toEqual(noble.shake128(m, { dkLen: 200 }));
      expect(shake256(m, { dkLen: 137 })).toEqual(noble.shake256(m, { dkLen: 137 }));
      const h = shake256.create({ dkLen: 40 });
      for (let i = 0; i < n; i += 17) h.update(m.subarray(i, i + 17));
      expect(h.digest()).toEqual(noble.shake256(m, { dkLen: 40 }));
    }
  });

  it('xof() squeezes a continuous stream and clone() forks a running hash', async () => {
    await init();
    const m = pattern(500, 7);
    const h = shake128.create();
    h.update(m);
    const fork = h.clone();
    const a = h.xof(10),
      b = h.xof(300);
    const whole = noble.shake128(m, { dkLen: 310 });
    expect(new Uint8Array([...a, ...b])).toEqual(whole);
    expect(fork.xof(310)).toEqual(whole);
    fork.destroy();
  });

  it('hashes inputs larger than the scratch arena (1 MiB) in chunks', async () => {
    await init();
    const m = pattern(1 << 20, 3);
    expect(sha3_256(m)).toEqual(noble.sha3_256(m));
    expect(shake256(m, { dkLen: 100_000 })).toEqual(noble.shake256(m, { dkLen: 100_000 }));
  });

  it('rejects non-bytes input with ERR_INVALID_ARGUMENT and reuse with ERR_DESTROYED', async () => {
    await init();
    expect(() => sha3_256('abc' as unknown as Uint8Array)).toThrow('ERR_INVALID_ARGUMENT');
    const h = sha3_256.create();
    h.digest();
    expect(() => h.update(new Uint8Array(1))).toThrow('ERR_DESTROYED');
  });
});
