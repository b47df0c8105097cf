/*
 * HPKE AEADs (RFC 9180 §7.3). AES-GCM runs on Web Crypto, which every target
 * runtime has (and which is hardware-accelerated); @noble/ciphers' AES-GCM is
 * the fallback for pages without a secure context, where crypto.subtle is
 * missing. ChaCha20-Poly1305 is not in Web Crypto, so it is noble's.
 *
 * A failed open is always ERR_DECRYPTION_FAILED, whatever the backend says,
 * so callers can never tell "wrong key" from "tampered data" from "wrong aad".
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { gcm } from '@noble/ciphers/aes.js';
import { QsignError } from '../../errors.js';
import { webCryptoSubtle } from '../../engine/runtime.js';

/** Names of the HPKE AEADs this package implements (RFC 9180 §7.3); `ExportOnly` is AEAD id 0xffff, for secret export only. */
export type AeadName = 'AES-128-GCM' | 'AES-256-GCM' | 'ChaCha20Poly1305' | 'ExportOnly';

/** A per-context AEAD instance bound to one key. */
export interface AeadKey {
  seal(nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array): Promise<Uint8Array>;
  open(nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array): Promise<Uint8Array>;
}

/**
 * An HPKE AEAD (RFC 9180 §7.3): its id, its key, nonce and tag sizes, and `bind` to make a keyed instance.
 * Reach one through a suite rather than building it.
 *
 * @example
 * ```ts
 * import { suite } from 'qsign-pqc/hybrid';
 * const { aead } = suite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-256-GCM' });
 * console.log(aead.id, aead.Nk, aead.Nn, aead.Nt); // 2 32 12 16
 * ```
 */
export interface HpkeAead {
  readonly id: number;
  readonly name: AeadName;
  readonly Nk: number;
  readonly Nn: number;
  readonly Nt: number;
  /** Binds a key; the export-only AEAD returns undefined. */
  bind(key: Uint8Array): AeadKey | undefined;
}

function decryptionFailed(cause?: unknown): QsignError {
  return new QsignError(
    'ERR_DECRYPTION_FAILED',
    'HPKE decryption failed: the ciphertext, enc, aad, info or sequence is not what the sender used, or this is the wrong private key',
    { cause },
  );
}

function aesGcm(id: number, name: AeadName, Nk: number): HpkeAead {
  return Object.freeze({
    id,
    name,
    Nk,
    Nn: 12,
    Nt: 16,
    bind(key: Uint8Array): AeadKey {
      const s = webCryptoSubtle();
      if (!s) {
        return {
          seal: async (nonce, aad, pt) => gcm(key, nonce, aad).encrypt(pt),
          open: async (nonce, aad, ct) => {
            try {
              return gcm(key, nonce, aad).decrypt(ct);
            } catch (e) {
              throw decryptionFailed(e);
            }
          },
        };
      }
      // Imported once per context, not per message; non-extractable.
      let cryptoKey: Promise<CryptoKey> | undefined;
      const k = () =>
        (cryptoKey ??= s.importKey('raw', key as Uint8Array<ArrayBuffer>, { name: 'AES-GCM' }, false, [
          'encrypt',
          'decrypt',
        ]));
      return {
        async seal(nonce, aad, pt) {
          const out = await s.encrypt(
            {
              name: 'AES-GCM',
              iv: nonce as Uint8Array<ArrayBuffer>,
              additionalData: aad as Uint8Array<ArrayBuffer>,
              tagLength: 128,
            },
            await k(),
            pt as Uint8Array<ArrayBuffer>,
          );
          return new Uint8Array(out);
        },
        async open(nonce, aad, ct) {
          // Web Crypto rejects a too-short input with a different error; same answer here.
          if (ct.length < 16) throw decryptionFailed();
          try {
            const out = await s.decrypt(
              {
                name: 'AES-GCM',
                iv: nonce as Uint8Array<ArrayBuffer>,
                additionalData: aad as Uint8Array<ArrayBuffer>,
                tagLength: 128,
              },
              await k(),
              ct as Uint8Array<ArrayBuffer>,
            );
            return new Uint8Array(out);
          } catch (e) {
            throw decryptionFailed(e);
          }
        },
      };
    },
  });
}

const chacha: HpkeAead = Object.freeze({
  id: 0x0003,
  name: 'ChaCha20Poly1305' as const,
  Nk: 32,
  Nn: 12,
  Nt: 16,
  bind(key: Uint8Array): AeadKey {
    return {
      seal: async (nonce, aad, pt) => chacha20poly1305(key, nonce, aad).encrypt(pt),
      open: async (nonce, aad, ct) => {
        try {
          return chacha20poly1305(key, nonce, aad).decrypt(ct);
        } catch (e) {
          throw decryptionFailed(e);
        }
      },
    };
  },
});

const exportOnly: HpkeAead = Object.freeze({
  id: 0xffff,
  name: 'ExportOnly' as const,
  Nk: 0,
  Nn: 0,
  Nt: 0,
  bind: () => undefined,
});

/** Every AEAD this module implements, by HPKE AEAD id. */
export const AEADS: ReadonlyMap<number, HpkeAead> = new Map<number, HpkeAead>([
  [0x0001, aesGcm(0x0001, 'AES-128-GCM', 16)],
  [0x0002, aesGcm(0x0002, 'AES-256-GCM', 32)],
  [0x0003, chacha],
  [0xffff, exportOnly],
]);

export { decryptionFailed };
