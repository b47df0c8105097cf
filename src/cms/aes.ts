/**
 * AES for the CMS layer: GCM, CBC, CTR and key wrap (RFC 3394) on the
 * runtime's Web Crypto (hardware AES, no secret-indexed tables) wherever it
 * can do the job, with @noble/ciphers as the fallback for what Web Crypto
 * lacks: pages without a secure context (no `crypto.subtle`) and 192-bit
 * AES keys (Chromium refuses them). noble's AES uses T-tables, whose cache
 * timing depends on the key; the fallback is therefore a last resort.
 *
 * Every function wipes nothing it did not allocate; callers own their keys.
 */
import { aeskw, cbc, ctr, ecb, gcm } from '@noble/ciphers/aes.js';
import { webCryptoSubtle } from '../engine/runtime.js';
import { concat } from './asn1.js';

type Buf = Uint8Array<ArrayBuffer>;
const buf = (b: Uint8Array) => b as Buf;

// Web Crypto through the engine's one door to it (undefined without a secure context).
const subtle = webCryptoSubtle;

/** Imports `key` for `alg`, or undefined when this runtime cannot (no subtle, unsupported size). */
async function importKey(key: Uint8Array, alg: string, usages: KeyUsage[]): Promise<CryptoKey | undefined> {
  const s = subtle();
  if (!s) return undefined;
  try {
    return await s.importKey('raw', buf(key), { name: alg }, false, usages);
  } catch {
    return undefined;
  }
}

/** AES-GCM seal with a 16-byte tag; returns ciphertext ‖ tag. */
export async function gcmSeal(key: Uint8Array, nonce: Uint8Array, pt: Uint8Array): Promise<Uint8Array> {
  const k = await importKey(key, 'AES-GCM', ['encrypt']);
  if (!k) return gcm(key, nonce).encrypt(pt);
  return new Uint8Array(await subtle()!.encrypt({ name: 'AES-GCM', iv: buf(nonce), tagLength: 128 }, k, buf(pt)));
}

/** AES-GCM open of ciphertext ‖ tag; throws (any error) when authentication fails. */
export async function gcmOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  sealed: Uint8Array,
): Promise<Uint8Array> {
  const k = await importKey(key, 'AES-GCM', ['decrypt']);
  if (!k) return gcm(key, nonce, aad).decrypt(sealed);
  return new Uint8Array(
    await subtle()!.decrypt(
      { name: 'AES-GCM', iv: buf(nonce), additionalData: buf(aad), tagLength: 128 },
      k,
      buf(sealed),
    ),
  );
}

/** AES-CBC with PKCS#7 padding. */
export async function cbcEncrypt(key: Uint8Array, iv: Uint8Array, pt: Uint8Array): Promise<Uint8Array> {
  const k = await importKey(key, 'AES-CBC', ['encrypt']);
  if (!k) return cbc(key, iv).encrypt(pt);
  return new Uint8Array(await subtle()!.encrypt({ name: 'AES-CBC', iv: buf(iv) }, k, buf(pt)));
}

/** AES-CBC decryption that checks and strips PKCS#7 padding; throws on bad padding. */
export async function cbcDecrypt(key: Uint8Array, iv: Uint8Array, ct: Uint8Array): Promise<Uint8Array> {
  const k = await importKey(key, 'AES-CBC', ['decrypt']);
  if (!k) return cbc(key, iv).decrypt(ct);
  return new Uint8Array(await subtle()!.decrypt({ name: 'AES-CBC', iv: buf(iv) }, k, buf(ct)));
}

/**
 * AES-CBC decryption of whole blocks without padding (for streaming: the
 * last block, which holds the padding, goes through {@link cbcDecrypt}).
 * Web Crypto always checks padding, so a block that decrypts to a full
 * padding block is appended: E_k(0x10…10 ⊕ C_last).
 */
export async function cbcDecryptBlocks(key: Uint8Array, iv: Uint8Array, ct: Uint8Array): Promise<Uint8Array> {
  const s = subtle();
  const enc = await importKey(key, 'AES-CBC', ['encrypt']);
  const dec = await importKey(key, 'AES-CBC', ['decrypt']);
  if (!s || !enc || !dec) {
    const out = ecb(key, { disablePadding: true }).decrypt(ct);
    for (let i = 0; i < out.length; i++) out[i]! ^= i < 16 ? iv[i]! : ct[i - 16]!;
    return out;
  }
  const last = ct.subarray(ct.length - 16);
  // Encrypting one full padding block under IV = C_last yields exactly the ciphertext block we need first.
  const pad = new Uint8Array(await s.encrypt({ name: 'AES-CBC', iv: buf(last) }, enc, new Uint8Array(0)));
  return new Uint8Array(await s.decrypt({ name: 'AES-CBC', iv: buf(iv) }, dec, buf(concat([ct, pad.subarray(0, 16)]))));
}

/** AES-CTR keystream XOR from the 16-byte counter block `counter` (32-bit counter, as GCM's inc32). */
export async function ctrXor(key: Uint8Array, counter: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const k = await importKey(key, 'AES-CTR', ['encrypt']);
  if (!k) return ctr(key, counter).encrypt(data);
  return new Uint8Array(await subtle()!.encrypt({ name: 'AES-CTR', counter: buf(counter), length: 32 }, k, buf(data)));
}

/** One AES block encryption (GCM's H and E_k(J0)). */
export async function encryptBlock(key: Uint8Array, block: Uint8Array): Promise<Uint8Array> {
  // CTR with the block as counter over 16 zero bytes is exactly E_k(block).
  return ctrXor(key, block, new Uint8Array(16));
}

/** RFC 3394 key wrap. */
export async function keyWrap(kek: Uint8Array, key: Uint8Array): Promise<Uint8Array> {
  const s = subtle();
  const k = await importKey(kek, 'AES-KW', ['wrapKey']);
  if (s && k) {
    try {
      // The key to wrap travels as an HMAC key: HMAC takes any length, AES keys only 16/32 (and 24 outside Chromium).
      const inner = await s.importKey('raw', buf(key), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
      return new Uint8Array(await s.wrapKey('raw', inner, k, 'AES-KW'));
    } catch {
      /* fall through to noble */
    }
  }
  return aeskw(kek).encrypt(key);
}

/** RFC 3394 key unwrap; throws (any error) when the integrity check fails. */
export async function keyUnwrap(kek: Uint8Array, wrapped: Uint8Array): Promise<Uint8Array> {
  const s = subtle();
  const k = await importKey(kek, 'AES-KW', ['unwrapKey']);
  if (!s || !k) return aeskw(kek).decrypt(wrapped);
  const inner = await s.unwrapKey('raw', buf(wrapped), k, 'AES-KW', { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
  return new Uint8Array(await s.exportKey('raw', inner));
}
