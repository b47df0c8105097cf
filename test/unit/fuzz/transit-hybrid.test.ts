/*
 * transit (`vault:vN:` envelopes, stream framing, backups, HTTP bodies and
 * paths), HPKE (enc / ciphertext / info / aad) and the CLI (`main(argv, io)`).
 * A mutated envelope, stream or HPKE message must never decrypt; the HTTP
 * handler must always answer (never reject) with a JSON error status below 500.
 */
import { describe, expect } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '../../../src/index.js';
import { suite, seal, open, generateKeyPair, setupBaseR } from '../../../src/hybrid/index.js';
import {
  Keyring,
  memoryStore,
  generateMasterKey,
  createTransitHandler,
  AuditLog,
  memoryAuditSink,
  encryptStream,
  decryptStream,
  parseVersioned,
  toBase64,
} from '../../../src/transit/index.js';
import { main } from '../../../src/cli/main.js';
import { fuzz, junkValue, mutatedBytes, mutatedStrings } from './invariants.js';

await init();
const te = new TextEncoder();

// ---------------------------------------------------------------- HPKE
const suites = [
  suite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-256-GCM' }),
  suite({ kem: 'ML-KEM-768', kdf: 'HKDF-SHA256', aead: 'ChaCha20Poly1305' }),
  suite({ kem: 'ML-KEM-1024', kdf: 'SHAKE256', aead: 'AES-128-GCM' }),
];
const hpkeKeys = await Promise.all(suites.map((s) => generateKeyPair(s)));
const sealed = await Promise.all(
  suites.map((s, i) => seal(s, hpkeKeys[i]!.publicKey, te.encode('hpke fuzz plaintext'), { info: 'info', aad: 'aad' })),
);

const eq = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

describe('fuzz: HPKE', () => {
  fuzz({
    name: 'hpke-open-mutated',
    runs: 200,
    seed: 601,
    arb: fc.tuple(
      fc.integer({ min: 0, max: 2 }),
      fc.constantFrom('enc', 'ct', 'info', 'aad', 'sk'),
      fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 3 }),
      fc.boolean(),
    ),
    run: async ([i, which, edits, resize]) => {
      const s = suites[i]!,
        { enc, ciphertext } = sealed[i]!;
      const edit = (b: Uint8Array) => {
        const m = resize ? Uint8Array.from([...b, ...edits.map(([, v]) => v)]) : Uint8Array.from(b);
        for (const [at, v] of edits) m[at % m.length] = v;
        return m;
      };
      return open(
        s,
        which === 'sk' ? edit(hpkeKeys[i]!.secretKey) : hpkeKeys[i]!.secretKey,
        which === 'enc' ? edit(enc) : enc,
        which === 'ct' ? edit(ciphertext) : ciphertext,
        {
          info: which === 'info' ? edit(te.encode('info')) : 'info',
          aad: which === 'aad' ? edit(te.encode('aad')) : 'aad',
        },
      );
    },
    // open() only succeeds if nothing actually changed (an edit can write the same byte back).
    expectOutcome: (_x, out) => {
      if (out.ok) expect(new TextDecoder().decode(out.value as Uint8Array)).toBe('hpke fuzz plaintext');
    },
  });
  fuzz({
    name: 'hpke-args',
    runs: 200,
    seed: 602,
    arb: fc.tuple(
      fc.integer({ min: 0, max: 2 }),
      fc.constantFrom('open', 'seal', 'setupR', 'suite'),
      fc.oneof(fc.uint8Array({ maxLength: 1300 }) as fc.Arbitrary<unknown>, junkValue),
      fc.oneof(fc.uint8Array({ maxLength: 64 }) as fc.Arbitrary<unknown>, junkValue),
      fc.oneof(fc.string(), fc.uint8Array({ maxLength: 16 }), junkValue),
      fc.oneof(fc.record({ kem: junkValue, kdf: junkValue, aead: junkValue }), junkValue),
    ),
    run: ([i, op, a, b, info, spec]) => {
      const s = suites[i]!;
      switch (op) {
        case 'open':
          return open(s, hpkeKeys[i]!.secretKey, a as Uint8Array, b as Uint8Array, {
            info: info as string,
            aad: info as string,
          });
        case 'seal':
          return seal(s, a as Uint8Array, b as Uint8Array, { info: info as string });
        case 'setupR':
          return setupBaseR(s, a as Uint8Array, b as Uint8Array, info as string);
        default:
          return suite(spec as never);
      }
    },
  });
});

