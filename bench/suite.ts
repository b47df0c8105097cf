// The runtime-agnostic body of `npm run bench`: every case, every peer, the
// timing loop. bench/run.mjs bundles this file with esbuild once per runtime
// (Node, Deno, Bun, Chromium, Firefox, workerd) and collects the JSON that
// runBench() returns, so every runtime measures exactly the same code.
//
// Timing: per case, every implementation is warmed up (Liftoff → TurboFan
// tier-up), then a batch size is calibrated so one sample lasts about
// `sampleMs` — long enough for the whole-millisecond `performance.now()` of
// workerd and Firefox — and the samples of all implementations are
// interleaved, so load from other processes hits every column alike instead
// of whichever happened to run while the machine was busy. A cell is the
// median of the samples with their min..max.
import * as sdk from '../src/index.ts';
import { currentInstance, restoreInstance } from '../src/wasm/loader.ts';
import * as hybrid from '../src/hybrid/index.ts';
import * as jose from '../src/jose/index.ts';
import * as transit from '../src/transit/index.ts';
import * as x509 from '../src/x509/index.ts';
// The runtime's own wasm source, the same one init() would use (bytes in
// Node/Deno/Bun, a fetch Response in browsers, a static Module in workerd).
import { defaultModuleSource } from '#wasm-source';
import { summarize } from './stats.mjs';

export interface BenchOptions {
  quick?: boolean;
  filter?: string;
  sampleMs?: number;
  samples?: number;
  warmupMs?: number;
  streamMiB?: number;
  /** Only these implementations (names as in the table); all when absent. */
  impls?: string[];
}
export interface Cell {
  impl: string;
  median?: number;
  min?: number;
  max?: number;
  samples?: number;
  na?: string;
}
export interface CaseResult {
  group: string;
  name: string;
  unit: 'ops/s' | 'MB/s';
  bytes?: number;
  cells: Cell[];
}

type Fn = () => unknown;
interface Impl {
  name: string;
  before?: () => Promise<void>;
  setup: () => Promise<Fn>;
}
interface Case {
  group: string;
  name: string;
  bytes?: number;
  impls: Impl[];
}

const QSIGN_SIMD = 'qsign simd128';
const QSIGN_SCALAR = 'qsign scalar';

let now = () => performance.now();
/**
 * Replaces the clock (milliseconds). bench/quick.mjs passes Node's process CPU
 * time, which leaves out the time this process sat descheduled on a loaded
 * machine; everything else uses performance.now().
 */
export function setClock(clock: () => number) {
  now = clock;
}
const errText = (e: unknown) =>
  String((e as Error)?.message ?? e)
    .split('\n')[0]
    .slice(0, 160);

// ---- our two builds, compiled once ------------------------------------
// Each build is compiled and instantiated once; switching between the two
// instances costs nothing, so samples of the two builds interleave like any
// peer's without a fresh instance (4 MiB of memory to allocate and collect)
// per sample.
type Compiled = { 'ml-kem': WebAssembly.Module; 'ml-dsa': WebAssembly.Module; x25519: WebAssembly.Module };
const modules: Record<'simd' | 'scalar', Compiled | undefined> = { simd: undefined, scalar: undefined };
async function compileOne(name: string, v: 'simd' | 'scalar'): Promise<WebAssembly.Module> {
  const src: unknown = await defaultModuleSource(name, v);
  if (src instanceof WebAssembly.Module) return src;
  if (typeof Response !== 'undefined' && src instanceof Response) return WebAssembly.compile(await src.arrayBuffer());
  return WebAssembly.compile(src as BufferSource);
}
/** Each family module of build `v` (plain hashing runs on the ML-KEM one). */
async function compiled(v: 'simd' | 'scalar'): Promise<Compiled> {
  if (modules[v]) return modules[v]!;
  const [kem, dsa, x] = await Promise.all(['mlkem', 'mldsa', 'x25519'].map((m) => compileOne(m, v)));
  return (modules[v] = { 'ml-kem': kem!, 'ml-dsa': dsa!, x25519: x! });
}
let active: string | undefined;
const instances: Partial<Record<'simd' | 'scalar', object>> = {};
async function use(v: 'simd' | 'scalar') {
  if (active === v) return;
  const kept = instances[v];
  if (kept) restoreInstance(kept);
  else {
    // engine: 'wasm' so the async layers never route to native Web Crypto: this measures our wasm.
    await sdk.init({ simd: v === 'simd', force: true, engine: 'wasm', wasm: await compiled(v) });
    instances[v] = currentInstance();
  }
  active = v;
}

