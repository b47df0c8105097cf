#!/usr/bin/env node
// Loopback load test of `qsign transit serve`: encrypt and decrypt over HTTP against one SQLite process, then
// against three replicas on one PostgreSQL (a throwaway server from Debian's postgresql package, as in the tests).
// A bounded client (node:http, keep-alive, a fixed number of requests in flight) reports requests/s, p50/p99
// latency, errors (any non-200 is one: every request is valid), and each server's RSS sampled through the run.
//
//   node bench/transit-replicas.mjs [--seconds 10] [--concurrency 16] [--bytes 256] [--json]
//
// A benchmark, not a test: run it on a quiet machine and record the load with the figures (docs/performance.md).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { quantile } from './stats.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : dflt);
const seconds = opt('seconds', 10);
const concurrency = opt('concurrency', 16);
const bytes = opt('bytes', 256);
const asJson = args.includes('--json');
const TOKEN = 'bench-root-token-0123456789';
const MASTER = Buffer.alloc(32, 3).toString('base64');

// The test helpers (throwaway PostgreSQL, CLI bundle and spawn) are TypeScript: bundle them for plain node.
const cache = join(root, 'node_modules/.cache');
mkdirSync(cache, { recursive: true });
const work = mkdtempSync(join(cache, 'qsign-bench-replicas-'));
const esbuild = await import('esbuild');
await esbuild.build({
  stdin: {
    contents: "export * from './test/helpers/postgres.ts'; export * from './test/helpers/transit-cli.ts';",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: join(work, 'helpers.mjs'),
  packages: 'external',
  // The helpers find the repository from their own location.
  define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(root, 'test/helpers/bundle.ts')).href) },
  logLevel: 'silent',
});
const h = await import(pathToFileURL(join(work, 'helpers.mjs')).href);
const cli = join(work, 'qsign-cli.mjs');
await h.bundleCli(cli);