// ---------------------------------------------------------------- transit keyring
const { masterKey } = await generateMasterKey();
const keyring = new Keyring({ store: memoryStore(), masterKey });
await keyring.createKey('k768', { type: 'kyber768' });
await keyring.createKey('kx', { type: 'xwing' });
await keyring.createKey('k1024', { type: 'ml-kem-1024', exportable: true } as never);
await keyring.createKey('sig', { type: 'ml-dsa-65' });
const ctSeeds = [
  (await keyring.encrypt('k768', te.encode('secret-a'))).ciphertext,
  (await keyring.encrypt('kx', te.encode('secret-b'), { associatedData: te.encode('ad') })).ciphertext,
  (await keyring.encrypt('k1024', new Uint8Array(0))).ciphertext,
];
const sigSeed = (await keyring.sign('sig', te.encode('msg'))).signature;
const backupSeed = await keyring.backup('k1024').catch(() => undefined);
async function streamBytes(name: string, data: Uint8Array, chunkSize: number): Promise<Uint8Array> {
  const src = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(data);
      c.close();
    },
  });
  return new Uint8Array(await new Response(await encryptStream(keyring, name, src, { chunkSize })).arrayBuffer());
}
const streamSeeds = [
  await streamBytes('k768', new Uint8Array(300).fill(1), 100),
  await streamBytes('kx', new Uint8Array(0), 64),
];

