// src/cms/aes.ts runs AES on Web Crypto and falls back to @noble/ciphers
// where Web Crypto cannot (no secure context, 192-bit keys in Chromium).
// Both paths must give the same bytes: RFC 3394 vectors for key wrap, and
// Web Crypto vs fallback (crypto.subtle hidden) for GCM, CBC, CTR and the
// streaming CBC block trick.
import { describe, it, expect, afterEach } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  cbcDecrypt,
  cbcDecryptBlocks,
  cbcEncrypt,
  ctrXor,
  encryptBlock,
  gcmOpen,
  gcmSeal,
  keyUnwrap,
  keyWrap,
} from '../../src/cms/aes.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const realCrypto = globalThis.crypto;
function hideSubtle() {
  Object.defineProperty(globalThis, 'crypto', {
    value: { getRandomValues: realCrypto.getRandomValues.bind(realCrypto) },
    configurable: true,
  });
}
afterEach(() => {
  Object.defineProperty(globalThis, 'crypto', { value: realCrypto, configurable: true });
});

/** Runs `f` on Web Crypto and on the fallback; both results. */
async function both<T>(f: () => Promise<T>): Promise<[T, T]> {
  const a = await f();
  hideSubtle();
  try {
    return [a, await f()];
  } finally {
    Object.defineProperty(globalThis, 'crypto', { value: realCrypto, configurable: true });
  }
}

describe('cms AES: Web Crypto and the noble fallback agree', () => {
  it('RFC 3394 §4.1 and §4.6 key wrap vectors, both ways, both paths; a bad wrap throws', async () => {
    const cases = [
      [
        '000102030405060708090A0B0C0D0E0F',
        '00112233445566778899AABBCCDDEEFF',
        '1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5',
      ],
      [
        '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F',
        '00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F',
        '28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21',
      ],
    ] as const;
    for (const [kek, key, wrapped] of cases) {
      const [w1, w2] = await both(() => keyWrap(hex(kek), hex(key)));
      expect(w1).toEqual(hex(wrapped));
      expect(w2).toEqual(hex(wrapped));
      const [u1, u2] = await both(() => keyUnwrap(hex(kek), hex(wrapped)));
      expect(u1).toEqual(hex(key));
      expect(u2).toEqual(hex(key));
      const bad = hex(wrapped);
      bad[3]! ^= 1;
      await expect(keyUnwrap(hex(kek), bad)).rejects.toBeDefined();
      hideSubtle();
      await expect(keyUnwrap(hex(kek), bad)).rejects.toBeDefined();
    }
  });

  it('GCM, CBC, CTR and single blocks: same bytes for 128/192/256-bit keys', async () => {
    for (const len of [16, 24, 32]) {
      const key = new Uint8Array(randomBytes(len));
      const iv = new Uint8Array(randomBytes(16));
      const nonce = iv.subarray(0, 12);
      const pt = new Uint8Array(randomBytes(1000));
      const [g1, g2] = await both(() => gcmSeal(key, nonce, pt));
      expect(g1).toEqual(g2);
      expect(await gcmOpen(key, nonce, new Uint8Array(0), g1)).toEqual(pt);
      const [c1, c2] = await both(() => cbcEncrypt(key, iv, pt));
      expect(c1).toEqual(c2);
      const [d1, d2] = await both(() => cbcDecrypt(key, iv, c1));
      expect(d1).toEqual(pt);
      expect(d2).toEqual(pt);
      // Streaming CBC: all blocks but the last, without padding, equal the plaintext prefix.
      const body = c1.subarray(0, c1.length - 16);
      const [b1, b2] = await both(() => cbcDecryptBlocks(key, iv, body));
      expect(b1).toEqual(pt.subarray(0, body.length));
      expect(b2).toEqual(pt.subarray(0, body.length));
      const ctrBlock = Uint8Array.of(...nonce, 0, 0, 0, 2);
      const [x1, x2] = await both(() => ctrXor(key, ctrBlock, pt));
      expect(x1).toEqual(x2);
      // GCM's ciphertext is CTR from nonce ‖ 2.
      expect(x1).toEqual(g1.subarray(0, pt.length));
      const [e1, e2] = await both(() => encryptBlock(key, iv));
      expect(e1).toEqual(e2);
    }
  });
});
