// The OpenSSL command-line tools the interop tests compare against, installed
// by `npm run setup` (scripts/install-openssl.mjs) from Debian packages into
// tools/openssl/<series>/ inside the checkout. Each bin/openssl is a wrapper
// that needs no environment. When one is missing (vitest run without setup),
// the first call installs it, and a failed install fails the test: interop
// tests never skip.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The OpenSSL series the project installs: 3.5 (Debian trixie) and 3.6 (Debian sid, CMS KEMRecipientInfo). */
export type OpensslSeries = '3.5' | '3.6';

const wrapper = (series: OpensslSeries) => join(repoRoot, 'tools', 'openssl', series, 'bin', 'openssl');

/** Absolute path of the OpenSSL 3.5.x wrapper. */
export const OPENSSL35 = wrapper('3.5');
/** Absolute path of the OpenSSL 3.6.x wrapper. */
export const OPENSSL36 = wrapper('3.6');

export interface OpensslOptions {
  /** Working directory (relative paths in `args` resolve against it). */
  cwd?: string;
  /** Bytes or text written to standard input. */
  input?: string | Uint8Array;
  /** Throw, with the command and its output, when the exit code is not 0. */
  check?: boolean;
  /** Kill the process after this long (default 60 s). */
  timeoutMs?: number;
}

export interface OpensslResult {
  /** Exit code (-1 when killed by a signal or the timeout). */
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for matching messages wherever OpenSSL printed them. */
  out: string;
  /** stdout as bytes, for DER and other binary output. */
  bytes: Buffer;
}

const ready = new Set<OpensslSeries>();

/** Makes sure the wrapper of `series` runs and reports that series, installing it when it does not. */
export function ensureOpenssl(series: OpensslSeries): string {
  const bin = wrapper(series);
  if (ready.has(series)) return bin;
  const reports = () => spawnSync(bin, ['version'], { encoding: 'utf8' }).stdout ?? '';
  if (!reports().startsWith(`OpenSSL ${series}.`)) {
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'install-openssl.mjs'), '--quiet'], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`installing OpenSSL ${series} failed:\n${r.stdout}${r.stderr}`);
    const v = reports();
    if (!v.startsWith(`OpenSSL ${series}.`)) throw new Error(`${bin} reports "${v.trim()}", not OpenSSL ${series}.x`);
  }
  ready.add(series);
  return bin;
}

/**
 * Runs `openssl <args>` from the given series.
 *
 * @example
 *   const { out } = openssl('3.6', ['cms', '-decrypt', '-in', 'msg.p7m', '-recip', 'kem.crt', '-inkey', 'kem.key'], {
 *     cwd: dir,
 *     check: true,
 *   });
 */
export function openssl(series: OpensslSeries, args: readonly string[], opts: OpensslOptions = {}): OpensslResult {
  const bin = ensureOpenssl(series);
  const r = spawnSync(bin, args, {
    cwd: opts.cwd,
    input: opts.input,
    timeout: opts.timeoutMs ?? 60_000,
    maxBuffer: 256 << 20,
  });
  if (r.error) throw new Error(`openssl ${series} could not run (${bin}): ${r.error.message}`);
  const stdout = r.stdout.toString('utf8');
  const stderr = r.stderr.toString('utf8');
  const result = { code: r.status ?? -1, stdout, stderr, out: stdout + stderr, bytes: r.stdout };
  if (opts.check && result.code !== 0) {
    throw new Error(`openssl ${series} ${args.join(' ')} exited with ${result.code}:\n${result.out}`);
  }
  return result;
}