/** Our builds as two implementations of one case; `make` builds the timed closure after init. */
function ours(make: () => Fn | Promise<Fn>, builds: Array<'simd' | 'scalar'> = ['simd', 'scalar']): Impl[] {
  return builds.map((v) => ({
    name: v === 'simd' ? QSIGN_SIMD : QSIGN_SCALAR,
    before: () => use(v),
    setup: async () => {
      await use(v);
      return make();
    },
  }));
}

// ---- peers, loaded lazily; a peer that cannot load here is n/a with the reason ----
const peerCache = new Map<string, Promise<unknown>>();
function peer<T>(name: string, load: () => Promise<T>): Promise<T> {
  if (!peerCache.has(name)) peerCache.set(name, load());
  return peerCache.get(name) as Promise<T>;
}
const noblePq = () => peer('noble-kem', () => import('@noble/post-quantum/ml-kem.js'));
const nobleDsa = () => peer('noble-dsa', () => import('@noble/post-quantum/ml-dsa.js'));
const nobleHybrid = () => peer('noble-hybrid', () => import('@noble/post-quantum/hybrid.js'));
// Both liboqs packages import their per-algorithm wasm glue through computed
// paths and compile the wasm from inlined bytes at run time; workerd refuses
// the latter for any script ("Wasm code generation disallowed by embedder"),
// so there they are n/a with that reason rather than a bundler error.
const IN_WORKERD = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === 'Cloudflare-Workers';
const NO_CODEGEN =
  'compiles its wasm from bytes at run time, which workerd refuses ("Wasm code generation disallowed by embedder")';
const oqs = () =>
  peer('oqs', async () => {
    if (IN_WORKERD) throw new Error(NO_CODEGEN);
    return import('@oqs/liboqs-js');
  });
const openforge = () =>
  peer('openforge', async () => {
    if (IN_WORKERD) throw new Error(NO_CODEGEN);
    return import('@openforge-sh/liboqs');
  });
const mlkemPkg = () => peer('mlkem', () => import('mlkem'));
const hpkePkgs = () =>
  peer('hpke', async () => ({ ...(await import('@hpke/core')), ...(await import('@hpke/hybridkem-x-wing')) }));
// What the cases use of the two liboqs packages, which share this shape.
interface LiboqsKem {
  generateKeyPair(): { publicKey: Uint8Array; secretKey: Uint8Array };
  encapsulate(publicKey: Uint8Array): { ciphertext: Uint8Array; sharedSecret: Uint8Array };
  decapsulate(ciphertext: Uint8Array, secretKey: Uint8Array): Uint8Array;
}
interface LiboqsSig {
  generateKeyPair(): { publicKey: Uint8Array; secretKey: Uint8Array };
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  verify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean;
}
type Liboqs = Record<`createMLKEM${512 | 768 | 1024}`, () => Promise<LiboqsKem>> &
  Record<`createMLDSA${44 | 65 | 87}`, () => Promise<LiboqsSig>>;
const liboqsPeers: Array<[string, () => Promise<Liboqs>]> = [
  ['@oqs/liboqs-js', oqs],
  ['@openforge-sh/liboqs', openforge],
];

