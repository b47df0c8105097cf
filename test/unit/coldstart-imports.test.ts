import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * Cold start (issue 23 item 1): what `import 'qsign-pqc'` evaluates before the
 * app's first line runs. Walks the static import graph of dist/index.js (the
 * file the root export resolves to; `import()` expressions are not followed:
 * they load on demand) and lists the bare specifiers it reaches.
 */
const root = resolve(import.meta.dirname, '../..');
const STATIC_IMPORT = /^\s*(?:import|export)\s[^;'"]*?(?:from\s*)?['"]([^'"]+)['"]/gm;

function staticGraph(entry: string): { files: Set<string>; bare: Set<string> } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      if (spec.startsWith('.')) visit(join(dirname(file), spec));
      else bare.add(spec);
    }
  };
  visit(entry);
  return { files, bare };
}

describe('root import path (cold start)', () => {
  it('import "qsign-pqc" loads no @noble/hashes/sha2 (SHA-2 pre-hash loads on first use)', () => {
    const entry = join(root, 'dist/index.js');
    if (!existsSync(entry)) throw new Error('dist/ is missing: run `npm run build:ts` first');
    const { files, bare } = staticGraph(entry);
    expect(files.size).toBeGreaterThan(1); // the walk follows the chunks
    expect([...bare].filter((s) => s.startsWith('@noble/hashes'))).toEqual([]);
  });
});
