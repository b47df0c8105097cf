/*
 * Transit paths × methods × policies, and Host headers (issue 18, items 2 and 3).
 *
 * Paths: every route on a denied key, spelled with random separators (`//`, trailing `/`, `.`, `..`, `%2f`,
 * backslash), random percent-encoding (once or twice) and case changes, sent with a random method under one of
 * four policies. An independent oracle normalizes the spelling the laxest way (decode until stable, drop empty
 * and `.` segments, resolve `..`); whatever that names, the invariants are:
 *   - no 2xx for a request the oracle resolves to a denied key (deny wins over every spelling);
 *   - no 2xx for a spelling that is not canonical (refused, not collapsed);
 *   - the denied keys' stored records never change; nothing answers 5xx.
 * Host headers: random Host values through the real node:http adapter; the connection always gets an answer
 * (never a reset), the routed and audited path is the request target's, and no key appears. The same Host
 * values handed to the fetch handler the way Deno.serve does it (req.url built from Host): a Host that moves
 * the path is refused, and no key appears.
 */
import { afterAll, describe, expect } from 'vitest';
import fc from 'fast-check';
import { connect } from 'node:net';
import {
  Keyring,
  memoryStore,
  masterKeyFromBytes,
  createTransitHandler,
  AuditLog,
  memoryAuditSink,
  toBase64,
  type AuthConfig,
} from '../../../src/transit/index.js';
import { serveNode } from '../../../src/transit/node/server.js';
import { init } from '../../../src/index.js';
import { fuzz } from './invariants.js';

await init();
const te = new TextEncoder();
const DENIED = ['payroll', 'payroll-sig'];
const store = memoryStore();
const keyring = new Keyring({ store, masterKey: await masterKeyFromBytes(new Uint8Array(32).fill(0x42)) });
// Exportable: a leaked export route would answer 200 with key material, which the oracle catches.
await keyring.createKey('payroll', { type: 'ml-kem-768', deletion_allowed: true, exportable: true });
await keyring.createKey('payroll-sig', { type: 'ml-dsa-44', deletion_allowed: true, exportable: true });
await keyring.createKey('open', { type: 'ml-kem-768', deletion_allowed: true, exportable: true });
const { ciphertext } = await keyring.encrypt('payroll', te.encode('salary'));
const { signature } = await keyring.sign('payroll-sig', te.encode('m'));
const backup = await keyring.backup('payroll');
const { hmac } = await keyring.hmac('payroll', te.encode('m'));
const rows = async () => Promise.all(DENIED.map(async (n) => (await store.get(n))!.json));
const pristine = await rows();

