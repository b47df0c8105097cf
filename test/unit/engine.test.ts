// Engine routing, probing and policy under vitest (Node 20, which has no
// native ML-DSA/ML-KEM). Native behaviour is simulated by a fake
// `crypto.subtle` built on our wasm primitives, configurable to act like the
// runtimes we measured: full (Node 24), no contexts (Deno 2.9), no
// ML-KEM-512 (Chromium 156, Bun 1.4) — or lying (wrong public keys).
import { describe, it, expect, beforeAll, afterEach, vi } from 'vitest';

// The committed table has no Node 20 row (no native there); this one makes
// the policy prefer native for some operations so routing can be observed.
vi.mock('../../src/engine/policy-table.js', () => ({
  POLICY_TABLE: {
    'node@20': {
      'ML-DSA-65': { sign: 'webcrypto', verify: 'webcrypto', keygen: 'webcrypto' },
      'ML-DSA-44': { verify: 'webcrypto' },
      'ML-KEM-768': { encapsulate: 'webcrypto', decapsulate: 'webcrypto' },
      'ML-KEM-512': { encapsulate: 'webcrypto' },
    },
  },
}));

import { init, ml_dsa44, ml_dsa65, ml_dsa87, ml_kem512, ml_kem768, ml_kem1024, isQsignError } from '../../src/index.js';
import {
  capabilities,
  probeWebCrypto,
  engineFor,
  explainEngine,
  sign,
  verify,
  encapsulate,
  decapsulate,
  signatureKeygen,
  kemKeygen,
  importKeyToWebCrypto,
  seedFromWebCrypto,
  publicKeyFromWebCrypto,
  ml_dsa65_async,
} from '../../src/webcrypto/index.js';
import { resetProbes, knownCapability } from '../../src/engine/probe.js';
import {
  suite as hpkeSuite,
  seal as hpkeSeal,
  open as hpkeOpen,
  generateKeyPair as hpkeGenerateKeyPair,
  xwing,
} from '../../src/hybrid/index.js';
import { xwingDecapsulateAsync } from '../../src/hybrid/xwing.js';
import { parseUserAgent, runtimeInfo } from '../../src/engine/runtime.js';
import { policyPick, policyRow } from '../../src/engine/policy.js';

/** The slice of the primitives the fake uses (both kinds, loosely typed). */
interface AnyPrim {
  keygen(seed?: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array };
  sign(m: Uint8Array, sk: Uint8Array, o?: object): Uint8Array;
  verify(s: Uint8Array, m: Uint8Array, pk: Uint8Array, o?: object): boolean;
  encapsulate(pk: Uint8Array): { cipherText: Uint8Array; sharedSecret: Uint8Array };
  decapsulate(ct: Uint8Array, sk: Uint8Array): Uint8Array;
}
const PRIMS: Record<string, AnyPrim> = {
  'ML-DSA-44': ml_dsa44,
  'ML-DSA-65': ml_dsa65,
  'ML-DSA-87': ml_dsa87,
  'ML-KEM-512': ml_kem512,
  'ML-KEM-768': ml_kem768,
  'ML-KEM-1024': ml_kem1024,
} as unknown as Record<string, AnyPrim>;

interface FakeOptions {
  algorithms?: string[];
  context?: boolean;
  /** Derive a wrong public key from seeds (a broken native implementation). */
  lie?: boolean;
}

class FakeKey {
  constructor(
    readonly type: 'private' | 'public',
    readonly algorithm: { name: string },
    readonly extractable: boolean,
    readonly usages: string[],
    readonly seed?: Uint8Array,
    readonly pub?: Uint8Array,
  ) {}
}