describe('fuzz: transit envelopes and streams', () => {
  fuzz({
    name: 'transit-envelope-mutated',
    runs: 300,
    seed: 701,
    arb: fc.tuple(
      fc.oneof(
        mutatedStrings(ctSeeds),
        fc.constantFrom(
          'vault:v',
          'vault:v0:',
          'vault:v1:',
          'vault:v99999999999:AAAA',
          'vault:v1:%%%',
          `vault:v1:${'A'.repeat(4001)}`,
        ),
      ),
      fc.constantFrom('k768', 'kx', 'k1024', 'nope', '../k768'),
    ),
    run: ([ct, name]) => {
      parseVersioned(ct);
      return keyring.decrypt(name, ct, name === 'kx' ? { associatedData: te.encode('ad') } : {});
    },
    expectOutcome: ([ct], out) => {
      if (out.ok) expect(ctSeeds).toContain(ct);
    },
  });
  fuzz({
    name: 'transit-sign-verify-mutated',
    runs: 150,
    seed: 702,
    arb: fc.tuple(mutatedStrings([sigSeed]), fc.oneof(fc.constant(te.encode('msg')), fc.uint8Array({ maxLength: 8 }))),
    run: ([sig, msg]) => keyring.verify('sig', msg, sig),
    expectOutcome: ([sig, msg], out) => {
      if (out.ok && out.value === true) {
        expect(sig).toBe(sigSeed);
        expect(eq(msg, te.encode('msg'))).toBe(true);
      }
    },
  });
  fuzz({
    name: 'transit-stream-mutated',
    runs: 150,
    seed: 703,
    arb: fc.tuple(mutatedBytes(streamSeeds), fc.constantFrom('k768', 'kx'), fc.integer({ min: 1, max: 97 })),
    run: async ([bytes, name, split]) => {
      // Deliver in odd-sized pieces so frame boundaries fall anywhere.
      const src = new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < bytes.length; i += split) c.enqueue(bytes.slice(i, i + split));
          c.close();
        },
      });
      return new Uint8Array(await new Response(await decryptStream(keyring, name, src)).arrayBuffer());
    },
    expectOutcome: ([bytes], out) => {
      if (out.ok) expect(streamSeeds.some((s) => eq(s, bytes))).toBe(true);
    },
  });
  fuzz({
    name: 'transit-keyring-args',
    runs: 200,
    seed: 704,
    arb: fc.tuple(
      fc.constantFrom('encrypt', 'decrypt', 'sign', 'verify', 'create', 'restore', 'config', 'trim', 'datakey'),
      fc.oneof(
        fc.constantFrom('k768', 'sig', 'kx', '', '.', '..', '../etc/passwd', 'a/b', 'A'.repeat(129), 'ok-name'),
        fc.string({ maxLength: 20 }),
        junkValue,
      ),
      fc.oneof(
        fc.uint8Array({ maxLength: 64 }) as fc.Arbitrary<unknown>,
        fc.string({ maxLength: 40 }),
        junkValue,
        fc.constant(backupSeed),
        backupSeed ? mutatedStrings([backupSeed]) : fc.constant('x'),
      ),
      fc.oneof(
        fc.constant({}),
        junkValue,
        fc.record(
          {
            keyVersion: junkValue,
            associatedData: junkValue,
            context: junkValue,
            type: junkValue,
            bits: junkValue,
            force: junkValue,
            name: junkValue,
          },
          { requiredKeys: [] },
        ),
      ),
    ),
    run: ([op, name, data, opts]) => {
      const n = name as string,
        o = opts as never;
      switch (op) {
        case 'encrypt':
          return keyring.encrypt(n, data as Uint8Array, o);
        case 'decrypt':
          return keyring.decrypt(n, data as string, o);
        case 'sign':
          return keyring.sign(n, data as Uint8Array, o);
        case 'verify':
          return keyring.verify(n, te.encode('msg'), data as string, o);
        case 'create':
          return keyring.createKey(`fz-${typeof n === 'string' ? n.length : 0}`, o);
        case 'restore':
          return keyring.restore(data as string, { name: `r-${Math.random().toString(36).slice(2, 8)}` });
        case 'config':
          return keyring.configKey(n, data as never);
        case 'trim':
          return keyring.trimKey(n, data as number);
        default:
          return keyring.dataKey(n, data as 'plaintext', o);
      }
    },
  });
});

