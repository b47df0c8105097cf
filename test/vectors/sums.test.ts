// The vector files are data copied from upstream (see data/SOURCES.md); this
// pins every byte of them, so an edit, a truncation or a stray file shows up.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VECTORS_DIR } from '../helpers/vectors.js';

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

describe('test/vectors/data', () => {
  const sums = new Map<string, string>();
  for (const line of readFileSync(join(VECTORS_DIR, 'SHA256SUMS'), 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](?:\.\/)?(.+)$/.exec(line);
    if (m) sums.set(m[2]!, m[1]!);
  }

  it('lists a digest for every file, and every listed file matches it', () => {
    const files = listFiles(VECTORS_DIR)
      .map((p) => relative(VECTORS_DIR, p))
      .filter((rel) => rel !== 'SHA256SUMS' && rel !== 'SOURCES.md');
    expect(files.filter((rel) => !sums.has(rel))).toEqual([]);
    expect([...sums.keys()].filter((rel) => !files.includes(rel))).toEqual([]);
    const wrong = files.filter(
      (rel) =>
        createHash('sha256')
          .update(readFileSync(join(VECTORS_DIR, rel)))
          .digest('hex') !== sums.get(rel),
    );
    expect(wrong).toEqual([]);
    expect(files.length).toBeGreaterThan(200);
  });
});
