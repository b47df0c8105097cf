/* global Deno */
/**
 * The QSIGN demo service (token issuer, document service, transit API) on
 * `Deno.serve`, in memory: the same core as `npm start` (examples/demo/core.mjs)
 * with a Map-backed store, an in-memory transit store and a fresh master key
 * per run. API only — the in-page demo is served by the Node server.
 *
 *   node examples/deno-server/build.mjs OUT && deno run --allow-net --allow-read --allow-env OUT/server.js
 *
 * Env: PORT (default 8081; 0 = any free port), QSIGN_ADMIN_TOKEN (default: random, printed).
 */
import { init } from '../../dist/index.js';
import { Keyring, memoryStore, generateMasterKey, AuditLog, memoryAuditSink } from '../../dist/transit/index.js';
import { createQsignService, DEFAULT_USERS } from '../demo/core.mjs';

// build.mjs copies each family module's two builds next to the bundle; the SDK picks SIMD128 where the runtime
// validates it (one choice for every module).
const both = async (m) => ({
  simd: await Deno.readFile(new URL(`./qsign-${m}-simd.wasm`, import.meta.url)),
  scalar: await Deno.readFile(new URL(`./qsign-${m}-scalar.wasm`, import.meta.url)),
});
await init({ wasm: { 'ml-kem': await both('mlkem'), 'ml-dsa': await both('mldsa'), x25519: await both('x25519') } });

const env = (k) => {
  try {
    return Deno.env.get(k);
  } catch {
    return undefined;
  }
};
const port = Number(env('PORT') ?? '8081');
const adminToken =
  env('QSIGN_ADMIN_TOKEN') ||
  `qsa_${Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => b.toString(16).padStart(2, '0')).join('')}`;

/** In-memory versions of the store the Node demo keeps in SQLite. */
function mapStore() {
  const users = new Map(),
    kv = new Map(),
    docs = new Map();
  return {
    getUser: (u) => users.get(u),
    addUser: (row) => {
      users.set(row.username, row);
    },
    getKv: (k) => kv.get(k),
    setKv: (k, v) => {
      kv.set(k, v);
    },
    insertDocument: (row) => {
      if (docs.has(row.id)) throw new Error('duplicate id');
      docs.set(row.id, row);
    },
    getDocument: (id) => docs.get(id),
  };
}

const { masterKey } = await generateMasterKey();
const keyring = new Keyring({ store: memoryStore(), masterKey });
const audit = new AuditLog(memoryAuditSink());

let service;
const server = Deno.serve(
  {
    hostname: '127.0.0.1',
    port,
    onListen: () => {},
  },
  // The client address for the login limits comes from the connection, never from a header.
  async (request, info) =>
    (await service.handle(request, { clientAddress: info?.remoteAddr?.hostname })) ??
    new Response(JSON.stringify({ error: 'not_found', errors: ['not found'] }), {
      status: 404,
      headers: { 'content-type': 'application/json' },
    }),
);
const base = `http://127.0.0.1:${server.addr.port}`;
service = await createQsignService({
  issuer: base,
  keyring,
  masterKey,
  adminToken,
  audit,
  store: mapStore(),
  log: (l) => console.error(l),
});

console.log(`QSIGN demo (Deno ${Deno.version.deno}) listening on ${base}/`);
console.log(`  users:        ${DEFAULT_USERS.map((u) => `${u.username} / ${u.password}`).join(',   ')}`);
console.log(`  admin token:  ${adminToken}`);
console.log('  state:        in memory (lost on exit)');