// ---------------------------------------------------------------- transit HTTP
const ROOT = 'fuzz-root-token-0123456789';
const sink = memoryAuditSink();
const handler = createTransitHandler({
  keyring,
  auth: { tokens: [{ token: ROOT, policies: ['root'] }] },
  audit: new AuditLog(sink),
  limits: { maxBodyBytes: 256 * 1024, maxBatchItems: 16 },
});
const segs = [
  'keys',
  'encrypt',
  'decrypt',
  'rewrap',
  'sign',
  'verify',
  'datakey',
  'export',
  'backup',
  'restore',
  'k768',
  'kx',
  'sig',
  'public-key',
  'plaintext',
  'wrapped',
  'rotate',
  'config',
  'trim',
  'latest',
  '1',
  '0',
  '-1',
  '99999999999999999999',
  '..',
  '%2e%2e',
  '..%2f..%2f',
  '%2f',
  '%00',
  'a%2Fb',
  'ünï',
  ' ',
  'sha2-256',
];
const pathArb = fc.oneof(
  fc.array(fc.constantFrom(...segs), { minLength: 0, maxLength: 5 }).map((p) => `/v1/oqs-transit/${p.join('/')}`),
  fc.constantFrom(
    '/v1/sys/health',
    '/v1/',
    '/',
    '/v1/oqs-transit',
    '/v1/other/keys/a',
    '/v1/oqs-transit//keys//k768',
    '/v1/oqs-transit/keys/k768?list=true',
    '/v1/oqs-transit/keys?list=true',
  ),
  fc.string({ maxLength: 30 }).map((s) => `/v1/oqs-transit/${encodeURIComponent(s)}`),
);
const fieldVal = fc.oneof(
  fc.constant(toBase64(te.encode('hi'))),
  fc.constantFrom(...ctSeeds, sigSeed),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.constant(1e308),
  fc.constant(-1),
  fc.constant('99999999999999999999999'),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.constant({}),
);
const bodyObj = fc.record(
  {
    plaintext: fieldVal,
    ciphertext: fieldVal,
    input: fieldVal,
    signature: fieldVal,
    associated_data: fieldVal,
    context: fieldVal,
    key_version: fieldVal,
    type: fc.oneof(fieldVal, fc.constantFrom('kyber768', 'ml-dsa-44', 'xwing', 'rsa-2048')),
    bits: fieldVal,
    backup: fieldVal,
    min_available_version: fieldVal,
    min_decryption_version: fieldVal,
    partial_failure_response_code: fieldVal,
    prehashed: fieldVal,
    batch_input: fc.oneof(
      fc.array(
        fc.oneof(
          fc.record(
            { plaintext: fieldVal, ciphertext: fieldVal, input: fieldVal, reference: fieldVal },
            { requiredKeys: [] },
          ),
          fc.jsonValue({ maxDepth: 1 }),
        ),
        { maxLength: 20 },
      ),
      fieldVal,
    ),
  },
  { requiredKeys: [] },
);
const bodyArb = fc.oneof(
  { weight: 6, arbitrary: bodyObj.map((b) => JSON.stringify(b)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '{',
      '{"plaintext":',
      'null',
      '[]',
      '"x"',
      '{"__proto__":{"x":1}}',
      '{"batch_input":{}}',
      `{"a":${'9'.repeat(400)}}`,
    ),
  },
  // Deep nesting: JSON.parse copes; every later walk over the body must too.
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 100, max: 60_000 })
      .map((d) => `{"plaintext":"aGk=","x":${'['.repeat(d)}${']'.repeat(d)}}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 100, max: 60_000 })
      .map((d) => `{"plaintext":"aGk=","x":${'{"a":'.repeat(d)}1${'}'.repeat(d)}}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 17, max: 40 })
      .map((n) => JSON.stringify({ batch_input: Array.from({ length: n }, () => ({ plaintext: 'aGk=' })) })),
  },
  { weight: 1, arbitrary: fc.constant(`{"plaintext":"${'A'.repeat(300 * 1024)}"}`) },
);
const reqArb = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'LIST', 'PATCH', 'HEAD', 'OPTIONS'),
  path: pathArb,
  body: bodyArb,
  token: fc.constantFrom(ROOT, ROOT, ROOT, '', 'wrong', null),
  contentType: fc.constantFrom(
    'application/json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    null,
  ),
  lying: fc.constantFrom(null, '0', '1', '-5', '99999999999', 'abc'),
});

const validPaths = [
  '/v1/oqs-transit/encrypt/k768',
  '/v1/oqs-transit/decrypt/kx',
  '/v1/oqs-transit/sign/sig',
  '/v1/oqs-transit/verify/sig/sha2-256',
  '/v1/oqs-transit/rewrap/k768',
  '/v1/oqs-transit/datakey/plaintext/k768',
  '/v1/oqs-transit/keys/new-key',
  '/v1/oqs-transit/keys/k768/config',
  '/v1/oqs-transit/keys/k1024/trim',
  '/v1/oqs-transit/restore',
];
const reqValidPathArb = fc.record({
  method: fc.constantFrom('POST', 'PUT'),
  path: fc.constantFrom(...validPaths),
  body: bodyArb,
  token: fc.constant(ROOT as string | null),
  contentType: fc.constantFrom('application/json', null),
  lying: fc.constant(null as string | null),
});

describe('fuzz: transit HTTP', () => {
  fuzz({
    name: 'transit-http-bodies',
    runs: 250,
    seed: 802,
    timeoutMs: 5000,
    arb: reqValidPathArb,
    run: (r) => sendReq(r),
    expectOutcome: (_r, out) => checkHttp(out),
  });
  fuzz({
    name: 'transit-http',
    runs: 400,
    seed: 801,
    timeoutMs: 5000,
    arb: reqArb,
    run: (r) => sendReq(r),
    expectOutcome: (_r, out) => checkHttp(out),
  });
});