/** Route templates; `{k}` is the key segment. */
const ROUTES: { path: string; body: unknown }[] = [
  { path: 'keys/{k}', body: {} },
  { path: 'keys/{k}/config', body: { deletion_allowed: true } },
  { path: 'keys/{k}/rotate', body: {} },
  { path: 'keys/{k}/trim', body: { min_available_version: 1 } },
  { path: 'encrypt/{k}', body: { plaintext: toBase64(te.encode('x')) } },
  { path: 'decrypt/{k}', body: { ciphertext } },
  { path: 'rewrap/{k}', body: { ciphertext } },
  { path: 'datakey/plaintext/{k}', body: {} },
  { path: 'sign/{k}', body: { input: toBase64(te.encode('m')) } },
  { path: 'sign/{k}/sha2-256', body: { input: toBase64(te.encode('m')) } },
  { path: 'verify/{k}', body: { input: toBase64(te.encode('m')), signature } },
  { path: 'export/public-key/{k}', body: undefined },
  { path: 'export/public-key/{k}/1', body: undefined },
  { path: 'backup/{k}', body: undefined },
  { path: 'restore/{k}', body: { backup, force: true } },
  { path: 'hmac/{k}', body: { input: toBase64(te.encode('m')) } },
  { path: 'hmac/{k}/sha3-256', body: { input: toBase64(te.encode('m')) } },
  { path: 'verify/{k}', body: { input: toBase64(te.encode('m')), hmac } },
  { path: 'export/encryption-key/{k}', body: undefined },
  { path: 'export/signing-key/{k}/1', body: undefined },
  { path: 'export/hmac-key/{k}/latest', body: undefined },
  { path: 'keys/{k}/import', body: { ciphertext: toBase64(new Uint8Array(600)) } },
];
const ALL = ['create', 'read', 'update', 'delete', 'list'] as const;
const TOKENS = ['deny-exact-token-000', 'deny-glob-token-0000', 'allow-open-token-000', 'read-only-token-0000'];
const auth: AuthConfig = {
  tokens: [
    { token: TOKENS[0]!, policies: ['deny-exact'] },
    { token: TOKENS[1]!, policies: ['deny-glob'] },
    { token: TOKENS[2]!, policies: ['allow-open'] },
    { token: TOKENS[3]!, policies: ['read-only'] },
  ],
  policies: {
    // Everything, minus each route on each denied key, denied by its exact path.
    'deny-exact': [
      { path: 'oqs-transit/*', capabilities: [...ALL] },
      ...ROUTES.flatMap((r) =>
        DENIED.map((k) => ({ path: `oqs-transit/${r.path.replace('{k}', k)}`, capabilities: ['deny' as const] })),
      ),
    ],
    // Everything, minus anything whose key segment starts with "payroll" (globs and `+`).
    'deny-glob': [
      { path: 'oqs-transit/*', capabilities: [...ALL] },
      { path: 'oqs-transit/+/payroll*', capabilities: ['deny'] },
      { path: 'oqs-transit/+/+/payroll*', capabilities: ['deny'] },
    ],
    // Only the key "open".
    'allow-open': [
      { path: 'oqs-transit/+/open', capabilities: [...ALL] },
      { path: 'oqs-transit/+/open/*', capabilities: [...ALL] },
      { path: 'oqs-transit/+/+/open', capabilities: [...ALL] },
      { path: 'oqs-transit/+/+/open/*', capabilities: [...ALL] },
    ],
    // Reads everywhere, no writes.
    'read-only': [{ path: 'oqs-transit/*', capabilities: ['read', 'list'] }],
  },
};
const handler = createTransitHandler({ keyring, auth });

