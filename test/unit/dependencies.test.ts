// Every runtime dependency in package.json is imported by the SDK (src/):
// an unused one only costs installs and audit surface (issue 24 found
// @peculiar/asn1-pkcs8 imported by nothing).
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : /\.ts$/.test(n) ? [p] : [];
  });
}

/** Package names a source imports (bare specifiers, scoped or not, without subpaths). */
export function importedPackages(source: string): string[] {
  const out = new Set<string>();
  for (const m of source.matchAll(/(?:from\s*|import\s*\(?\s*)['"]([^'".#/][^'"]*)['"]/g)) {
    const parts = m[1]!.split('/');
    out.add(m[1]!.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
  }
  return [...out].filter((p) => !p.startsWith('node:'));
}

describe('dependencies', () => {
  it('the import reader sees scoped packages with subpaths and ignores relative and node: imports', () => {
    const src =
      "import { a } from '@noble/ciphers/chacha.js';\nimport b from 'jose';\nimport './x.js';\nimport 'node:fs';";
    expect(importedPackages(src).sort()).toEqual(['@noble/ciphers', 'jose']);
  });

  it('every runtime dependency is imported somewhere in src/', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const used = new Set(sources(join(root, 'src')).flatMap((f) => importedPackages(readFileSync(f, 'utf8'))));
    expect(Object.keys(pkg.dependencies).filter((d) => !used.has(d))).toEqual([]);
  });
});
