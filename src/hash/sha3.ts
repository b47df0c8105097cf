import { QsignError } from '../errors.js';
import { ensureBytes } from '../util/bytes.js';
import { KeccakKind, type QsignExports } from '../wasm/exports.js';
import { withHeap as withHeapOf, type Heap } from '../wasm/heap.js';
import { moduleSource } from '#wasm-source/sha3';
import { getExports as getExportsOf, registerModuleSource } from '../wasm/loader.js';
import { checkStatus } from '../wasm/status.js';
// Plain hashing runs on the ML-KEM or ML-DSA module when one is loaded, else
// on the SHA-3-only module (src/wasm/loader.ts); the choice is fixed once made.
// This family's module (instantiated on first use), and only it, enters a bundle with this code (loader.ts registerModuleSource).
registerModuleSource('sha3', moduleSource);
const withHeap = <T>(fn: (h: Heap) => T): T => withHeapOf('sha3', fn);
const getExports = (): QsignExports => getExportsOf('sha3');

/*
 * SHA-3 and SHAKE (FIPS 202) on the wasm Keccak, shaped like @noble/hashes:
 * `sha3_256(msg)`, `sha3_256.create().update(a).update(b).digest()`,
 * `shake256(msg, { dkLen })`, and `.xof(n)` on SHAKE hashers.
 */

/** Input is fed through the scratch arena in chunks of this size. */
const CHUNK = 64 * 1024;

/** An incremental hash; call `destroy()` if you abandon one before `digest()`. */
export interface Hasher {
  readonly blockLen: number;
  readonly outputLen: number;
  /** Absorbs more input; returns the hasher for chaining. */
  update(data: Uint8Array): this;
  /** The digest; the hasher cannot be used afterwards. */
  digest(): Uint8Array;
  /** SHAKE only: squeezes `n` more bytes; may be called repeatedly. */
  xof(n: number): Uint8Array;
  /** An independent copy of the current state. */
  clone(): Hasher;
  /** Frees the wasm state without producing output. */
  destroy(): void;
}

// FinalizationRegistry frees the wasm state of hashers dropped without digest().
const finalizer =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<number>((ptr) => {
        try {
          getExports().qs_keccak_free(ptr);
        } catch {
          /* instance replaced */
        }
      })
    : undefined;

class KeccakHasher implements Hasher {
  private state: number;
  private finished = false;
  constructor(
    private readonly kind: KeccakKind,
    readonly blockLen: number,
    readonly outputLen: number,
    private readonly xofAllowed: boolean,
    fromState?: number,
  ) {
    const x = getExports();
    this.state = fromState ?? x.qs_keccak_new(kind);
    if (this.state === 0) throw new QsignError('ERR_OUT_OF_MEMORY', 'could not allocate a Keccak state in wasm memory');
    finalizer?.register(this, this.state, this);
  }

  private live(): number {
    if (this.state === 0)
      throw new QsignError('ERR_DESTROYED', 'this hasher was already finished or destroyed; create a new one');
    return this.state;
  }

  update(data: Uint8Array): this {
    ensureBytes('data', data);
    const st = this.live();
    if (this.finished)
      throw new QsignError('ERR_INVALID_ARGUMENT', 'update() after digest()/xof(): create a new hasher');
    for (let i = 0; i < data.length || i === 0; i += CHUNK) {
      const part = data.subarray(i, Math.min(data.length, i + CHUNK));
      if (part.length === 0) break;
      withHeap((h) => checkStatus(h.x.qs_keccak_absorb(st, h.put(part), part.length), 'SHA-3 update'));
    }
    return this;
  }