// ---------------------------------------------------------------- spellings and the oracle
type Edit =
  | { op: 'double-slash'; at: number }
  | { op: 'trailing-slash' }
  | { op: 'dot'; at: number }
  | { op: 'dotdot'; at: number }
  | { op: 'encode-slash'; at: number; upper: boolean; twice: boolean }
  | { op: 'backslash'; at: number }
  | { op: 'encode-char'; at: number; twice: boolean }
  | { op: 'case'; at: number };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('double-slash' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('trailing-slash' as const) }),
  fc.record({ op: fc.constant('dot' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('dotdot' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('encode-slash' as const), at: fc.nat(), upper: fc.boolean(), twice: fc.boolean() }),
  fc.record({ op: fc.constant('backslash' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('encode-char' as const), at: fc.nat(), twice: fc.boolean() }),
  fc.record({ op: fc.constant('case' as const), at: fc.nat() }),
);

/** Applies edits to `/v1/oqs-transit/<route>` (a list of segments joined at the end). */
function spell(route: string, key: string, edits: Edit[]): string {
  let segs = ['v1', 'oqs-transit', ...route.replace('{k}', key).split('/')];
  const seps: string[] = segs.map(() => '/'); // separator before each segment
  let trailing = '';
  for (const e of edits) {
    const i = 'at' in e ? e.at % segs.length : 0;
    switch (e.op) {
      case 'double-slash':
        seps[i] = seps[i] + '/';
        break;
      case 'trailing-slash':
        trailing += '/';
        break;
      case 'dot':
        segs = [...segs.slice(0, i), '.', ...segs.slice(i)];
        seps.splice(i, 0, '/');
        break;
      case 'dotdot':
        segs = [...segs.slice(0, i), 'zz', '..', ...segs.slice(i)];
        seps.splice(i, 0, '/', '/');
        break;
      case 'encode-slash':
        if (i > 0) seps[i] = (e.twice ? '%25' : '%') + (e.upper ? '2F' : '2f');
        break;
      case 'backslash':
        if (i > 0) seps[i] = '\\';
        break;
      case 'encode-char': {
        const s = segs[i]!;
        const j = (e.at >> 4) % Math.max(1, s.length);
        if (s.length && !s.includes('%')) {
          const hex = s.charCodeAt(j).toString(16).padStart(2, '0');
          segs[i] = s.slice(0, j) + (e.twice ? '%25' : '%') + hex + s.slice(j + 1);
        }
        break;
      }
      case 'case':
        segs[i] = segs[i]!.toUpperCase();
        break;
    }
  }
  return segs.map((s, i) => seps[i] + s).join('') + trailing;
}

/** The laxest reading of a path: decode until stable, split on / and \, drop empty and ".", resolve "..". */
function laxest(path: string): string[] {
  let p = path;
  for (let i = 0; i < 4; i++) {
    const next = p.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    if (next === p) break;
    p = next;
  }
  const out: string[] = [];
  for (const s of p.split(/[/\\]/)) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return out;
}

/** A path is canonical when decoding it once changes nothing but %-escapes of ordinary characters. */
function isCanonicalSpelling(path: string): boolean {
  const once = path.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  const segs = once.split('/').slice(1);
  return segs.every((s) => s !== '' && s !== '.' && s !== '..' && !/[\\%]/.test(s)) && !/%2f/i.test(path);
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'LIST', 'HEAD', 'PATCH'];
const pathArb = fc.record({
  route: fc.nat({ max: ROUTES.length - 1 }),
  key: fc.constantFrom(...DENIED, 'open'),
  edits: fc.array(editArb, { maxLength: 4 }),
  method: fc.constantFrom(...METHODS),
  token: fc.nat({ max: TOKENS.length - 1 }),
});

describe('fuzz: transit paths × methods × policies', () => {
  fuzz({
    name: 'transit-paths-policies',
    runs: 400,
    seed: 1801,
    timeoutMs: 5000,
    arb: pathArb,
    run: async (x) => {
      const r = ROUTES[x.route]!;
      const path = spell(r.path, x.key, x.edits);
      const hasBody = x.method !== 'GET' && x.method !== 'HEAD';
      const res = await handler(
        new Request(`http://transit.test${path}`, {
          method: x.method,
          headers: { 'x-vault-token': TOKENS[x.token]! },
          body: hasBody && r.body !== undefined ? JSON.stringify(r.body) : undefined,
        }),
      );
      await res.arrayBuffer();
      return { path, status: res.status, rows: await rows() };
    },
    expectOutcome: (x, out) => {
      expect(out.ok).toBe(true);
      const { path, status, rows: after } = out.value as { path: string; status: number; rows: string[] };
      // WHATWG URL parsing (the Request) already resolves some dot segments; judge what the handler saw.
      const seen = new URL(`http://t${path}`).pathname;
      const named = laxest(seen);
      const deniedKey = named.some((s) => DENIED.includes(s));
      const readOnly = x.token === 3;
      expect(status, `${x.method} ${path}`).toBeLessThan(500);
      if (status < 300) {
        expect(isCanonicalSpelling(seen), `2xx for a non-canonical spelling: ${x.method} ${path}`).toBe(true);
        if (!readOnly) expect(deniedKey, `deny bypassed: ${x.method} ${path} → ${status}`).toBe(false);
        else expect(['GET', 'HEAD', 'LIST'], `read-only token wrote: ${x.method} ${path}`).toContain(x.method);
      }
      expect(after, `a denied key's record changed: ${x.method} ${path}`).toEqual(pristine);
    },
  });
});

// ---------------------------------------------------------------- Host headers over node:http
const sink = memoryAuditSink();
const hostKeyring = new Keyring({ store: memoryStore(), masterKey: await masterKeyFromBytes(new Uint8Array(32)) });
const hostHandler = createTransitHandler({
  keyring: hostKeyring,
  auth: { tokens: [{ token: 'root-token-0123456789', policies: ['root'] }] },
  audit: new AuditLog(sink),
});
const srv = await serveNode(hostHandler, { port: 0 });
const port = Number(new URL(srv.url).port);
afterAll(() => srv.close());

function raw(head: string): Promise<number | 'reset'> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.setTimeout(4000, () => s.destroy());
    s.on('data', (d) => (got += d.toString('latin1')));
    const done = () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(got);
      resolve(m ? Number(m[1]) : 'reset');
    };
    s.on('error', done);
    s.on('close', done);
    s.write(head, 'latin1');
  });
}