// ---- cases ------------------------------------------------------------
const MSGS: Array<[string, Uint8Array]> = [
  ['32 B', new Uint8Array(32).fill(7)],
  ['1 KiB', new Uint8Array(1024).fill(9)],
];

function kemCases(): Case[] {
  const out: Case[] = [];
  for (const k of [512, 768, 1024] as const) {
    const ourKem = () => sdk[`ml_kem${k}`];
    const group = `ML-KEM-${k}`;
    const fixtures = async <T>(kg: () => T | Promise<T>) => kg();
    for (const op of ['keygen', 'encaps', 'decaps'] as const) {
      const impls: Impl[] = [
        ...ours(() => {
          const kem = ourKem();
          const { publicKey, secretKey } = kem.keygen();
          const { cipherText } = kem.encapsulate(publicKey);
          return op === 'keygen'
            ? () => kem.keygen()
            : op === 'encaps'
              ? () => kem.encapsulate(publicKey)
              : () => kem.decapsulate(cipherText, secretKey);
        }),
        ...liboqsPeers.map(([name, load]): Impl => ({
          name,
          setup: async () => {
            const kem = await (await load())[`createMLKEM${k}`]();
            const { publicKey, secretKey } = kem.generateKeyPair();
            const { ciphertext } = kem.encapsulate(publicKey);
            return op === 'keygen'
              ? () => kem.generateKeyPair()
              : op === 'encaps'
                ? () => kem.encapsulate(publicKey)
                : () => kem.decapsulate(ciphertext, secretKey);
          },
        })),
        {
          name: 'mlkem',
          setup: async () => {
            const kem = await fixtures(() =>
              (async () => {
                const m = await mlkemPkg();
                return m[`createMlKem${k}`]();
              })(),
            );
            const [pk, sk] = kem.generateKeyPair();
            const [ct] = kem.encap(pk);
            return op === 'keygen'
              ? () => kem.generateKeyPair()
              : op === 'encaps'
                ? () => kem.encap(pk)
                : () => kem.decap(ct, sk);
          },
        },
        {
          name: '@noble/post-quantum',
          setup: async () => {
            const kem = (await noblePq())[`ml_kem${k}`];
            const { publicKey, secretKey } = kem.keygen();
            const { cipherText } = kem.encapsulate(publicKey);
            return op === 'keygen'
              ? () => kem.keygen()
              : op === 'encaps'
                ? () => kem.encapsulate(publicKey)
                : () => kem.decapsulate(cipherText, secretKey);
          },
        },
      ];
      out.push({ group, name: op, impls });
    }
  }
  return out;
}

function dsaCases(): Case[] {
  const out: Case[] = [];
  for (const k of [44, 65, 87] as const) {
    const group = `ML-DSA-${k}`;
    // keygen signs nothing; its empty message is never used.
    const ops: Array<[string, Uint8Array, 'keygen' | 'sign' | 'verify']> = [
      ['keygen', new Uint8Array(0), 'keygen'],
      ...MSGS.flatMap(
        ([l, m]) =>
          [
            [`sign ${l}`, m, 'sign'],
            [`verify ${l}`, m, 'verify'],
          ] as Array<[string, Uint8Array, 'sign' | 'verify']>,
      ),
    ];
    for (const [name, msg, op] of ops) {
      const impls: Impl[] = [
        ...ours(() => {
          const alg = sdk[`ml_dsa${k}`];
          const { publicKey, secretKey } = alg.keygen(new Uint8Array(32).fill(1));
          if (op === 'keygen') return () => alg.keygen();
          const sig = alg.sign(msg, secretKey);
          return op === 'sign'
            ? () => alg.sign(msg, secretKey)
            : () => {
                if (!alg.verify(sig, msg, publicKey)) throw new Error('verify failed');
              };
        }),
        ...liboqsPeers.map(([pname, load]): Impl => ({
          name: pname,
          setup: async () => {
            const s = await (await load())[`createMLDSA${k}`]();
            const { publicKey, secretKey } = s.generateKeyPair();
            if (op === 'keygen') return () => s.generateKeyPair();
            const sig = s.sign(msg, secretKey);
            return op === 'sign'
              ? () => s.sign(msg, secretKey)
              : () => {
                  if (!s.verify(msg, sig, publicKey)) throw new Error('verify failed');
                };
          },
        })),
        {
          name: '@noble/post-quantum',
          setup: async () => {
            const alg = (await nobleDsa())[`ml_dsa${k}`];
            const { publicKey, secretKey } = alg.keygen(new Uint8Array(32).fill(1));
            if (op === 'keygen') return () => alg.keygen();
            const sig = alg.sign(msg, secretKey);
            return op === 'sign'
              ? () => alg.sign(msg, secretKey)
              : () => {
                  if (!alg.verify(sig, msg, publicKey)) throw new Error('verify failed');
                };
          },
        },
      ];
      out.push({ group, name, impls });
    }
  }
  out.push(...rotatingKeyCases());
  return out;
}

