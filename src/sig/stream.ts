import { QsignError } from '../errors.js';
import { ensureBytes } from '../util/bytes.js';
import { KeccakKind, type QsignExports } from '../wasm/exports.js';
import { withHeap as withHeapOf, type Heap } from '../wasm/heap.js';
import { moduleSource } from '#wasm-source/mldsa';
import { getExports as getExportsOf, registerModuleSource } from '../wasm/loader.js';
import { registerSelfTest } from '../wasm/selftest.js';
import { MLDSA_SELF_TEST } from './mldsa-selftest.js';
import { checkStatus } from '../wasm/status.js';
import {
  ABSORB_CHUNK,
  checkOptions,
  contextOf,
  purePrefix,
  rndOf,
  trOfPublicKey,
  type MlDsaCore,
  type MlDsaSignOptions,
  type MlDsaVerifyOptions,
} from './mldsa.js';
// This family's module (instantiated on first use) and its self-test, and only they, enter a bundle with this code
// (loader.ts registerModuleSource, selftest.ts registerSelfTest).
registerModuleSource('ml-dsa', moduleSource);
registerSelfTest(MLDSA_SELF_TEST);
const withHeap = <T>(fn: (h: Heap) => T): T => withHeapOf('ml-dsa', fn);
const getExports = (): QsignExports => getExportsOf('ml-dsa');

/*
 * Streaming ML-DSA on external μ: μ = SHAKE256(tr ‖ 0x00 ‖ len(ctx) ‖ ctx ‖ M)
 * is absorbed chunk by chunk in a wasm Keccak state, then signed/verified with
 * Sign_internal/Verify_internal on μ. The result is byte-identical to one-shot
 * signing of the concatenated message, and memory stays flat whatever the
 * message size (only one chunk is in wasm memory at a time).
 */

/** Incremental signer; see `ml_dsa65.signer()`. */
export interface MlDsaStreamSigner {
  /** Absorbs the next piece of the message. */
  update(chunk: Uint8Array): this;
  /** Finishes the message and returns the signature; the signer is then spent. */
  sign(): Uint8Array;
  /** Releases the wasm state and wipes the key copy without signing (idempotent). */
  destroy(): void;
}

/**
 * Incremental verifier; see `ml_dsa65.verifier()`. Memory stays flat whatever the message size, and the
 * result equals a one-shot `verify` of the concatenated chunks.
 *
 * @example
 * ```ts
 * const v = ml_dsa65.verifier(publicKey);
 * for (const chunk of chunks) v.update(chunk);
 * const ok = v.verify(signature);
 * ```
 */
export interface MlDsaStreamVerifier {
  /** Absorbs the next piece of the message. */
  update(chunk: Uint8Array): this;
  /** Finishes the message; true when `sig` is a valid signature over it. The verifier is then spent. */
  verify(sig: Uint8Array): boolean;
  /** Releases the wasm state without verifying (idempotent). */
  destroy(): void;
}

/**
 * Where streamed bytes come from: a Web `ReadableStream`, a Node stream or any (async) iterable of byte chunks,
 * or the whole input as one `Uint8Array` (taken as a single chunk, not iterated byte by byte).
 */
export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Uint8Array;

// `Symbol.dispose` exists from ES2025 runtimes on; Symbol.for is the agreed fallback.
const disposeSymbol: symbol = (Symbol as unknown as { dispose?: symbol }).dispose ?? Symbol.for('Symbol.dispose');

// Frees the Keccak state of a signer/verifier that was dropped without finishing.
const finalizer =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<{ x: QsignExports; st: number }>(({ x, st }) => {
        try {
          x.qs_keccak_free(st);
        } catch {
          /* instance gone */
        }
      })
    : undefined;

/** A live SHAKE256 state tied to the wasm instance it was created in. */
class MuAccumulator {
  private x: QsignExports;
  private st: number;

