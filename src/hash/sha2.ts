import { QsignError } from '../errors.js';

/*
 * SHA-2 for the HashML-DSA / HashSLH-DSA pre-hash (FIPS 204 §5.4.1, FIPS 205
 * §10.2.2), kept off the root import path: importing @noble/hashes/sha2 at
 * `import 'qsign-pqc'` cost ~4.5 ms of a ~21 ms Node 20 cold start (issue 23)
 * for an app that may never pre-hash. Where the runtime hands out its own
 * `node:crypto` synchronously (process.getBuiltinModule: Node ≥ 20.16, Bun,
 * Deno) the digest comes from there, loaded on the first pre-hash; elsewhere
 * (browsers, Workers) init() imports @noble/hashes/sha2 on demand
 * ({@link loadSha2}, which the HashML-DSA / HashSLH-DSA objects hand to
 * init() with `beforeReady`: an app bundling neither never references noble's
 * SHA-2), so the pre-hash stays synchronous after `await init()`. It hashes
 * public data only (the message), like the noble functions it stands in for.
 */

/** The SHA-2 functions FIPS 204 §5.4.1 allows as pre-hash, named as in NIST ACVP. */
export type Sha2Name = 'SHA2-224' | 'SHA2-256' | 'SHA2-384' | 'SHA2-512' | 'SHA2-512/224' | 'SHA2-512/256';
type Digest = (m: Uint8Array) => Uint8Array;

const RUNTIME_NAME: Readonly<Record<Sha2Name, string>> = {
  'SHA2-224': 'sha224',
  'SHA2-256': 'sha256',
  'SHA2-384': 'sha384',
  'SHA2-512': 'sha512',
  'SHA2-512/224': 'sha512-224',
  'SHA2-512/256': 'sha512-256',
};

let digests: Record<Sha2Name, Digest> | undefined;

interface RuntimeCrypto {
  getHashes(): string[];
  createHash(name: string): { update(m: Uint8Array): { digest(): Uint8Array } };
}

function getBuiltin(): ((id: string) => unknown) | undefined {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return typeof p?.getBuiltinModule === 'function' ? p.getBuiltinModule.bind(p) : undefined;
}

/**
 * Workers may offer process.getBuiltinModule (nodejs_compat) without every SHA-2 variant: they take noble.
 * Deno has it from 2.1 (denoland/deno#26833; 2.0.x has none), but builds its Node compatibility layer on the
 * first touch of globalThis.process (measured 13 ms of a ~35 ms Deno cold start, in init()): there its version
 * answers, and the touch waits for the first pre-hash.
 */
function runtimeMayServe(): boolean {
  const g = globalThis as { navigator?: { userAgent?: string }; Deno?: { version?: { deno?: string } } };
  if (g.navigator?.userAgent === 'Cloudflare-Workers') return false;
  if (g.Deno) {
    const [major = 0, minor = 0] = (g.Deno.version?.deno ?? '').split('.').map(Number);
    return major > 2 || (major === 2 && minor >= 1);
  }
  return getBuiltin() !== undefined;
}

function fromRuntime(): Record<Sha2Name, Digest> | undefined {
  if (!runtimeMayServe()) return undefined;
  const crypto = getBuiltin()?.('node:crypto') as RuntimeCrypto | undefined;
  const have = crypto?.getHashes?.();
  if (!crypto || !have || !Object.values(RUNTIME_NAME).every((n) => have.includes(n))) return undefined;
  const digest =
    (name: string): Digest =>
    (m) => {
      const d = crypto.createHash(name).update(m).digest();
      // A plain Uint8Array like noble's (not a Buffer), on its own memory.
      return new Uint8Array(d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength));
    };
  return Object.fromEntries(Object.entries(RUNTIME_NAME).map(([k, n]) => [k, digest(n)])) as Record<Sha2Name, Digest>;
}

/**
 * Makes {@link sha2} ready where the runtime has no synchronous SHA-2 (browsers, Workers): init() awaits it.
 * Where it has one, nothing is loaded now (the first pre-hash loads it).
 */
export async function loadSha2(): Promise<void> {
  if (digests || runtimeMayServe()) return;
  const n = await import('@noble/hashes/sha2.js');
  digests ??= {
    'SHA2-224': n.sha224,
    'SHA2-256': n.sha256,
    'SHA2-384': n.sha384,
    'SHA2-512': n.sha512,
    'SHA2-512/224': n.sha512_224,
    'SHA2-512/256': n.sha512_256,
  };
}

/** SHA-2 digest of `m` (public data: the pre-hashed message), synchronously. */
export function sha2(name: Sha2Name, m: Uint8Array): Uint8Array {
  digests ??= fromRuntime();
  if (!digests) {
    throw new QsignError(
      'ERR_NOT_INITIALIZED',
      `${name} pre-hash needs SHA-2, which this runtime loads in init(): call \`await init()\` once before pre-hashing`,
    );
  }
  return digests[name](m);
}
