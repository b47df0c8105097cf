#!/usr/bin/env node
// Installs the OpenSSL command-line tools the interop tests talk to, from
// Debian packages, into private prefixes inside the checkout:
//
//   tools/openssl/3.5/bin/openssl   Debian trixie's openssl (ML-DSA, ML-KEM, X.509)
//   tools/openssl/3.6/bin/openssl   Debian sid's openssl (adds CMS KEMRecipientInfo)
//
// Debian 12 ships OpenSSL 3.0, and the newer builds need a newer glibc than
// bookworm's 2.36, so each prefix holds the package's whole dependency closure
// (libc6 included) unpacked with `dpkg-deb -x`, and `bin/openssl` is a wrapper
// that starts the binary through the prefix's own dynamic loader. The wrapper
// finds its prefix from its own path, so it needs no environment and keeps
// working when the checkout is moved or copied. The system's OpenSSL, apt
// sources and dpkg database are never touched, and root is not needed.
//
// The exact package versions are pinned in tools/openssl.lock.json. The
// archive drops superseded versions, so when a pinned one is gone the newest
// build of the same OpenSSL series is installed instead, with a warning to
// refresh the lock (`--relock`); the series (3.5.x / 3.6.x) is always checked.
//
//   node scripts/install-openssl.mjs            install what is missing (quick when nothing is)
//   node scripts/install-openssl.mjs --force    reinstall both
//   node scripts/install-openssl.mjs --relock   pin the versions the archive has now
//   node scripts/install-openssl.mjs --quiet    silent when nothing had to be done
//
// Environment:
//   QSIGN_OPENSSL35=/path/openssl, QSIGN_OPENSSL36=…   use an OpenSSL you installed yourself
//       (non-Debian systems): the wrapper then runs that binary; its version is still checked.
//   QSIGN_DEBIAN_MIRROR=http://…/debian   the archive to use (default: the system's Debian source)
//
// Runs before node_modules exists (from scripts/setup.mjs), so Node built-ins only.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const LOCK = join(root, 'tools', 'openssl.lock.json');
const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';
// Packages resolved from an empty dpkg status: the whole closure the binary needs.
const ROOT_PACKAGES = ['openssl'];

export const prefixOf = (series) => join(root, 'tools', 'openssl', series);
export const wrapperOf = (series) => join(prefixOf(series), 'bin', 'openssl');

class InstallError extends Error {}

/** `openssl version` of a wrapper or binary, or '' when it does not run. */
export function versionOf(bin) {
  if (!existsSync(bin)) return '';
  const r = spawnSync(bin, ['version'], { encoding: 'utf8', env: {}, timeout: 20_000 });
  return r.status === 0 ? r.stdout.trim() : '';
}

const seriesMatches = (version, series) => version.startsWith(`OpenSSL ${series}.`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.error) throw new InstallError(`could not start ${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new InstallError(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`);
  }
  return r.stdout;
}

/** The Debian mirror this machine already uses, so no host is hard-coded here. */
function mirror() {
  if (process.env.QSIGN_DEBIAN_MIRROR) return process.env.QSIGN_DEBIAN_MIRROR;
  const candidates = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list'];
  for (const f of candidates) {
    if (!existsSync(f)) continue;
    const text = readFileSync(f, 'utf8');
    const m = /^URIs:\s*(\S+)/m.exec(text) ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/m.exec(text);
    if (m) return m[1];
  }
  throw new InstallError(
    'cannot find the Debian mirror in /etc/apt; set QSIGN_DEBIAN_MIRROR=http://deb.debian.org/debian',
  );
}

/**
 * A private apt state for one suite under .cache/: its own sources, lists,
 * package cache and an empty dpkg status, so resolving `openssl` yields its
 * full dependency closure and nothing of the system's apt setup changes.
 */
