// Reads the shared test vectors (NIST ACVP, Wycheproof, drafts). They live
// beside the repository in ../shared/vectors (CI has them there); point
// QSIGN_VECTORS elsewhere if your copy lives somewhere else.
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VECTORS_DIR = process.env.QSIGN_VECTORS ?? join(repoRoot, '..', 'shared', 'vectors');

/** Path of a vector file; throws a clear error when the vector tree is missing. */
export function vectorPath(rel: string): string {
  const p = join(VECTORS_DIR, rel);
  if (!existsSync(p)) {
    throw new Error(
      `test vector ${rel} not found under ${VECTORS_DIR}; set QSIGN_VECTORS to the shared/vectors directory`,
    );
  }
  return p;
}

/** Raw bytes of a vector file (.gz is decompressed). */
export function loadBytes(rel: string): Uint8Array {
  const raw = readFileSync(vectorPath(rel));
  return rel.endsWith('.gz') ? gunzipSync(raw) : raw;
}

/** Parsed JSON of a vector file (.json or .json.gz). */
export function loadJson<T = any>(rel: string): T {
  return JSON.parse(new TextDecoder().decode(loadBytes(rel))) as T;
}

export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}