  constructor(owner: object, first: Uint8Array[]) {
    this.x = getExports();
    this.st = this.x.qs_keccak_new(KeccakKind.SHAKE256);
    if (this.st === 0) throw new QsignError('ERR_OUT_OF_MEMORY', 'could not allocate a SHAKE256 state in wasm memory');
    finalizer?.register(owner, { x: this.x, st: this.st }, owner);
    for (const part of first) this.absorb(part);
  }

  live(): boolean {
    return this.st !== 0;
  }

  absorb(data: Uint8Array): void {
    if (this.st === 0)
      throw new QsignError(
        'ERR_DESTROYED',
        'this streaming signer/verifier was already finished or destroyed; create a new one',
      );
    if (getExports() !== this.x) {
      throw new QsignError(
        'ERR_DESTROYED',
        'the wasm instance was replaced (init({ force: true })) while this stream was open; start the stream again',
      );
    }
    const st = this.st;
    for (let i = 0; i < data.length; i += ABSORB_CHUNK) {
      const part = data.subarray(i, Math.min(data.length, i + ABSORB_CHUNK));
      withHeap((h) => checkStatus(h.x.qs_keccak_absorb(st, h.put(part), part.length), 'ML-DSA stream update'));
    }
  }

  /** Squeezes μ and frees the state. */
  finish(owner: object): Uint8Array {
    this.absorb(new Uint8Array(0)); // liveness and instance checks
    const st = this.st;
    try {
      return withHeap((h) => {
        const mu = h.alloc(64);
        checkStatus(h.x.qs_keccak_finalize(st), 'ML-DSA stream');
        checkStatus(h.x.qs_keccak_squeeze(st, mu, 64), 'ML-DSA stream');
        return h.read(mu, 64);
      });
    } finally {
      this.free(owner);
    }
  }

  free(owner: object): void {
    if (this.st === 0) return;
    finalizer?.unregister(owner);
    try {
      this.x.qs_keccak_free(this.st);
    } catch {
      /* instance gone */
    }
    this.st = 0;
  }
}

class StreamSigner implements MlDsaStreamSigner {
  private readonly acc: MuAccumulator;
  private readonly sk: Uint8Array;
  private readonly entropy: Uint8Array | false | undefined;

  constructor(
    private readonly core: MlDsaCore,
    secretKey: Uint8Array,
    opts?: MlDsaSignOptions,
  ) {
    const o = checkOptions(opts, ['context', 'extraEntropy'], `${core.p.name} signer`);
    const pre = purePrefix(contextOf(o.context));
    if (o.extraEntropy !== undefined && o.extraEntropy !== false) ensureBytes('extraEntropy', o.extraEntropy, 32);
    this.sk = core.checkSecretKey(secretKey).slice();
    this.entropy = o.extraEntropy instanceof Uint8Array ? o.extraEntropy.slice() : o.extraEntropy;
    // tr = H(pk, 64) is stored in the expanded key at bytes 64..128.
    this.acc = new MuAccumulator(this, [this.sk.subarray(64, 128), pre]);
  }

  update(chunk: Uint8Array): this {
    this.acc.absorb(ensureBytes('chunk', chunk));
    return this;
  }

  sign(): Uint8Array {
    const mu = this.acc.finish(this);
    const rnd = rndOf(this.entropy);
    try {
      return this.core.signMu(mu, this.sk, rnd);
    } finally {
      rnd.fill(0);
      mu.fill(0);
      this.sk.fill(0);
    }
  }

  destroy(): void {
    this.acc.free(this);
    this.sk.fill(0);
    if (this.entropy instanceof Uint8Array) this.entropy.fill(0);
  }
}

class StreamVerifier implements MlDsaStreamVerifier {
  private readonly acc: MuAccumulator;
  private readonly pk: Uint8Array;