function privateApt(suite) {
  if (!existsSync(KEYRING)) throw new InstallError(`${KEYRING} is missing (apt-get install debian-archive-keyring)`);
  const dir = join(root, '.cache', 'openssl-apt', suite);
  for (const d of ['etc/apt.conf.d', 'etc/preferences.d', 'etc/sources.list.d', 'lists/partial', 'archives/partial']) {
    mkdirSync(join(dir, d), { recursive: true });
  }
  writeFileSync(join(dir, 'status'), '');
  writeFileSync(join(dir, 'etc/sources.list'), `deb [signed-by=${KEYRING}] ${mirror()} ${suite} main\n`);
  const sandboxUser = process.getuid?.() === 0 ? 'root' : userInfo().username;
  const conf = [
    `Dir::State "${dir}/";`,
    `Dir::State::lists "${dir}/lists/";`,
    `Dir::State::status "${dir}/status";`,
    `Dir::Cache "${dir}/";`,
    `Dir::Cache::archives "${dir}/archives/";`,
    `Dir::Cache::pkgcache "";`,
    `Dir::Cache::srcpkgcache "";`,
    `Dir::Etc "${dir}/etc/";`,
    `Dir::Etc::SourceList "${dir}/etc/sources.list";`,
    `Dir::Etc::SourceParts "${dir}/etc/sources.list.d/";`,
    `Dir::Etc::Preferences "${dir}/etc/preferences";`,
    `Dir::Etc::PreferencesParts "${dir}/etc/preferences.d/";`,
    `Dir::Etc::Parts "${dir}/etc/apt.conf.d/";`,
    `APT::Architecture "amd64";`,
    `APT::Sandbox::User "${sandboxUser}";`,
    `Acquire::Languages "none";`,
    // A mirror can be a frozen snapshot whose Release looks expired; the
    // signatures are still checked against the Debian archive keyring.
    `Acquire::Check-Valid-Until "false";`,
  ];
  writeFileSync(join(dir, 'apt.conf'), `${conf.join('\n')}\n`);
  const env = { ...process.env, APT_CONFIG: join(dir, 'apt.conf'), DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C' };
  const apt = (args, opts = {}) => run('apt-get', ['-q', ...args], { env, ...opts });
  let updated = false;
  return {
    dir,
    apt,
    update() {
      if (updated) return;
      apt(['update']);
      updated = true;
    },
  };
}

/** Package → version of `openssl`'s dependency closure as the suite has it now. */
function resolveClosure(apt) {
  apt.update();
  const out = apt.apt(['-s', 'install', ...ROOT_PACKAGES]);
  const pkgs = {};
  for (const m of out.matchAll(/^Inst (\S+) \((\S+) /gm)) pkgs[m[1].replace(/:amd64$/, '')] = m[2];
  if (!pkgs.openssl) throw new InstallError(`apt could not resolve openssl:\n${out}`);
  return pkgs;
}

/** Downloads `pkgs` (name → version) into a fresh directory; returns the .deb paths. */
function download(apt, pkgs) {
  const debs = join(apt.dir, 'debs');
  rmSync(debs, { recursive: true, force: true });
  mkdirSync(debs, { recursive: true });
  apt.apt(['download', ...Object.entries(pkgs).map(([name, version]) => `${name}=${version}`)], { cwd: debs });
  return readdirSync(debs)
    .filter((f) => f.endsWith('.deb'))
    .map((f) => join(debs, f));
}

/** The unpacked glibc's dynamic loader, relative to the prefix. */
function findLoader(prefix) {
  for (const rel of [
    'usr/lib64/ld-linux-x86-64.so.2',
    'lib64/ld-linux-x86-64.so.2',
    'usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
  ]) {
    if (existsSync(join(prefix, rel))) return rel;
  }
  throw new InstallError(`no ld-linux-x86-64.so.2 in the unpacked libc6 under ${prefix}`);
}

/** The providers directory (ossl-modules, or ossl-modules-3 in newer packages), relative to the prefix. */
function findModules(prefix) {
  const lib = 'usr/lib/x86_64-linux-gnu';
  const name = readdirSync(join(prefix, lib)).find((n) => /^ossl-modules/.test(n));
  return name ? `${lib}/${name}` : `${lib}/ossl-modules`;
}

// The wrapper locates its prefix from its own path with shell built-ins only
// (it must run with an empty environment, PATH included), pins the configuration
// and providers to the prefix's own (usr/lib/ssl/openssl.cnf in the package is
// an absolute symlink to the system's 3.0 /etc/ssl/openssl.cnf), and runs the binary with
// the prefix's loader and libraries: the packages need a newer glibc than the
// host's, so LD_LIBRARY_PATH with the system loader would not do.
function debianWrapper(suite, loader, modules) {
  return `#!/bin/sh
# OpenSSL from Debian ${suite}, installed by scripts/install-openssl.mjs. Needs no environment.
case $0 in */*) B=\${0%/*} ;; *) B=. ;; esac
P=$(cd -P -- "$B/.." && pwd)
L="$P/usr/lib/x86_64-linux-gnu"
export OPENSSL_CONF="$P/etc/ssl/openssl.cnf"
export OPENSSL_MODULES="$P/${modules}"
exec "$P/${loader}" --library-path "$L" "$P/usr/bin/openssl" "$@"
`;
}

function ownWrapper(bin) {
  return `#!/bin/sh
# A locally installed OpenSSL, chosen with QSIGN_OPENSSL* when scripts/install-openssl.mjs ran.
exec '${bin.replaceAll("'", "'\\''")}' "$@"
`;
}

/** Puts a staged prefix in place atomically enough that a half-done install never looks complete. */
function swapIn(stage, prefix) {
  rmSync(`${prefix}.old`, { recursive: true, force: true });
  if (existsSync(prefix)) renameSync(prefix, `${prefix}.old`);
  renameSync(stage, prefix);
  rmSync(`${prefix}.old`, { recursive: true, force: true });
}

/**
 * Installs one series unless its wrapper already reports it and was made from
 * the current lock entry. Returns a line saying what was done, or '' if nothing.
 */
function installSeries(series, entry, { force }) {
  const prefix = prefixOf(series);
  const wrapper = wrapperOf(series);
  const own = process.env[`QSIGN_OPENSSL${series.replace('.', '')}`];
  const stamp = stampOf(series, entry);
  if (!force && isInstalled(series, entry)) return '';

  const started = Date.now();
  const stage = `${prefix}.new`;
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(stage, 'bin'), { recursive: true });
  let note = '';
  if (own) {
    const v = versionOf(own);
    if (!seriesMatches(v, series)) {
      throw new InstallError(
        `QSIGN_OPENSSL${series.replace('.', '')}=${own} reports "${v || 'nothing'}", not ${series}.x`,
      );
    }
    writeFileSync(join(stage, 'bin/openssl'), ownWrapper(own));
  } else {
    const apt = privateApt(entry.suite);
    let debs;
    try {
      apt.update();
      debs = download(apt, entry.packages);
    } catch (e) {
      if (
        !(e instanceof InstallError) ||
        !/Version '.*' for '.*' was not found|Can't select version|Unable to locate/.test(e.message)
      )
        throw e;
      // The pinned build left the archive (a stable update or a newer sid upload).
      const now = resolveClosure(apt);
      note = ` (pinned openssl ${entry.packages.openssl} is no longer in ${entry.suite}; took ${now.openssl}: run node scripts/install-openssl.mjs --relock and commit tools/openssl.lock.json)`;
      debs = download(apt, now);
    }
    for (const deb of debs) run('dpkg-deb', ['-x', deb, stage]);
    writeFileSync(join(stage, 'bin/openssl'), debianWrapper(entry.suite, findLoader(stage), findModules(stage)));
    const manifest = debs.map((d) => run('dpkg-deb', ['--show', '--showformat=${Package}=${Version}', d]));
    writeFileSync(join(stage, 'packages.txt'), `${manifest.sort().join('\n')}\n`);
    // The suite's package lists are ~60 MB; an install is rare, so they are fetched afresh each time.
    rmSync(apt.dir, { recursive: true, force: true });
  }
  chmodSync(join(stage, 'bin/openssl'), 0o755);
  writeFileSync(join(stage, 'installed-from.json'), `${stamp}\n`);
  swapIn(stage, prefix);
  const v = versionOf(wrapper);
  if (!seriesMatches(v, series)) {
    throw new InstallError(`${wrapper} reports "${v || 'nothing (it does not run)'}", expected OpenSSL ${series}.x`);
  }
  return `${v.split(' ').slice(0, 2).join(' ')} in tools/openssl/${series} (${((Date.now() - started) / 1000).toFixed(1)}s)${note}`;
}

function relock(lock) {
  for (const [series, entry] of Object.entries(lock.series)) {
    const pkgs = resolveClosure(privateApt(entry.suite));
    if (!pkgs.openssl.startsWith(`${series}.`)) {
      throw new InstallError(`${entry.suite} now has openssl ${pkgs.openssl}, not ${series}.x: pick another suite`);
    }
    entry.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => a.localeCompare(b)));
    console.log(
      `install-openssl: ${series} ← ${entry.suite}: ${Object.entries(pkgs)
        .map(([n, v]) => `${n}=${v}`)
        .join(' ')}`,
    );
  }
  writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
}