function domError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** A Web Crypto "modern algorithms" subtle on our wasm, counting the calls that reach it. */
function makeFake(opts: FakeOptions = {}) {
  const algs = new Set(opts.algorithms ?? Object.keys(PRIMS));
  const calls = { sign: 0, verify: 0, encapsulateBits: 0, decapsulateBits: 0, importKey: 0, generateKey: 0 };
  /** Every buffer handed to importKey('raw-seed'), kept to check it was wiped afterwards. */
  const seedInputs: Uint8Array[] = [];
  const prim = (alg: unknown) => {
    const name = typeof alg === 'string' ? alg : (alg as { name: string }).name;
    if (!algs.has(name)) throw domError('NotSupportedError', 'Unrecognized algorithm name');
    return { name, p: PRIMS[name] };
  };
  const pubOf = (name: string, seed: Uint8Array) => {
    const pk = PRIMS[name].keygen(seed).publicKey as Uint8Array;
    if (opts.lie) {
      const x = pk.slice();
      x[0]! ^= 1;
      return x;
    }
    return pk;
  };
  const expanded = (k: FakeKey) => PRIMS[k.algorithm.name].keygen(k.seed).secretKey;
  const buf = (u: Uint8Array) => u.slice().buffer;
  const subtle = {
    async importKey(format: string, data: Uint8Array, alg: unknown, extractable: boolean, usages: string[]) {
      calls.importKey++;
      const { name } = prim(alg);
      // Like a real runtime, the key keeps its own copy (Web Crypto copies keyData before returning).
      if (format === 'raw-seed') {
        seedInputs.push(data);
        return new FakeKey('private', { name }, extractable, usages, new Uint8Array(data));
      }
      if (format === 'raw-public')
        return new FakeKey('public', { name }, true, usages, undefined, new Uint8Array(data));
      throw domError('NotSupportedError', `format ${format}`);
    },
    async getPublicKey(key: FakeKey, usages: string[]) {
      return new FakeKey('public', key.algorithm, true, usages, undefined, pubOf(key.algorithm.name, key.seed!));
    },
    async exportKey(format: string, key: FakeKey) {
      if (format === 'raw-public' && key.type === 'public') return buf(key.pub!);
      if (format === 'raw-seed' && key.type === 'private') {
        if (!key.extractable) throw domError('InvalidAccessError', 'key is not extractable');
        return buf(key.seed!);
      }
      throw domError('NotSupportedError', `format ${format}`);
    },
    async generateKey(alg: unknown, extractable: boolean, usages: string[]) {
      calls.generateKey++;
      const { name } = prim(alg);
      const seed = crypto.getRandomValues(new Uint8Array(name.startsWith('ML-KEM') ? 64 : 32));
      return {
        privateKey: new FakeKey('private', { name }, extractable, usages, seed),
        publicKey: new FakeKey('public', { name }, true, usages, undefined, pubOf(name, seed)),
      };
    },
    async sign(alg: { name: string; context?: Uint8Array }, key: FakeKey, data: Uint8Array) {
      calls.sign++;
      const { p } = prim(alg);
      if (alg.context?.length && !(opts.context ?? true))
        throw domError('NotSupportedError', 'Non-empty context is not supported');
      return buf(p.sign(data, expanded(key), alg.context ? { context: alg.context } : {}));
    },
    async verify(alg: { name: string; context?: Uint8Array }, key: FakeKey, sig: Uint8Array, data: Uint8Array) {
      calls.verify++;
      const { p } = prim(alg);
      if (alg.context?.length && !(opts.context ?? true))
        throw domError('NotSupportedError', 'Non-empty context is not supported');
      return p.verify(sig, data, key.pub, alg.context ? { context: alg.context } : {});
    },
    async encapsulateBits(alg: unknown, key: FakeKey) {
      calls.encapsulateBits++;
      const { p } = prim(alg);
      const r = p.encapsulate(key.pub);
      return { ciphertext: buf(r.cipherText), sharedKey: buf(r.sharedSecret) };
    },
    async decapsulateBits(alg: unknown, key: FakeKey, ct: Uint8Array) {
      calls.decapsulateBits++;
      const { p } = prim(alg);
      return buf(p.decapsulate(ct, expanded(key)));
    },
  };
  return { subtle, calls, seedInputs };
}

const realCrypto = globalThis.crypto;
const original = Object.getOwnPropertyDescriptor(globalThis, 'crypto');

function install(fake: { subtle: unknown } | undefined, onSubtle?: () => void): void {
  const c = {
    getRandomValues: <T extends ArrayBufferView | null>(a: T) =>
      realCrypto.getRandomValues(a as Uint8Array<ArrayBuffer>) as unknown as T,
    randomUUID: () => realCrypto.randomUUID(),
    get subtle() {
      onSubtle?.();
      return fake?.subtle;
    },
  };
  Object.defineProperty(globalThis, 'crypto', { value: c, configurable: true, writable: true });
  resetProbes();
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return isQsignError(e) ? e.code : `non-QsignError: ${(e as Error).message}`;
  }
  return undefined;
}