  private squeeze(n: number): Uint8Array {
    const st = this.live();
    if (!this.finished) {
      checkStatus(getExports().qs_keccak_finalize(st), 'SHA-3 digest');
      this.finished = true;
    }
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += CHUNK) {
      const len = Math.min(CHUNK, n - i);
      withHeap((h) => {
        const p = h.alloc(len);
        checkStatus(h.x.qs_keccak_squeeze(st, p, len), 'SHA-3 digest');
        out.set(h.read(p, len), i);
      });
    }
    return out;
  }

  digest(): Uint8Array {
    const out = this.squeeze(this.outputLen);
    this.destroy();
    return out;
  }

  xof(n: number): Uint8Array {
    if (!this.xofAllowed) throw new QsignError('ERR_INVALID_ARGUMENT', 'xof() is only available on SHAKE128/SHAKE256');
    if (!Number.isSafeInteger(n) || n < 0)
      throw new QsignError('ERR_INVALID_ARGUMENT', 'xof(n): n must be a non-negative integer');
    return this.squeeze(n);
  }

  clone(): Hasher {
    const copy = getExports().qs_keccak_clone(this.live());
    const h = new KeccakHasher(this.kind, this.blockLen, this.outputLen, this.xofAllowed, copy);
    h.finished = this.finished;
    return h;
  }

  destroy(): void {
    if (this.state === 0) return;
    finalizer?.unregister(this);
    getExports().qs_keccak_free(this.state);
    this.state = 0;
  }
}

/** A fixed-output hash in the noble shape: call it on a message, or `create()` an incremental hasher. */
export interface HashFn {
  /** The digest of `msg`. */
  (msg: Uint8Array): Uint8Array;
  readonly outputLen: number;
  readonly blockLen: number;
  /** An incremental hasher. */
  create(): Hasher;
}

/** An extendable-output function (SHAKE) in the noble shape. */
export interface XofFn {
  /** `dkLen` bytes (default `outputLen`) of output for `msg`. */
  (msg: Uint8Array, opts?: { dkLen?: number }): Uint8Array;
  readonly outputLen: number;
  readonly blockLen: number;
  /** An incremental hasher; `xof(n)` squeezes output. */
  create(opts?: { dkLen?: number }): Hasher;
}

function oneshot(kind: KeccakKind, msg: Uint8Array, outLen: number): Uint8Array {
  return withHeap((h) => {
    const out = h.alloc(outLen);
    h.x.qs_keccak_oneshot(kind, h.put(msg), msg.length, out, outLen);
    return h.read(out, outLen);
  });
}

function makeHash(kind: KeccakKind, blockLen: number, outputLen: number): HashFn {
  const fn = (msg: Uint8Array): Uint8Array => {
    ensureBytes('msg', msg);
    if (msg.length <= CHUNK) return oneshot(kind, msg, outputLen);
    return fn.create().update(msg).digest();
  };
  fn.create = (): Hasher => new KeccakHasher(kind, blockLen, outputLen, false);
  return Object.freeze(Object.assign(fn, { outputLen, blockLen })) as HashFn;
}

function makeXof(kind: KeccakKind, blockLen: number, defaultLen: number): XofFn {
  const dk = (opts?: { dkLen?: number }): number => {
    const n = opts?.dkLen ?? defaultLen;
    if (!Number.isSafeInteger(n) || n < 0)
      throw new QsignError('ERR_INVALID_ARGUMENT', 'dkLen must be a non-negative integer');
    return n;
  };
  const fn = (msg: Uint8Array, opts?: { dkLen?: number }): Uint8Array => {
    ensureBytes('msg', msg);
    const n = dk(opts);
    if (msg.length <= CHUNK && n <= CHUNK) return oneshot(kind, msg, n);
    return fn.create(opts).update(msg).digest();
  };
  fn.create = (opts?: { dkLen?: number }): Hasher => new KeccakHasher(kind, blockLen, dk(opts), true);
  return Object.freeze(Object.assign(fn, { outputLen: defaultLen, blockLen })) as XofFn;
}

/** SHA3-224 (FIPS 202). */
export const sha3_224: HashFn = makeHash(KeccakKind.SHA3_224, 144, 28);
/** SHA3-256 (FIPS 202). */
export const sha3_256: HashFn = makeHash(KeccakKind.SHA3_256, 136, 32);
/** SHA3-384 (FIPS 202). */
export const sha3_384: HashFn = makeHash(KeccakKind.SHA3_384, 104, 48);
/** SHA3-512 (FIPS 202). */
export const sha3_512: HashFn = makeHash(KeccakKind.SHA3_512, 72, 64);
/** SHAKE128 XOF; default output 16 bytes like @noble/hashes, set `dkLen` for more. */
export const shake128: XofFn = makeXof(KeccakKind.SHAKE128, 168, 16);
/** SHAKE256 XOF; default output 32 bytes like @noble/hashes, set `dkLen` for more. */
export const shake256: XofFn = makeXof(KeccakKind.SHAKE256, 136, 32);
