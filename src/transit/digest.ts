/**
 * Hash functions under Vault Transit's names (`hash`, `hmac`, `verify … hmac`): SHA-2 from @noble/hashes, SHA-3
 * from our wasm Keccak, and HMAC (RFC 2104) over either. One table, so `hash/:algorithm`, `hmac/:name/:algorithm`
 * and the HMAC verification accept exactly the same names.
 */
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { sha3_224, sha3_256, sha3_384, sha3_512 } from '../hash/sha3.js';
import { wipe } from '../util/bytes.js';
import { init, isInitialized } from '../wasm/loader.js';
import { transitError, TransitErrorCodes } from './errors.js';

/** The part of a noble-shaped hash HMAC needs: one-shot, incremental, and the block size. */
interface HashLike {
  (msg: Uint8Array): Uint8Array;
  readonly blockLen: number;
  readonly outputLen: number;
  create(): { update(data: Uint8Array): unknown; digest(): Uint8Array };
}

/** Vault's hash algorithm names. A Map: the name comes from a URL or body, so `constructor` must find nothing. */
const HASHES: ReadonlyMap<string, HashLike> = new Map<string, HashLike>([
  ['sha2-224', sha224],
  ['sha2-256', sha256],
  ['sha2-384', sha384],
  ['sha2-512', sha512],
  ['sha3-224', sha3_224],
  ['sha3-256', sha3_256],
  ['sha3-384', sha3_384],
  ['sha3-512', sha3_512],
]);

/** The names `hash` and `hmac` accept, in Vault's spelling. */
export const TRANSIT_HASH_ALGORITHMS: readonly string[] = [...HASHES.keys()];

/** True for a name in the table (routing uses it to decide whether a trailing `/:algorithm` segment routes). */
export function isTransitHashAlgorithm(name: string): boolean {
  return HASHES.has(name);
}

async function lookup(name: unknown): Promise<HashLike> {
  const h = typeof name === 'string' ? HASHES.get(name) : undefined;
  if (!h) throw transitError(TransitErrorCodes.INVALID_REQUEST, `unsupported algorithm ${String(name)}`);
  // SHA-3 runs on the wasm Keccak: a server may answer `hash` before any KEM operation initialized it.
  if (!isInitialized()) await init();
  return h;
}

/** The digest of `msg` with a Vault-named algorithm (`sha2-256` … `sha3-512`). */
export async function transitHash(algorithm: string, msg: Uint8Array): Promise<Uint8Array> {
  return (await lookup(algorithm))(msg);
}

/** HMAC (RFC 2104) with a Vault-named hash; the padded key blocks are wiped before returning. */
export async function transitHmac(algorithm: string, key: Uint8Array, msg: Uint8Array): Promise<Uint8Array> {
  const h = await lookup(algorithm);
  // K0: the key, hashed first if longer than a block, zero-padded to the block size.
  const k0 = new Uint8Array(h.blockLen);
  if (key.length > h.blockLen) {
    const d = h(key);
    k0.set(d);
    wipe(d);
  } else k0.set(key);
  const pad = new Uint8Array(h.blockLen);
  let inner: Uint8Array | undefined;
  try {
    for (let i = 0; i < pad.length; i++) pad[i] = k0[i]! ^ 0x36;
    const hi = h.create();
    hi.update(pad);
    hi.update(msg);
    inner = hi.digest();
    for (let i = 0; i < pad.length; i++) pad[i] = k0[i]! ^ 0x5c;
    const ho = h.create();
    ho.update(pad);
    ho.update(inner);
    return ho.digest();
  } finally {
    wipe(k0, pad, inner);
  }
}