beforeAll(async () => {
  await init();
});
afterEach(async () => {
  if (original) Object.defineProperty(globalThis, 'crypto', original);
  resetProbes();
  await init({ engine: 'auto' });
});

describe('runtime identification', () => {
  it('parses the user agents of every runtime we support', () => {
    expect(parseUserAgent('Node.js/24')).toEqual({ name: 'node', version: '24' });
    expect(parseUserAgent('Deno/2.9.6')).toEqual({ name: 'deno', version: '2.9.6' });
    expect(parseUserAgent('Bun/1.4.5')).toEqual({ name: 'bun', version: '1.4.5' });
    expect(parseUserAgent('Cloudflare-Workers').name).toBe('workerd');
    expect(
      parseUserAgent(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36',
      ),
    ).toEqual({ name: 'chromium', version: '156.0.0.0' });
    expect(parseUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0')).toEqual({
      name: 'firefox',
      version: '153.0',
    });
    expect(
      parseUserAgent(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
      ).name,
    ).toBe('safari');
    expect(parseUserAgent('').name).toBe('unknown');
  });

  it('this process (Node 20, no navigator.userAgent) is node@20 via process.versions', () => {
    expect(runtimeInfo().name).toBe('node');
    expect(runtimeInfo().key).toBe(`node@${process.versions.node.split('.')[0]}`);
  });
});

describe('policy lookup', () => {
  const table = {
    'node@24': { 'ML-DSA-65': { verify: 'webcrypto' as const } },
    'node@22': { 'ML-DSA-65': { sign: 'webcrypto' as const } },
  };
  const rt = (name: 'node' | 'deno', major: number) => ({
    name,
    version: String(major),
    major,
    key: `${name}@${major}`,
  });
  it('uses the exact row, else the newest older major of the family, else wasm', () => {
    expect(policyPick(rt('node', 24), 'ML-DSA-65', 'verify', table)).toBe('webcrypto');
    expect(policyPick(rt('node', 24), 'ML-DSA-65', 'sign', table)).toBe('wasm');
    expect(policyRow(rt('node', 26), table)).toBe(table['node@24']);
    expect(policyPick(rt('node', 23), 'ML-DSA-65', 'sign', table)).toBe('webcrypto');
    expect(policyRow(rt('node', 20), table)).toBe(undefined);
    expect(policyPick(rt('node', 20), 'ML-DSA-65', 'verify', table)).toBe('wasm');
    expect(policyPick(rt('deno', 24), 'ML-DSA-65', 'verify', table)).toBe('wasm');
  });
});

describe('Node 20: no native ML-DSA/ML-KEM', () => {
  it('the probe finds nothing, auto uses wasm, webcrypto fails with ERR_UNSUPPORTED_BY_RUNTIME', async () => {
    const caps = await probeWebCrypto();
    expect(caps.webCrypto).toBe(true);
    for (const c of Object.values(caps.algorithms)) {
      expect(c.probed).toBe(true);
      expect(c.importSeed || c.sign || c.encapsulate).toBe(false);
      expect(c.notes.join(' ')).toMatch(/does not support/);
    }
    const seed = new Uint8Array(32).fill(3);
    expect(engineFor('ML-DSA-65', 'sign', { key: seed })).toBe('wasm');
    const sig = await sign('ML-DSA-65', seed, new Uint8Array(1));
    expect(ml_dsa65.verify(sig, new Uint8Array(1), ml_dsa65.keygen(seed).publicKey)).toBe(true);
    await init({ engine: 'webcrypto' });
    expect(await codeOf(sign('ML-DSA-65', seed, new Uint8Array(1)))).toBe('ERR_UNSUPPORTED_BY_RUNTIME');
    expect(await codeOf(encapsulate('ML-KEM-768', ml_kem768.keygen().publicKey))).toBe('ERR_UNSUPPORTED_BY_RUNTIME');
    expect(await codeOf(importKeyToWebCrypto('ML-DSA-65', seed))).toBe('ERR_UNSUPPORTED_BY_RUNTIME');
    expect(await codeOf(kemKeygen('ML-KEM-768', undefined, { output: 'cryptokey' }))).toBe(
      'ERR_UNSUPPORTED_BY_RUNTIME',
    );
  });

  it('a runtime without crypto.subtle at all is handled the same way', async () => {
    install(undefined);
    const caps = await probeWebCrypto();
    expect(caps.webCrypto).toBe(false);
    expect(caps.algorithms['ML-DSA-65'].notes[0]).toMatch(/no crypto\.subtle/);
    expect(explainEngine('ML-DSA-65', 'verify').reason).toMatch(/no crypto\.subtle/);
    await init({ engine: 'webcrypto' });
    expect(await codeOf(verify('ML-DSA-65', new Uint8Array(1952), new Uint8Array(1), new Uint8Array(3309)))).toBe(
      'ERR_UNSUPPORTED_BY_RUNTIME',
    );
  });
});