const hostChars = fc.constantFrom(...'ab.-:[]/?#@% 1\\;=_~'.split(''));
const hostArb = fc.record({
  host: fc.oneof(
    fc.array(hostChars, { maxLength: 24 }).map((a) => a.join('')),
    fc
      .tuple(
        fc.constantFrom('x', 'localhost', '127.0.0.1', '[::1]'),
        fc.constantFrom('/v1/oqs-transit/keys/hosty?', '/../keys/h#', ':8200', ':99999', ' b', '@evil'),
      )
      .map(([a, b]) => a + b),
  ),
  target: fc.constantFrom('/v1/sys/health', '/v1/oqs-transit/keys?list=true'),
});

describe('fuzz: Host headers over node:http', () => {
  fuzz({
    name: 'transit-host-headers',
    runs: 80,
    seed: 1802,
    timeoutMs: 6000,
    arb: hostArb,
    run: async (x) => {
      const before = sink.lines.length;
      const status = await raw(
        `POST ${x.target} HTTP/1.1\r\nHost: ${x.host}\r\nX-Vault-Token: root-token-0123456789\r\n` +
          'Content-Length: 2\r\nConnection: close\r\n\r\n{}',
      );
      const audited = sink.lines.slice(before).map((l) => JSON.parse(l).path as string);
      return { status, audited, keys: await hostKeyring.listKeys() };
    },
    expectOutcome: (x, out) => {
      expect(out.ok).toBe(true);
      const { status, audited, keys } = out.value as { status: number | 'reset'; audited: string[]; keys: string[] };
      expect(status, `Host ${JSON.stringify(x.host)}`).not.toBe('reset');
      expect(status as number).toBeLessThan(500);
      expect(keys).toEqual([]);
      const routed = x.target.slice(4).split('?')[0]!;
      for (const p of audited) expect(p).toBe(routed);
    },
  });
});

describe('fuzz: Host headers in a req.url built from them (Deno.serve)', () => {
  fuzz({
    name: 'transit-host-in-url',
    runs: 200,
    seed: 1803,
    timeoutMs: 5000,
    arb: hostArb,
    run: async (x) => {
      let url: URL;
      let req: Request;
      try {
        url = new URL(`http://${x.host}${x.target}`);
        req = new Request(url, {
          method: 'POST',
          headers: { host: x.host, 'x-vault-token': 'root-token-0123456789' },
          body: '{}',
        });
      } catch {
        return { skipped: true }; // no runtime can build this request (Deno answers 500 on its own)
      }
      const res = await hostHandler(req);
      await res.arrayBuffer();
      return { status: res.status, moved: url.pathname !== x.target.split('?')[0], keys: await hostKeyring.listKeys() };
    },
    expectOutcome: (x, out) => {
      expect(out.ok).toBe(true);
      const v = out.value as { skipped?: true; status: number; moved: boolean; keys: string[] };
      if (v.skipped) return;
      expect(v.status, `Host ${JSON.stringify(x.host)}`).toBeLessThan(500);
      if (v.moved) expect(v.status, `Host ${JSON.stringify(x.host)} moved the path`).toBe(400);
      expect(v.keys).toEqual([]);
    },
  });
});