/**
 * ML-DSA-65 sign/verify cycling through 8 keys, one per call: more keys than
 * our A-hat cache holds (4, native/mldsa/sign.c), so every call of ours
 * expands A-hat again, as the first use of a key does. The peers rotate the
 * same way (they expand A-hat on every call anyway).
 */
function rotatingKeyCases(): Case[] {
  const KEYS = 8;
  const msg = MSGS.find(([l]) => l === '1 KiB')![1];
  const cycle = <K, S>(keys: K[], sigs: S[], f: (k: K, s: S) => unknown) => {
    let i = 0;
    return () => {
      const j = i++ % KEYS;
      f(keys[j]!, sigs[j]!);
    };
  };
  const must = (ok: boolean) => {
    if (!ok) throw new Error('verify failed');
  };
  return (['sign', 'verify'] as const).map((op) => ({
    group: 'ML-DSA-65',
    name: `${op} 1 KiB, ${KEYS} keys in turn`,
    impls: [
      ...ours(() => {
        const alg = sdk.ml_dsa65;
        const kps = Array.from({ length: KEYS }, (_, i) => alg.keygen(new Uint8Array(32).fill(i + 1)));
        const sigs = kps.map((kp) => alg.sign(msg, kp.secretKey));
        return op === 'sign'
          ? cycle(kps, sigs, (kp) => alg.sign(msg, kp.secretKey))
          : cycle(kps, sigs, (kp, sig) => must(alg.verify(sig, msg, kp.publicKey)));
      }),
      ...liboqsPeers.map(([pname, load]): Impl => ({
        name: pname,
        setup: async () => {
          const s = await (await load()).createMLDSA65();
          const kps = Array.from({ length: KEYS }, () => s.generateKeyPair());
          const sigs = kps.map((kp) => s.sign(msg, kp.secretKey));
          return op === 'sign'
            ? cycle(kps, sigs, (kp) => s.sign(msg, kp.secretKey))
            : cycle(kps, sigs, (kp, sig) => must(s.verify(msg, sig, kp.publicKey)));
        },
      })),
      {
        name: '@noble/post-quantum',
        setup: async () => {
          const alg = (await nobleDsa()).ml_dsa65;
          const kps = Array.from({ length: KEYS }, (_, i) => alg.keygen(new Uint8Array(32).fill(i + 1)));
          const sigs = kps.map((kp) => alg.sign(msg, kp.secretKey));
          return op === 'sign'
            ? cycle(kps, sigs, (kp) => alg.sign(msg, kp.secretKey))
            : cycle(kps, sigs, (kp, sig) => must(alg.verify(sig, msg, kp.publicKey)));
        },
      },
    ],
  }));
}