async function sendReq(r: {
  method: string;
  path: string;
  body: string;
  token: string | null;
  contentType: string | null;
  lying: string | null;
}) {
  const headers: Record<string, string> = {};
  if (r.token !== null) headers['x-vault-token'] = r.token;
  if (r.contentType) headers['content-type'] = r.contentType;
  if (r.lying) headers['content-length'] = r.lying;
  const hasBody = r.method !== 'GET' && r.method !== 'HEAD';
  const res = await handler(
    new Request(`http://127.0.0.1${r.path}`, { method: r.method, headers, body: hasBody ? r.body : undefined }),
  );
  const text = await res.text();
  return { status: res.status, text };
}

function checkHttp(out: { ok: boolean; value?: unknown }) {
  expect(out.ok, 'the handler must answer, not reject').toBe(true);
  const { status, text } = out.value as { status: number; text: string };
  // 5xx other than 504/507 (timeout/limits) would mean an internal error leaked out.
  expect([200, 204, 400, 403, 404, 405, 409, 413, 415, 503, 504, 507]).toContain(status);
  if (status !== 204 && text) expect(() => JSON.parse(text)).not.toThrow();
}

// ---------------------------------------------------------------- CLI
const cliWords = [
  'algorithms',
  'hash',
  'jwk',
  'generate',
  'public',
  'jwt',
  'sign',
  'verify',
  'ca',
  'create',
  'csr',
  'cert',
  'issue',
  'show',
  'transit',
  'encrypt',
  'decrypt',
  'rotate',
  '--alg',
  'ML-DSA-44',
  'ML-DSA-99',
  'sha3-256',
  'shake256',
  '--out',
  '--in',
  '--key',
  '--payload',
  '{"a":1}',
  '{',
  '--subject',
  'CN=x',
  '--addr',
  '--token',
  'tok',
  '--plaintext',
  'aGk=',
  '--file',
  'nope.txt',
  '--days',
  '-1',
  '1e999',
  '--help',
  '--version',
  '--',
  '--=',
  '--x=y',
  '',
  'ü',
];
const argvArb = fc
  .array(
    fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...cliWords) },
      { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    ),
    { maxLength: 7 },
  )
  // No stdin (`-`, or hash without a file), no paths outside the temp dir, no server.
  .filter(
    (a) =>
      !a.some((w) => w === '-' || w.includes('/') || w.includes('\\') || w.includes('..')) &&
      !(a[0] === 'transit' && a[1] === 'serve') &&
      !(a[0] === 'hash' && a.length < 2),
  );

describe('fuzz: CLI', () => {
  fuzz({
    name: 'cli-argv',
    runs: 250,
    seed: 901,
    timeoutMs: 5000,
    arb: argvArb,
    run: async (argv) => {
      const cwd = process.cwd();
      const dir = mkdtempSync(join(tmpdir(), 'qsign-fuzz-cli-'));
      const realFetch = globalThis.fetch;
      // Transit commands talk HTTP; answer locally so fuzzing never touches the network.
      globalThis.fetch = (async () =>
        new Response(JSON.stringify({ errors: ['fuzz: no server'] }), {
          status: 503,
          headers: { 'content-type': 'application/json' },
        })) as typeof fetch;
      const errs: string[] = [];
      try {
        process.chdir(dir);
        const code = await main(argv, { out: () => undefined, err: (s) => errs.push(s) });
        return { code, errs };
      } finally {
        globalThis.fetch = realFetch;
        process.chdir(cwd);
        rmSync(dir, { recursive: true, force: true });
      }
    },
    expectOutcome: (_a, out) => {
      expect(out.ok, 'main() must resolve to an exit code').toBe(true);
      const { code, errs } = out.value as { code: number; errs: string[] };
      expect([0, 1, 2]).toContain(code);
      // main() prints a stack only for non-QsignError failures: those are bugs.
      expect(errs.join('\n')).not.toMatch(/\n\s+at /);
    },
  });
});
