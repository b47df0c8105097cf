// The OpenSSL contract of the test suite: `npm run setup` installs OpenSSL
// 3.5 and 3.6 from Debian packages into tools/openssl/3.5 and 3.6, each with
// a bin/openssl wrapper that needs no environment. Tests find them here.
// (Minimal version written on the `cms` branch; the `selfcontained` branch
// owns the full one.)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of the OpenSSL 3.5 wrapper. */
export const OPENSSL35 = join(ROOT, 'tools', 'openssl', '3.5', 'bin', 'openssl');
/** Absolute path of the OpenSSL 3.6 wrapper. */
export const OPENSSL36 = join(ROOT, 'tools', 'openssl', '3.6', 'bin', 'openssl');

export interface OpensslResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `openssl <args>` of the given version; throws when the binary is not installed. */
export function openssl(
  version: '3.5' | '3.6',
  args: string[],
  opts: { cwd?: string; input?: string | Uint8Array } = {},
): OpensslResult {
  const bin = version === '3.5' ? OPENSSL35 : OPENSSL36;
  if (!existsSync(bin)) throw new Error(`OpenSSL ${version} is not installed at ${bin}: run \`npm run setup\``);
  const r = spawnSync(bin, args, { cwd: opts.cwd, input: opts.input, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