describe('cold start', () => {
  it("init() in 'auto' mode never touches crypto.subtle (the probe is lazy)", async () => {
    let touched = 0;
    install(makeFake(), () => {
      touched++;
    });
    await init({ force: true });
    expect(touched).toBe(0);
    expect(capabilities().probed).toBe(false);
    expect(capabilities().algorithms['ML-DSA-65'].probed).toBe(false);
    // …whereas 'webcrypto' mode probes during init, so capabilities() is complete afterwards.
    await init({ engine: 'webcrypto' });
    expect(touched).toBeGreaterThan(0);
    expect(capabilities().probed).toBe(true);
  });
});

describe('routing with a native engine (fake subtle)', () => {
  it('auto: the first call uses wasm and starts the probe; later calls follow the policy', async () => {
    const fake = makeFake();
    install(fake);
    const kp = ml_dsa65.keygen(new Uint8Array(32).fill(1));
    const msg = new Uint8Array([1, 2, 3]);
    const sig = ml_dsa65.sign(msg, kp.secretKey);
    expect(engineFor('ML-DSA-65', 'verify')).toBe('wasm');
    expect(explainEngine('ML-DSA-65', 'verify').reason).toMatch(/not probed yet/);
    // This call runs on wasm and starts the ML-DSA-65 probe in the background.
    expect(await verify('ML-DSA-65', kp.publicKey, msg, sig)).toBe(true);
    expect(knownCapability('ML-DSA-87').probed).toBe(false);
    await probeWebCrypto();
    const n = fake.calls.verify;
    expect(engineFor('ML-DSA-65', 'verify')).toBe('webcrypto');
    expect(await verify('ML-DSA-65', kp.publicKey, msg, sig)).toBe(true);
    expect(fake.calls.verify).toBe(n + 1);
    // The policy prefers wasm for ML-DSA-87 verify: native untouched.
    const kp87 = ml_dsa87.keygen(new Uint8Array(32).fill(2));
    expect(engineFor('ML-DSA-87', 'verify')).toBe('wasm');
    expect(await verify('ML-DSA-87', kp87.publicKey, msg, ml_dsa87.sign(msg, kp87.secretKey))).toBe(true);
    expect(fake.calls.verify).toBe(n + 1);
  });

  it('sign from a seed runs natively where the policy says so; expanded keys and deterministic signing stay on wasm', async () => {
    const fake = makeFake();
    install(fake);
    await probeWebCrypto();
    const seed = new Uint8Array(32).fill(5);
    const { secretKey, publicKey } = ml_dsa65.keygen(seed);
    const msg = new Uint8Array([9]);
    let n = fake.calls.sign;
    expect(ml_dsa65.verify(await sign('ML-DSA-65', seed, msg), msg, publicKey)).toBe(true);
    expect(fake.calls.sign).toBe(n + 1);
    n = fake.calls.sign;
    expect(ml_dsa65.verify(await sign('ML-DSA-65', secretKey, msg), msg, publicKey)).toBe(true);
    expect(await sign('ML-DSA-65', seed, msg, { extraEntropy: false })).toEqual(
      ml_dsa65.sign(msg, secretKey, { extraEntropy: false }),
    );
    expect(fake.calls.sign).toBe(n);
    // The async primitive form routes the same way.
    expect(ml_dsa65.verify(await ml_dsa65_async.signAsync(msg, seed), msg, publicKey)).toBe(true);
    expect(fake.calls.sign).toBe(n + 1);
  });

  it('KEM: encapsulate/decapsulate follow the policy; a CryptoKey always runs natively', async () => {
    const fake = makeFake();
    install(fake);
    await probeWebCrypto();
    const seed = new Uint8Array(64).fill(7);
    const kp = ml_kem768.keygen(seed);
    const e0 = fake.calls.encapsulateBits,
      d0 = fake.calls.decapsulateBits;
    const r = await encapsulate('ML-KEM-768', kp.publicKey);
    expect(fake.calls.encapsulateBits).toBe(e0 + 1);
    expect(await decapsulate('ML-KEM-768', r.cipherText, seed)).toEqual(r.sharedSecret);
    expect(fake.calls.decapsulateBits).toBe(d0 + 1);
    // Policy: wasm for ML-KEM-1024; but a CryptoKey forces native.
    const kp1024 = ml_kem1024.keygen(new Uint8Array(64).fill(8));
    const r2 = await encapsulate('ML-KEM-1024', kp1024.publicKey);
    expect(fake.calls.encapsulateBits).toBe(e0 + 1);
    const { privateKey } = await importKeyToWebCrypto('ML-KEM-1024', new Uint8Array(64).fill(8));
    expect(await decapsulate('ML-KEM-1024', r2.cipherText, privateKey)).toEqual(r2.sharedSecret);
    expect(fake.calls.decapsulateBits).toBe(d0 + 2);
  });

  it('a seed imported for one native call leaves no copy behind: the buffer handed to importKey is wiped', async () => {
    const fake = makeFake();
    install(fake);
    await probeWebCrypto();
    fake.seedInputs.length = 0;
    const seed = new Uint8Array(32).fill(9);
    const kemSeed = new Uint8Array(64).fill(10);
    const msg = new Uint8Array([1]);
    expect(ml_dsa65.verify(await sign('ML-DSA-65', seed, msg), msg, ml_dsa65.keygen(seed).publicKey)).toBe(true);
    const r = ml_kem768.encapsulate(ml_kem768.keygen(kemSeed).publicKey);
    expect(await decapsulate('ML-KEM-768', r.cipherText, kemSeed)).toEqual(r.sharedSecret);
    expect(fake.seedInputs.length).toBe(2);
    for (const b of fake.seedInputs) expect(b.every((x) => x === 0)).toBe(true);
    // The caller's own seeds are theirs: untouched.
    expect(seed.every((x) => x === 9)).toBe(true);
    expect(kemSeed.every((x) => x === 10)).toBe(true);
  });

  it('the engine decides once: a later call of the same shape reaches crypto.subtle only to run natively', async () => {
    const fake = makeFake();
    let looks = 0;
    install(fake, () => looks++);
    await probeWebCrypto();
    const msg = new Uint8Array([7]);
    const kp65 = ml_dsa65.keygen(new Uint8Array(32).fill(3));
    const kp87 = ml_dsa87.keygen(new Uint8Array(32).fill(4));
    const sig65 = ml_dsa65.sign(msg, kp65.secretKey);
    const sig87 = ml_dsa87.sign(msg, kp87.secretKey);
    // First calls of each shape decide (and may look at the runtime).
    expect(await verify('ML-DSA-65', kp65.publicKey, msg, sig65)).toBe(true);
    expect(await verify('ML-DSA-87', kp87.publicKey, msg, sig87)).toBe(true);
    looks = 0;
    // Later: wasm never looks; native looks once per call (import + verify share the lookup).
    expect(await verify('ML-DSA-87', kp87.publicKey, msg, sig87)).toBe(true);
    expect(looks).toBe(0);
    expect(await verify('ML-DSA-65', kp65.publicKey, msg, sig65)).toBe(true);
    expect(looks).toBe(1);
    // A new mode is a new decision.
    await init({ engine: 'wasm' });
    const n = fake.calls.verify;
    expect(await verify('ML-DSA-65', kp65.publicKey, msg, sig65)).toBe(true);
    expect(fake.calls.verify).toBe(n);
  });

  it('HPKE and X-Wing reach ML-KEM through the engine: native decapsulation and encapsulation where the policy says so', async () => {
    const fake = makeFake();
    install(fake);
    await probeWebCrypto();
    const e0 = fake.calls.encapsulateBits,
      d0 = fake.calls.decapsulateBits;
    // ChaCha20-Poly1305 keeps the AEAD off the fake subtle (it only does ML-DSA / ML-KEM).
    // ML-KEM-768 HPKE (KEM 0x0041): the policy sends both directions native.
    const s768 = hpkeSuite({ kem: 0x0041, kdf: 0x0001, aead: 0x0003 });
    const kp = await hpkeGenerateKeyPair(s768);
    const sealed = await hpkeSeal(s768, kp.publicKey, new Uint8Array([1, 2, 3]));
    expect(fake.calls.encapsulateBits).toBe(e0 + 1);
    expect(await hpkeOpen(s768, kp.secretKey, sealed.enc, sealed.ciphertext)).toEqual(new Uint8Array([1, 2, 3]));
    expect(fake.calls.decapsulateBits).toBe(d0 + 1);
    // X-Wing (0x647a): its ML-KEM-768 half too.
    const sx = hpkeSuite({ kem: 0x647a, kdf: 0x0001, aead: 0x0003 });
    const kx = await hpkeGenerateKeyPair(sx);
    const sealedX = await hpkeSeal(sx, kx.publicKey, new Uint8Array([4]));
    expect(fake.calls.encapsulateBits).toBe(e0 + 2);
    expect(await hpkeOpen(sx, kx.secretKey, sealedX.enc, sealedX.ciphertext)).toEqual(new Uint8Array([4]));
    expect(fake.calls.decapsulateBits).toBe(d0 + 2);
    // The same bytes as the synchronous X-Wing object (wasm): engines agree.
    const ss = await xwingDecapsulateAsync(sealedX.enc, kx.secretKey);
    expect(ss).toEqual(xwing.decapsulate(sealedX.enc, kx.secretKey));
    // Caller-chosen randomness (test vectors, transit's ikmE) cannot go native: wasm, same bytes as before.
    const e1 = fake.calls.encapsulateBits;
    await hpkeSeal(s768, kp.publicKey, new Uint8Array([5]), { ikmE: new Uint8Array(32).fill(3) });
    expect(fake.calls.encapsulateBits).toBe(e1);
  });

  it('Deno-like (no contexts): context calls fall back to wasm in auto, and fail with a CryptoKey', async () => {
    const fake = makeFake({ context: false });
    install(fake);
    const caps = await probeWebCrypto();
    expect(caps.algorithms['ML-DSA-65'].sign).toBe(true);
    expect(caps.algorithms['ML-DSA-65'].context).toBe(false);
    const seed = new Uint8Array(32).fill(6);
    const context = new Uint8Array([1, 2]);
    const msg = new Uint8Array([3]);
    expect(engineFor('ML-DSA-65', 'sign', { key: seed })).toBe('webcrypto');
    expect(engineFor('ML-DSA-65', 'sign', { key: seed, context })).toBe('wasm');
    expect(explainEngine('ML-DSA-65', 'sign', { key: seed, context }).reason).toMatch(/context/);
    const sig = await sign('ML-DSA-65', seed, msg, { context });
    expect(ml_dsa65.verify(sig, msg, ml_dsa65.keygen(seed).publicKey, { context })).toBe(true);
    const { privateKey } = await importKeyToWebCrypto('ML-DSA-65', seed);
    expect(await codeOf(sign('ML-DSA-65', privateKey, msg, { context }))).toBe('ERR_UNSUPPORTED_BY_RUNTIME');
    // An empty context is the default context: fine natively.
    expect(
      ml_dsa65.verify(
        await sign('ML-DSA-65', privateKey, msg, { context: new Uint8Array(0) }),
        msg,
        ml_dsa65.keygen(seed).publicKey,
      ),
    ).toBe(true);
  });

  it('Chromium/Bun-like (no ML-KEM-512): that set is wasm-only, the others native', async () => {
    install(makeFake({ algorithms: ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87', 'ML-KEM-768', 'ML-KEM-1024'] }));
    const caps = await probeWebCrypto();
    expect(caps.algorithms['ML-KEM-512'].importSeed).toBe(false);
    expect(caps.algorithms['ML-KEM-768'].encapsulate).toBe(true);
    expect(engineFor('ML-KEM-512', 'encapsulate')).toBe('wasm');
    expect(engineFor('ML-KEM-768', 'encapsulate')).toBe('webcrypto');
    const kp = ml_kem512.keygen();
    const r = await encapsulate('ML-KEM-512', kp.publicKey);
    expect(ml_kem512.decapsulate(r.cipherText, kp.secretKey)).toEqual(r.sharedSecret);
    expect(await codeOf(importKeyToWebCrypto('ML-KEM-512', new Uint8Array(64)))).toBe('ERR_UNSUPPORTED_BY_RUNTIME');
    await init({ engine: 'webcrypto' });
    expect(await codeOf(encapsulate('ML-KEM-512', kp.publicKey))).toBe('ERR_UNSUPPORTED_BY_RUNTIME');
    const kp768 = ml_kem768.keygen();
    const r768 = await encapsulate('ML-KEM-768', kp768.publicKey);
    expect(ml_kem768.decapsulate(r768.cipherText, kp768.secretKey)).toEqual(r768.sharedSecret);
  });

  it('a native implementation that disagrees with FIPS 203/204 is not used', async () => {
    const fake = makeFake({ lie: true });
    install(fake);
    const caps = await probeWebCrypto();
    for (const c of Object.values(caps.algorithms)) {
      expect(c.importSeed).toBe(false);
      expect(c.notes[0]).toMatch(/disagrees/);
    }
    expect(engineFor('ML-DSA-65', 'verify')).toBe('wasm');
    const n = fake.calls.verify;
    const kp = ml_dsa65.keygen();
    expect(
      await verify('ML-DSA-65', kp.publicKey, new Uint8Array(1), ml_dsa65.sign(new Uint8Array(1), kp.secretKey)),
    ).toBe(true);
    expect(fake.calls.verify).toBe(n);
    expect(await codeOf(importKeyToWebCrypto('ML-DSA-65', new Uint8Array(32)))).toBe('ERR_UNSUPPORTED_BY_RUNTIME');
  });

  it('keygen outputs: cryptokey (non-extractable by default), seed, and the key moves back to wasm', async () => {
    install(makeFake());
    await probeWebCrypto();
    const ck = await signatureKeygen('ML-DSA-65', undefined, { output: 'cryptokey' });
    expect(ck.secretKey.extractable).toBe(false);
    expect(await codeOf(seedFromWebCrypto(ck.secretKey))).toBe('ERR_KEY_NOT_EXTRACTABLE');
    expect(await publicKeyFromWebCrypto(ck.secretKey)).toEqual(ck.publicKey);
    const ex = await signatureKeygen('ML-DSA-65', undefined, { output: 'cryptokey', extractable: true });
    const seed = await seedFromWebCrypto(ex.secretKey);
    expect(ml_dsa65.keygen(seed).publicKey).toEqual(ex.publicKey);
    expect(engineFor('ML-DSA-65', 'keygen', { output: 'seed' })).toBe('webcrypto');
    expect(engineFor('ML-DSA-44', 'keygen', { output: 'seed' })).toBe('wasm');
    const s = await signatureKeygen('ML-DSA-65', undefined, { output: 'seed' });
    expect(ml_dsa65.keygen(s.secretKey).publicKey).toEqual(s.publicKey);
    expect(await codeOf(signatureKeygen('ML-DSA-65', undefined, { output: 'bogus' as never }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
  });

  it('mismatched CryptoKeys are rejected with ERR_INVALID_ARGUMENT', async () => {
    install(makeFake());
    const { privateKey, publicKey } = await importKeyToWebCrypto('ML-DSA-65', new Uint8Array(32));
    expect(await codeOf(sign('ML-DSA-44', privateKey, new Uint8Array(1)))).toBe('ERR_INVALID_ARGUMENT');
    expect(await codeOf(sign('ML-DSA-65', publicKey as CryptoKey, new Uint8Array(1)))).toBe('ERR_INVALID_ARGUMENT');
    expect(await codeOf(verify('ML-DSA-65', privateKey, new Uint8Array(1), new Uint8Array(3309)))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
  });
});
