// Reads the test vectors (NIST ACVP, Wycheproof, drafts) kept in the repository
// under test/vectors/data: data files only, each named with its upstream
// repository, commit, path and licence in test/vectors/data/SOURCES.md and
// pinned by test/vectors/data/SHA256SUMS (checked by test/vectors/sums.test.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VECTORS_DIR = join(repoRoot, 'test', 'vectors', 'data');

/** Path of a vector file; throws a clear error when the vector tree is missing. */
export function vectorPath(rel: string): string {
  const p = join(VECTORS_DIR, rel);
  if (!existsSync(p)) {
    throw new Error(
      `test vector ${rel} not found under ${VECTORS_DIR}: add it with its line in SOURCES.md and SHA256SUMS`,
    );
  }
  return p;
}

/** Raw bytes of a vector file (.gz is decompressed). */
export function loadBytes(rel: string): Uint8Array {
  const raw = readFileSync(vectorPath(rel));
  return rel.endsWith('.gz') ? gunzipSync(raw) : raw;
}

/** Parsed JSON of a vector file (.json or .json.gz), as the shape `T` the caller names. */
export function loadJson<T>(rel: string): T {
  return JSON.parse(new TextDecoder().decode(loadBytes(rel))) as T;
}

export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}