const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
function post(base, path, body) {
  return new Promise((resolve, reject) => {
    const u = new URL(`/v1/oqs-transit/${path}`, base);
    const data = JSON.stringify(body);
    const req = request(
      u,
      {
        method: 'POST',
        agent,
        headers: {
          'x-vault-token': TOKEN,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode, json: JSON.parse(Buffer.concat(chunks).toString() || '{}') }),
        );
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const rssOf = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

/** Runs `op(i)` with `concurrency` in flight for `seconds`; latencies in ms. */
async function phase(name, servers, op) {
  const lat = [];
  let errors = 0;
  const rss = servers.map((s) => [rssOf(s.proc.pid)]);
  const sampler = setInterval(() => servers.forEach((s, i) => rss[i].push(rssOf(s.proc.pid))), 500);
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const i = n++;
        const t0 = performance.now();
        try {
          if ((await op(i)) !== 200) errors++;
        } catch {
          errors++;
        }
        lat.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  clearInterval(sampler);
  servers.forEach((s, i) => rss[i].push(rssOf(s.proc.pid)));
  return {
    name,
    requests: lat.length,
    errors,
    rps: lat.length / elapsed,
    p50: quantile(lat, 0.5),
    p99: quantile(lat, 0.99),
    rssMiB: rss.map((r) => ({ start: r[0], max: Math.max(...r), end: r[r.length - 1] })),
  };
}

async function scenario(label, servers) {
  const bases = servers.map((s) => s.url);
  const pick = (i) => bases[i % bases.length];
  const st = await post(bases[0], 'keys/bench', { type: 'ml-kem-768' });
  if (st.status !== 200) throw new Error(`create failed: ${JSON.stringify(st.json)}`);
  const plaintext = Buffer.alloc(bytes, 7).toString('base64');
  // Warm-up on every replica (wasm compile, caches), then a pool of ciphertexts to decrypt.
  const cts = [];
  for (let i = 0; i < 64; i++) cts.push((await post(pick(i), 'encrypt/bench', { plaintext })).json.data.ciphertext);
  const enc = await phase(
    `${label} encrypt`,
    servers,
    async (i) => (await post(pick(i), 'encrypt/bench', { plaintext })).status,
  );
  const dec = await phase(`${label} decrypt`, servers, async (i) => {
    const r = await post(pick(i), 'decrypt/bench', { ciphertext: cts[i % cts.length] });
    return r.status === 200 && r.json.data.plaintext === plaintext ? 200 : -1;
  });
  return [enc, dec];
}

const env = { QSIGN_MASTER_KEY: MASTER, QSIGN_TRANSIT_TOKEN: TOKEN };
const load = { before: loadavg(), cpus: cpus().length, cpu: cpus()[0]?.model };
const results = [];
let pg;
let visibility;
let readMs;
const procs = [];
try {
  const sqlite = await h.startTransitServer(cli, ['--db', join(work, 'bench.db')], { env, cwd: work });
  procs.push(sqlite.proc);
  results.push(...(await scenario('SQLite, 1 process', [sqlite])));
  await h.stopProcess(sqlite.proc);

  pg = await h.startPostgres();
  const replicas = [];
  for (let i = 0; i < 3; i++) {
    const r = await h.startTransitServer(cli, ['--store', pg.url], { env, cwd: work });
    procs.push(r.proc);
    replicas.push(r);
  }
  results.push(...(await scenario('PostgreSQL, 3 replicas', replicas)));
  // The staleness bound: after a rotation acknowledged by one replica, does the very next request on another use it?
  let fresh = 0;
  const rounds = 20;
  for (let i = 0; i < rounds; i++) {
    const v = (await post(replicas[i % 3].url, 'keys/bench/rotate', {})).json.data.latest_version;
    const r = await post(replicas[(i + 1) % 3].url, 'encrypt/bench', { plaintext: 'AA==' });
    if (r.json.data.ciphertext.startsWith(`vault:v${v}:`)) fresh++;
  }
  visibility = { rounds, fresh };
  // What that costs: the primary-key read every request makes, timed alone on one connection.
  const { default: pgClient } = await import('pg');
  const c = new pgClient.Client({ connectionString: pg.url });
  await c.connect();
  const reads = 2000;
  const t0 = performance.now();
  for (let i = 0; i < reads; i++)
    await c.query('SELECT record, revision FROM qsign_transit_keys WHERE name = $1', ['bench']);
  readMs = (performance.now() - t0) / reads;
  await c.end();
} finally {
  await Promise.all(procs.map((p) => h.stopProcess(p, 'SIGKILL')));
  pg?.stop();
  agent.destroy();
  rmSync(work, { recursive: true, force: true });
}
load.after = loadavg();

if (asJson) console.log(JSON.stringify({ seconds, concurrency, bytes, load, results, visibility, readMs }, null, 2));
else {
  const f = (x, d = 1) => x.toFixed(d);
  console.log(
    `${seconds} s per phase, ${concurrency} requests in flight, ${bytes}-byte plaintexts, ML-KEM-768 key; ` +
      `${load.cpus} CPUs (${load.cpu}); load average ${load.before.map((x) => f(x, 2)).join(' ')} → ${load.after.map((x) => f(x, 2)).join(' ')}`,
  );
  console.log('| scenario | requests | errors | req/s | p50 ms | p99 ms | server RSS MiB (start → max → end) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results)
    console.log(
      `| ${r.name} | ${r.requests} | ${r.errors} | ${f(r.rps, 0)} | ${f(r.p50)} | ${f(r.p99)} | ${r.rssMiB
        .map((m) => `${f(m.start, 0)} → ${f(m.max, 0)} → ${f(m.end, 0)}`)
        .join('; ')} |`,
    );
  console.log(
    `rotation on one replica used by the next request on another: ${visibility.fresh}/${visibility.rounds}; ` +
      `one record read on PostgreSQL (SELECT by primary key, loopback): ${f(readMs * 1000, 0)} µs`,
  );
}