  constructor(
    private readonly core: MlDsaCore,
    publicKey: Uint8Array,
    opts?: MlDsaVerifyOptions,
  ) {
    const o = checkOptions(opts, ['context'], `${core.p.name} verifier`);
    const pre = purePrefix(contextOf(o.context));
    this.pk = core.checkPublicKey(publicKey).slice();
    this.acc = new MuAccumulator(this, [trOfPublicKey(this.pk), pre]);
  }

  update(chunk: Uint8Array): this {
    this.acc.absorb(ensureBytes('chunk', chunk));
    return this;
  }

  verify(sig: Uint8Array): boolean {
    ensureBytes('signature', sig);
    const mu = this.acc.finish(this);
    return this.core.verifyMu(sig, mu, this.pk);
  }

  destroy(): void {
    this.acc.free(this);
  }
}

for (const C of [StreamSigner, StreamVerifier]) {
  Object.defineProperty(C.prototype, disposeSymbol, {
    value(this: { destroy(): void }) {
      this.destroy();
    },
    configurable: true,
    writable: true,
  });
}

/** Creates a streaming signer (frees its wasm state on sign()/destroy()/`using`). */
export function makeSigner(core: MlDsaCore, secretKey: Uint8Array, opts?: MlDsaSignOptions): MlDsaStreamSigner {
  return new StreamSigner(core, secretKey, opts);
}

/** Creates a streaming verifier. */
export function makeVerifier(core: MlDsaCore, publicKey: Uint8Array, opts?: MlDsaVerifyOptions): MlDsaStreamVerifier {
  return new StreamVerifier(core, publicKey, opts);
}

function asBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new QsignError(
    'ERR_INVALID_ARGUMENT',
    `stream chunks must be bytes (Uint8Array/Buffer), got ${typeof chunk}; for text streams pipe through TextEncoderStream first`,
  );
}

/** Feeds every chunk of `source` to `sink`. */
export async function drain(source: ByteSource, sink: (chunk: Uint8Array) => void): Promise<void> {
  if (source === null || typeof source !== 'object') {
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      `expected a ReadableStream, a Node stream or an (async) iterable of Uint8Array chunks, got ${source === null ? 'null' : typeof source}`,
    );
  }
  // A whole buffer is one chunk; iterating it would yield numbers.
  if (ArrayBuffer.isView(source)) {
    sink(asBytes(source));
    return;
  }
  const s = source as { getReader?: unknown };
  if (typeof s.getReader === 'function' && !(Symbol.asyncIterator in (source as object))) {
    // Web streams without async iteration (older Safari).
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        sink(asBytes(value));
      }
    } finally {
      reader.releaseLock();
    }
    return;
  }
  if (Symbol.asyncIterator in source || Symbol.iterator in source) {
    for await (const chunk of source as AsyncIterable<Uint8Array>) sink(asBytes(chunk));
    return;
  }
  throw new QsignError(
    'ERR_INVALID_ARGUMENT',
    'expected a ReadableStream, a Node stream or an (async) iterable of Uint8Array chunks',
  );
}

/** Signs everything `source` yields (see {@link MlDsaStreamSigner}). */
export async function signStream(
  core: MlDsaCore,
  source: ByteSource,
  secretKey: Uint8Array,
  opts?: MlDsaSignOptions,
): Promise<Uint8Array> {
  const signer = new StreamSigner(core, secretKey, opts);
  try {
    await drain(source, (c) => signer.update(c));
    return signer.sign();
  } finally {
    signer.destroy();
  }
}

/** Verifies `sig` over everything `source` yields. */
export async function verifyStream(
  core: MlDsaCore,
  sig: Uint8Array,
  source: ByteSource,
  publicKey: Uint8Array,
  opts?: MlDsaVerifyOptions,
): Promise<boolean> {
  ensureBytes('signature', sig);
  const verifier = new StreamVerifier(core, publicKey, opts);
  try {
    await drain(source, (c) => verifier.update(c));
    return verifier.verify(sig);
  } finally {
    verifier.destroy();
  }
}