function hybridCases(): Case[] {
  const out: Case[] = [];
  for (const op of ['keygen', 'encaps', 'decaps'] as const) {
    out.push({
      group: 'X-Wing',
      name: op,
      impls: [
        ...ours(() => {
          const x = hybrid.xwing;
          const { publicKey, secretKey } = x.keygen();
          const { cipherText } = x.encapsulate(publicKey);
          return op === 'keygen'
            ? () => x.keygen()
            : op === 'encaps'
              ? () => x.encapsulate(publicKey)
              : () => x.decapsulate(cipherText, secretKey);
        }),
        {
          name: '@noble/post-quantum',
          setup: async () => {
            // noble's ml_kem768_x25519 is X-Wing (draft-connolly-cfrg-xwing-kem).
            const x = (await nobleHybrid()).ml_kem768_x25519;
            const { publicKey, secretKey } = x.keygen();
            const { cipherText } = x.encapsulate(publicKey);
            return op === 'keygen'
              ? () => x.keygen()
              : op === 'encaps'
                ? () => x.encapsulate(publicKey)
                : () => x.decapsulate(cipherText, secretKey);
          },
        },
      ],
    });
  }
  const doc = new Uint8Array(1024).fill(0x61);
  const info = new TextEncoder().encode('bench');
  for (const op of ['seal', 'open'] as const) {
    out.push({
      group: 'HPKE X-Wing/HKDF-SHA256/AES-128-GCM',
      name: `${op} 1 KiB`,
      bytes: 1024,
      impls: [
        ...ours(async () => {
          const s = hybrid.suite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-128-GCM' });
          const kp = await hybrid.generateKeyPair(s);
          const sealed = await hybrid.seal(s, kp.publicKey, doc, { info });
          return op === 'seal'
            ? () => hybrid.seal(s, kp.publicKey, doc, { info })
            : () => hybrid.open(s, kp.secretKey, sealed.enc, sealed.ciphertext, { info });
        }),
        {
          name: '@hpke/core',
          setup: async () => {
            const h = await hpkePkgs();
            const t = new h.CipherSuite({ kem: new h.XWing(), kdf: new h.HkdfSha256(), aead: new h.Aes128Gcm() });
            const tk = await t.kem.generateKeyPair();
            const ts = await t.seal({ recipientPublicKey: tk.publicKey, info }, doc);
            return op === 'seal'
              ? () => t.seal({ recipientPublicKey: tk.publicKey, info }, doc)
              : () => t.open({ recipientKey: tk.privateKey, enc: ts.enc, info }, ts.ct);
          },
        },
      ],
    });
  }
  return out;
}

const b64uDecode = (s: string) => {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
  return out;
};

