/**
 * One room for algorithm facts (issue 24 item 1): every key, ciphertext and
 * signature length and every alias spelling is written in src/registry.ts and
 * nowhere else in src/. The scan tokenizes each file with the TypeScript
 * scanner, so comments (which may explain a layout in bytes) are not counted,
 * while numeric literals, string literals and template text are.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { algorithms, findAlgorithm, sizeOf } from '../../src/registry.js';
import { ml_kem512, ml_kem768, ml_kem1024 } from '../../src/kem/mlkem.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '../../src/sig/index.js';
import { xwing } from '../../src/hybrid/xwing.js';
import { x25519mlkem768 } from '../../src/hybrid/x25519mlkem768.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');
/** The registry: the index and its per-family rows (src/registry/). */
const isRegistry = (file: string) => file === 'src/registry.ts' || file.startsWith('src/registry/');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const norm = (s: string) => s.toLowerCase().replace(/[\s_-]/g, '');

// Lengths distinctive enough to mean "a size of that algorithm" wherever they
// appear. The digits of a parameter-set name (512, 768, 1024, 44, 65, 87) and
// the small sizes shared with everything (32, 64) are left out.
const NAME_DIGITS = new Set(algorithms().flatMap((a) => (a.name.match(/\d+/g) ?? []).map(Number)));
const SIZE_LITERALS = new Set(
  algorithms()
    .flatMap((a) => Object.values(a.sizes) as number[])
    .filter((n) => n >= 700 && !NAME_DIGITS.has(n)),
);
// True aliases: spellings that are not the canonical name once normalized.
const ALIASES = new Set(algorithms().flatMap((a) => a.aliases.map(norm).filter((x) => x !== norm(a.name))));

interface Hit {
  file: string;
  line: number;
  what: string;
}

function scan(path: string): Hit[] {
  const text = readFileSync(path, 'utf8');
  const file = relative(ROOT, path);
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const hits: Hit[] = [];
  const line = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && ALIASES.has(norm(node.name.text))) {
      hits.push({ file, line: line(node.getStart()), what: `alias ${node.name.text} as a property name` });
    }
    if (ts.isNumericLiteral(node)) {
      if (SIZE_LITERALS.has(Number(node.text)))
        hits.push({ file, line: line(node.getStart()), what: `size literal ${node.text}` });
    } else if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) {
      const s = node.text;
      for (const n of s.match(/\d+/g) ?? [])
        if (SIZE_LITERALS.has(Number(n)) && !new RegExp(`[A-Za-z]-?${n}\\b`).test(s))
          hits.push({ file, line: line(node.getStart()), what: `size ${n} in text ${JSON.stringify(s)}` });
      for (const w of s.split(/[^A-Za-z0-9_-]+/))
        if (w && ALIASES.has(norm(w)))
          hits.push({ file, line: line(node.getStart()), what: `alias ${JSON.stringify(w)} in ${JSON.stringify(s)}` });
    }
    ts.forEachChild(node, visit);
    // Template heads/middles/tails are tokens, not children of forEachChild's walk of spans' literal parts.
    if (ts.isTemplateSpan(node)) visit(node.literal);
  };
  visit(sf);
  return hits;
}

describe('registry: one source for sizes and aliases (issue 24 item 1)', () => {
  it('the scan knows the sizes and aliases it looks for', () => {
    for (const n of [1184, 2400, 1088, 1952, 4032, 3309, 2592, 4896, 4627, 1312, 2560, 2420, 1216, 1120])
      expect(SIZE_LITERALS.has(n), String(n)).toBe(true);
    for (const a of ['kyber768', 'dilithium3', 'mlkem768x25519']) expect(ALIASES.has(a), a).toBe(true);
    // The scanner sees through comments but not through code.
    const probe = scan(join(ROOT, 'test/unit/registry-single-source.test.ts'));
    expect(probe.length).toBeGreaterThan(0);
  });

  it('no size literal or alias string in src/ outside src/registry.ts and src/registry/', () => {
    const hits = files(SRC)
      .filter((p) => !isRegistry(relative(ROOT, p)))
      .flatMap(scan)
      .map((h) => `${h.file}:${h.line} ${h.what}`);
    expect(hits).toEqual([]);
  });

  it('aliases and normalized spellings resolve through the registry', () => {
    expect(findAlgorithm('kyber768')?.name).toBe('ML-KEM-768');
    expect(findAlgorithm('ml_kem768')?.name).toBe('ML-KEM-768');
    expect(findAlgorithm('xwing')?.name).toBe('X-Wing');
    expect(findAlgorithm('MLKEM768-X25519')?.name).toBe('X-Wing');
    expect(findAlgorithm('x25519-mlkem768')?.name).toBe('X25519MLKEM768');
    expect(findAlgorithm('sha3_256')?.name).toBe('SHA3-256');
  });

  it('the primitives, which derive their lengths from the FIPS parameters, agree with the registry', () => {
    for (const m of [ml_kem512, ml_kem768, ml_kem1024]) {
      expect(m.lengths.publicKey, m.name).toBe(sizeOf(m.name, 'publicKey'));
      expect(m.lengths.secretKey, m.name).toBe(sizeOf(m.name, 'secretKey'));
      expect(m.lengths.cipherText, m.name).toBe(sizeOf(m.name, 'cipherText'));
      expect(m.lengths.seed, m.name).toBe(sizeOf(m.name, 'seed'));
      expect(m.lengths.sharedSecret, m.name).toBe(sizeOf(m.name, 'sharedSecret'));
    }
    for (const [name, d] of [
      ['ML-DSA-44', ml_dsa44],
      ['ML-DSA-65', ml_dsa65],
      ['ML-DSA-87', ml_dsa87],
    ] as const) {
      expect(d.lengths.publicKey, name).toBe(sizeOf(name, 'publicKey'));
      expect(d.lengths.secretKey, name).toBe(sizeOf(name, 'secretKey'));
      expect(d.lengths.signature, name).toBe(sizeOf(name, 'signature'));
      expect(d.lengths.seed, name).toBe(sizeOf(name, 'seed'));
      expect(d.securityLevel, name).toBe(findAlgorithm(name)!.securityBits);
    }
    expect(xwing.lengths.publicKey).toBe(sizeOf('ML-KEM-768', 'publicKey') + 32);
    expect(xwing.lengths.cipherText).toBe(sizeOf('ML-KEM-768', 'cipherText') + 32);
    expect(x25519mlkem768.lengths.clientKeyShare).toBe(sizeOf('X-Wing', 'publicKey'));
  });
});
