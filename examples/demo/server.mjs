#!/usr/bin/env node
/**
 * `npm start`: the QSIGN end-to-end demo (seed §10.1) in one process on
 * 127.0.0.1 — in-page demo, token issuer, document service and transit API.
 *
 *   node examples/demo/server.mjs [--data DIR] [--port N]     (PORT env also works; 0 = any free port)
 *
 * The page script is bundled with esbuild at start-up (browser condition, so
 * the SDK fetches its .wasm from /wasm/ via `new URL(…, import.meta.url)`);
 * nothing is loaded from a CDN.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

function fail(msg) {
  console.error(`qsign demo: ${msg}`);
  process.exit(1);
}

function arg(name) {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) fail(`${name} needs a value`);
  return v;
}

// The SDK is imported from its build; say how to make it rather than crash on a missing module.
for (const f of ['dist/index.js', 'dist/jose/index.js', 'dist/transit/index.js', 'dist/transit/node/server.js']) {
  if (!existsSync(join(root, f)))
    fail(
      `${f} is missing: build the SDK first with \`npm run setup\` (or \`npx tsc -p tsconfig.json\`), then run \`npm start\` again`,
    );
}
// One wasm module per family and build (wasm/build-info.json lists them); the page fetches those init() loads.
const infoFile = join(root, 'wasm', 'build-info.json');
if (!existsSync(infoFile)) fail('wasm/build-info.json is missing: run `npm run build:wasm`');
const wasmFiles = Object.values(JSON.parse(readFileSync(infoFile, 'utf8')).outputs).map((o) => o.file);
for (const f of wasmFiles) {
  if (!existsSync(join(root, 'wasm', f))) fail(`wasm/${f} is missing: run \`npm run build:wasm\``);
}

const dataDir = resolve(arg('--data') ?? process.env.QSIGN_DATA ?? join(process.cwd(), '.qsign-data'));
const portArg = arg('--port') ?? process.env.PORT ?? '8080';
const port = Number(portArg);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid port ${portArg}`);
const host = '127.0.0.1';

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  fail('esbuild is needed to bundle the page (a devDependency): run `npm ci`');
}
let betterSqlite;
try {
  betterSqlite = await import('better-sqlite3');
} catch {
  fail(
    'better-sqlite3 (optional dependency) is not installed; the demo stores its state in SQLite: run `npm install better-sqlite3@12`',
  );
}
void betterSqlite;

const { serveDemo, CLIENT_ADDRESS_HEADER } = await import('./http.mjs');
const { createDemo, DEFAULT_USERS, DOCUMENT_LIMIT } = await import('./service.mjs');

// Bundle the page. Into the data dir, so the checkout stays clean.
// 0700: the data dir holds the master key, the admin token and the database.
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
const wwwDir = join(dataDir, 'www');
mkdirSync(wwwDir, { recursive: true });
const t0 = Date.now();
await esbuild
  .build({
    entryPoints: [join(here, 'page', 'main.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['browser'],
    target: ['es2022'],
    outfile: join(wwwDir, 'app.js'),
    sourcemap: true,
    logLevel: 'warning',
    define: { 'globalThis.QSIGN_DOCUMENT_LIMIT': String(DOCUMENT_LIMIT) },
  })
  .catch((e) => fail(`bundling the page failed: ${e.message}`));
const bundleMs = Date.now() - t0;

const STATIC = {
  '/': [join(here, 'public', 'index.html'), 'text/html; charset=utf-8'],
  '/index.html': [join(here, 'public', 'index.html'), 'text/html; charset=utf-8'],
  '/assets/app.css': [join(here, 'public', 'app.css'), 'text/css; charset=utf-8'],
  '/assets/favicon.svg': [join(here, 'public', 'favicon.svg'), 'image/svg+xml'],
  '/assets/app.js': [join(wwwDir, 'app.js'), 'text/javascript; charset=utf-8'],
  '/assets/app.js.map': [join(wwwDir, 'app.js.map'), 'application/json'],
  // The bundle keeps the SDK's `new URL('../../wasm/…', import.meta.url)`; from /assets/app.js that is /wasm/….
  ...Object.fromEntries(wasmFiles.map((f) => [`/wasm/${f}`, [join(root, 'wasm', f), 'application/wasm']])),
};
// Same-origin only; 'wasm-unsafe-eval' is what WebAssembly compilation needs under CSP.
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

function serveStatic(request) {
  const path = new URL(request.url).pathname;
  const hit = STATIC[path];
  if (!hit || (request.method !== 'GET' && request.method !== 'HEAD')) {
    return new Response(JSON.stringify({ error: 'not_found', errors: ['not found'] }), {
      status: 404,
      headers: { 'content-type': 'application/json' },
    });
  }
  const [file, type] = hit;
  if (!existsSync(file)) return new Response('not found', { status: 404 });
  return new Response(readFileSync(file), {
    headers: {
      'content-type': type,
      'content-length': String(statSync(file).size),
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    },
  });
}

let demo;
// The issuer URL needs the bound port, so the state opens just after listen; until then answer 503.
// The client address comes from the socket (http.mjs sets the header after dropping any client-sent one).
const handler = async (request) => {
  if (!demo)
    return new Response(JSON.stringify({ error: 'starting', errors: ['the demo is starting; retry in a moment'] }), {
      status: 503,
      headers: { 'content-type': 'application/json', 'retry-after': '1' },
    });
  const clientAddress = request.headers.get(CLIENT_ADDRESS_HEADER) ?? 'unknown';
  return (await demo.handle(request, { clientAddress })) ?? serveStatic(request);
};
const srv = await serveDemo(() => handler, { host, port }).catch((e) =>
  fail(`cannot listen on ${host}:${port}: ${e.message}`),
);
const base = srv.url;
try {
  demo = await createDemo({ dataDir, issuer: base, log: (l) => console.error(l) });
} catch (e) {
  await srv.close();
  fail(`cannot open the demo state in ${dataDir}: ${e?.message ?? e}`);
}

console.log(`QSIGN demo listening on ${base}/  (data: ${dataDir}, page bundled in ${bundleMs} ms)`);
console.log(
  `  users:        ${DEFAULT_USERS.map((u) => `${u.username} / ${process.env[`QSIGN_${u.username.toUpperCase()}_PASSWORD`] || u.password}`).join(',   ')}   (as set on first start)`,
);
console.log(`  admin token:  ${demo.adminToken}`);
console.log(`  issuer:       ${base}/.well-known/openid-configuration   JWKS: ${base}/certs`);
console.log(`  transit:      ${base}/v1/oqs-transit/   (X-Vault-Token: the admin token)`);
console.log(
  `  documents:    up to ${DOCUMENT_LIMIT / 1048576} MiB uploaded as-is; larger files are signed in the page and submitted as a signed manifest`,
);

let closing = false;
async function shutdown(sig) {
  if (closing) return;
  closing = true;
  console.log(`QSIGN demo: ${sig}, shutting down`);
  await srv.close();
  demo.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
