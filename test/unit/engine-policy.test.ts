// The committed engine policy must be exactly what bench/engine.mjs
// generates from the committed measurements (no hand edits, no stale table),
// and the generator's decision rule must be the documented one.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain JavaScript module without types
import { pickOf, policySource, markdown, PICK_MARGIN } from '../../bench/engine.mjs';
import { POLICY_TABLE } from '../../src/engine/policy-table.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const files = readdirSync(`${root}bench/policy`)
  .filter((f) => f.endsWith('.json'))
  .sort();
const results = files.map((f) => JSON.parse(readFileSync(`${root}bench/policy/${f}`, 'utf8')));

describe('engine policy table', () => {
  it('src/engine/policy-table.ts is the generator output for bench/policy/*.json', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(readFileSync(`${root}src/engine/policy-table.ts`, 'utf8')).toBe(policySource(results));
  });

  it('every measured runtime has a row, keyed by its file name', () => {
    for (const [i, r] of results.entries()) {
      expect(files[i]).toBe(`${r.runtime}.json`);
      expect(POLICY_TABLE).toHaveProperty([r.runtime]);
    }
  });

  it('native is picked only where it was measured and beat wasm by the margin', () => {
    expect(PICK_MARGIN).toBeGreaterThan(1);
    expect(pickOf({ wasm: 100, webcrypto: null })).toBe('wasm');
    expect(pickOf({ wasm: 100, webcrypto: 100 * PICK_MARGIN - 1 })).toBe('wasm');
    expect(pickOf({ wasm: 100, webcrypto: 100 * PICK_MARGIN })).toBe('webcrypto');
    for (const r of results) {
      for (const [alg, ops] of Object.entries(
        r.ops as Record<string, Record<string, { wasm: number; webcrypto: number | null; pick: string }>>,
      )) {
        for (const [op, v] of Object.entries(ops)) {
          const row = (POLICY_TABLE as Record<string, Record<string, Record<string, string>>>)[r.runtime]?.[alg]?.[op];
          expect(row ?? 'wasm').toBe(pickOf(v));
          expect(v.pick).toBe(pickOf(v));
          // A pick of native needs a native measurement and a native capability.
          if (row === 'webcrypto') expect(v.webcrypto).toBeGreaterThan(0);
        }
      }
    }
  });

  it('runtimes without native Web Crypto PQC have an empty row', () => {
    for (const r of results) {
      const anyNative = Object.values(r.capabilities as Record<string, { importSeed: boolean }>).some(
        (c) => c.importSeed,
      );
      if (!anyNative) expect(Object.keys((POLICY_TABLE as Record<string, object>)[r.runtime]!)).toEqual([]);
    }
  });

  it('the Markdown has one table row per measured operation', () => {
    const md: string = markdown(results);
    const opRows = results.reduce(
      (n, r) => n + Object.values(r.ops as Record<string, object>).reduce((m, o) => m + Object.keys(o).length, 0),
      0,
    );
    expect(
      md
        .split('\n')
        .filter((l) =>
          /^\| ML-(DSA|KEM)-\d+ \| (keygen|sign|verify|encapsulate|decapsulate) \| [\d.—]+ \| [\d.—]+ \| /.test(l),
        ).length,
    ).toBe(opRows);
  });

  it('docs/engines.md carries the generated results section', () => {
    const doc = readFileSync(`${root}docs/engines.md`, 'utf8');
    expect(doc).toContain(markdown(results).trim());
  });
});