function joseCases(): Case[] {
  const alg = 'ML-DSA-65';
  const claims = { iss: 'https://id.example/realms/qsign', aud: 'api', sub: 'user-1', roles: ['reader', 'writer'] };
  const opts = { issuer: claims.iss, audience: 'api', algorithms: [alg] };
  const seed = new Uint8Array(32).fill(65);
  const token = async () => {
    const { publicKey, privateKey } = await jose.generateKeyPair(alg, { seed });
    const t = await new jose.SignJWT(claims)
      .setProtectedHeader({ alg, kid: privateKey.kid, typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    return { publicKey, t };
  };
  return [
    {
      group: 'JWT ML-DSA-65',
      name: 'verify',
      impls: [
        ...ours(async () => {
          const { publicKey, t } = await token();
          return () => jose.jwtVerify(t, publicKey, opts);
        }),
        {
          name: '@noble/post-quantum',
          setup: async () => {
            // The baseline an app would hand-roll on noble: split, decode, verify, parse, check exp/iss/aud.
            const ml = (await nobleDsa()).ml_dsa65;
            await use('simd');
            const { t } = await token();
            const pub = ml.keygen(seed).publicKey;
            const enc = new TextEncoder(),
              dec = new TextDecoder();
            return () => {
              const [h, p, s] = t.split('.');
              if (JSON.parse(dec.decode(b64uDecode(h))).alg !== alg) throw new Error('alg');
              if (!ml.verify(b64uDecode(s), enc.encode(`${h}.${p}`), pub)) throw new Error('signature');
              const payload = JSON.parse(dec.decode(b64uDecode(p)));
              if (payload.exp <= Date.now() / 1000 || payload.iss !== claims.iss || payload.aud !== 'api')
                throw new Error('claims');
            };
          },
        },
      ],
    },
  ];
}

function transitCases(): Case[] {
  const kib = new Uint8Array(1024).fill(3);
  const ring = async () => {
    const keyring = new transit.Keyring({
      store: transit.memoryStore(),
      masterKey: (await transit.generateMasterKey()).masterKey,
    });
    await keyring.createKey('ml-kem-768', { type: 'ml-kem-768' });
    return keyring;
  };
  return ['encrypt', 'decrypt'].map((op) => ({
    group: 'transit ml-kem-768',
    name: `${op} 1 KiB`,
    bytes: 1024,
    impls: ours(async () => {
      const k = await ring();
      const c = (await k.encrypt('ml-kem-768', kib)).ciphertext;
      return op === 'encrypt' ? () => k.encrypt('ml-kem-768', kib) : () => k.decrypt('ml-kem-768', c);
    }),
  }));
}

function x509Cases(): Case[] {
  return [
    {
      group: 'X.509 ML-DSA-65',
      name: 'verifyChain (3 certs)',
      impls: ours(async () => {
        const h = await x509.createCaHierarchy({ cn: 'server.example.com', san: ['*.example.com'] });
        const opts = {
          trustAnchors: [h.root.certificate],
          intermediates: [h.intermediate.certificate],
          purpose: 'serverAuth' as const,
          hostname: 'www.example.com',
        };
        return () => x509.verifyChain(h.server.certificate, opts);
      }),
    },
  ];
}

function streamCases(mib: number): Case[] {
  const chunk = new Uint8Array(1 << 20).map((_, i) => (i * 31) & 255);
  return [
    {
      group: 'ML-DSA-65 streaming',
      name: `signStream ${mib} MiB`,
      bytes: mib << 20,
      impls: ours(() => {
        const { secretKey } = sdk.ml_dsa65.keygen(new Uint8Array(32));
        // The same 1 MiB buffer again and again: the figure is hashing + signing, not the source.
        async function* source() {
          for (let i = 0; i < mib; i++) yield chunk;
        }
        return () => sdk.ml_dsa65.signStream(source(), secretKey);
      }),
    },
  ];
}

export function allCases(o: BenchOptions): Case[] {
  return [
    ...kemCases(),
    ...dsaCases(),
    ...hybridCases(),
    ...joseCases(),
    ...transitCases(),
    ...x509Cases(),
    ...streamCases(o.streamMiB ?? (o.quick ? 4 : 16)),
  ];
}

// ---- measurement ------------------------------------------------------
const isThenable = (x: unknown): x is PromiseLike<unknown> =>
  !!x && typeof (x as { then?: unknown }).then === 'function';

async function runBatch(fn: Fn, n: number, isAsync: boolean): Promise<number> {
  const t = now();
  if (isAsync) for (let i = 0; i < n; i++) await fn();
  else for (let i = 0; i < n; i++) fn();
  return now() - t;
}

interface Live {
  impl: Impl;
  fn?: Fn;
  isAsync?: boolean;
  batch?: number;
  rates: number[];
  na?: string;
}

export async function measureCase(
  c: Case,
  o: Required<Pick<BenchOptions, 'sampleMs' | 'samples' | 'warmupMs'>>,
): Promise<CaseResult> {
  const live: Live[] = [];
  for (const impl of c.impls) {
    const l: Live = { impl, rates: [] };
    try {
      l.fn = await impl.setup();
      l.isAsync = isThenable(l.fn());
      if (l.isAsync) await l.fn();
      // Warm-up, then double the batch until one batch takes ≥ sampleMs/4; scale to sampleMs.
      const until = now() + o.warmupMs;
      while (now() < until) await runBatch(l.fn, 1, l.isAsync);
      let batch = 1;
      for (;;) {
        const dt = await runBatch(l.fn, batch, l.isAsync);
        if (dt >= o.sampleMs / 4) {
          l.batch = Math.max(1, Math.round((batch * o.sampleMs) / Math.max(dt, 1)));
          break;
        }
        batch *= 2;
      }
    } catch (e) {
      l.na = errText(e);
    }
    live.push(l);
  }
  for (let s = 0; s < o.samples; s++) {
    // The starting implementation rotates with the sample: whoever runs right
    // after a garbage-heavy peer (noble allocates per call) pays for its
    // collection, so that cost must not land on the same column every time.
    for (let j = 0; j < live.length; j++) {
      const l = live[(s + j) % live.length]!;
      if (l.na) continue;
      try {
        if (l.impl.before) {
          await l.impl.before();
          // One untimed call after switching builds, so nothing left over from
          // the switch (a cold cache line, a first call) lands in the sample.
          await runBatch(l.fn!, 1, l.isAsync!);
        }
        const dt = await runBatch(l.fn!, l.batch!, l.isAsync!);
        l.rates.push((l.batch! * 1000) / Math.max(dt, 0.001));
      } catch (e) {
        l.na = errText(e);
      }
    }
  }
  const cells: Cell[] = live.map((l) => {
    if (l.na) return { impl: l.impl.name, na: l.na };
    return { impl: l.impl.name, ...summarize(l.rates), samples: l.rates.length };
  });
  return {
    group: c.group,
    name: c.name,
    unit: c.bytes && c.bytes >= 1 << 20 ? 'MB/s' : 'ops/s',
    bytes: c.bytes,
    cells: c.bytes && c.bytes >= 1 << 20 ? cells.map((x) => scaleMB(x, c.bytes!)) : cells,
  };
}

function scaleMB(cell: Cell, bytes: number): Cell {
  if (cell.na) return cell;
  const f = bytes / 1e6;
  return { ...cell, median: cell.median! * f, min: cell.min! * f, max: cell.max! * f };
}

/** Picks cases by `filter` (comma-separated substrings, case-insensitive, matched against "group name"). */
export function selectCases(o: BenchOptions): Case[] {
  const terms = (o.filter ?? '')
    .toLowerCase()
    .split(',')
    .map((t) => t.trim().replace(/[-\s]/g, ''))
    .filter(Boolean);
  return allCases(o)
    .filter(
      (c) => !terms.length || terms.some((t) => `${c.group} ${c.name}`.toLowerCase().replace(/[-\s]/g, '').includes(t)),
    )
    .map((c) => (o.impls ? { ...c, impls: c.impls.filter((i) => o.impls!.includes(i.name)) } : c));
}

export async function runBench(o: BenchOptions = {}, log: (s: string) => void = () => {}) {
  const opts = {
    sampleMs: o.sampleMs ?? (o.quick ? 100 : 200),
    samples: o.samples ?? (o.quick ? 5 : 7),
    warmupMs: o.warmupMs ?? (o.quick ? 150 : 400),
  };
  const started = now();
  await use('simd');
  const results: CaseResult[] = [];
  for (const c of selectCases(o)) {
    const r = await measureCase(c, opts);
    results.push(r);
    log(`${c.group} ${c.name}: ${r.cells.map((x) => `${x.impl}=${x.na ? 'n/a' : x.median!.toFixed(1)}`).join(' ')}`);
  }
  return {
    ...opts,
    quick: !!o.quick,
    filter: o.filter ?? '',
    simdSupported: sdk.simdSupported(),
    elapsedMs: now() - started,
    results,
  };
}