/** What an install of `series` was made from: the lock entry, or the user's own binary. */
function stampOf(series, entry) {
  const own = process.env[`QSIGN_OPENSSL${series.replace('.', '')}`];
  return JSON.stringify(own ? { own } : { suite: entry.suite, packages: entry.packages });
}

/** True when the wrapper runs, reports the series, and was made from what the lock asks for now. */
function isInstalled(series, entry) {
  const stampFile = join(prefixOf(series), 'installed-from.json');
  const current = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
  return current === stampOf(series, entry) && seriesMatches(versionOf(wrapperOf(series)), series);
}

/**
 * Runs `fn` holding tools/openssl/.installing, so that parallel test workers
 * that each find OpenSSL missing install it once, not over each other. A lock
 * left by a process that no longer exists is taken over.
 */
function withInstallLock(fn) {
  const lockDir = join(root, 'tools', 'openssl', '.installing');
  mkdirSync(dirname(lockDir), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let holder = 0;
    try {
      holder = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
      process.kill(holder, 0);
    } catch (e) {
      // No pid yet (the holder is between mkdir and write) or a dead holder.
      if (holder && e.code === 'ESRCH') rmSync(lockDir, { recursive: true, force: true });
    }
    if (Date.now() > deadline)
      throw new InstallError(`${lockDir} is held by process ${holder}; remove it if none runs`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
  }
  try {
    return fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Installs every series in the lock; returns the lines describing what was done. */
export function installOpenssl({ force = false } = {}) {
  const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
  const series = Object.entries(lock.series);
  if (!force && series.every(([s, entry]) => isInstalled(s, entry))) return [];
  return withInstallLock(() => series.map(([s, entry]) => installSeries(s, entry, { force })).filter(Boolean));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  try {
    if (args.includes('--relock')) relock(JSON.parse(readFileSync(LOCK, 'utf8')));
    const done = installOpenssl({ force: args.includes('--force') });
    for (const line of done) console.log(`install-openssl: ${line}`);
    if (!done.length && !args.includes('--quiet')) {
      for (const series of Object.keys(JSON.parse(readFileSync(LOCK, 'utf8')).series)) {
        console.log(`install-openssl: ${versionOf(wrapperOf(series))} at ${wrapperOf(series)}`);
      }
    }
  } catch (e) {
    if (!(e instanceof InstallError)) throw e;
    console.error(`install-openssl: ${e.message}`);
    process.exit(1);
  }
}
