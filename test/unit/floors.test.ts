/*
 * The floors, enforced: every import in src/ goes to the same floor or one
 * below (never up), no set of files imports itself round in a circle, and
 * only the primitive floors touch wasm memory. The floor of each room is
 * read from the table in docs/architecture.md, so the picture a newcomer
 * reads and the rule this test checks are one and the same.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');

/** Rooms (a folder ending in `/` or a file) and their floor, from the table between the `floors` markers. */
export function readFloors(markdown: string): Array<{ room: string; floor: number }> {
  const block = /<!-- floors:start -->([\s\S]*?)<!-- floors:end -->/.exec(markdown)?.[1];
  if (!block) throw new Error('docs/architecture.md has no <!-- floors:start --> … <!-- floors:end --> table');
  const rooms: Array<{ room: string; floor: number }> = [];
  for (const line of block.split('\n')) {
    const m = /^\|\s*(\d+)\s*\|([^|]*)\|/.exec(line);
    if (!m) continue;
    for (const r of m[2]!.matchAll(/`(src\/[^`]+)`/g)) rooms.push({ room: r[1]!, floor: Number(m[1]) });
  }
  return rooms;
}

const FLOORS = readFloors(readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8'));

/** The floor of a src/ file: its most specific room. */
function floorOf(file: string): number | undefined {
  let best: { room: string; floor: number } | undefined;
  for (const r of FLOORS) {
    const hit = r.room.endsWith('/') ? file.startsWith(r.room) : file === r.room;
    if (hit && (!best || r.room.length > best.room.length)) best = r;
  }
  return best?.floor;
}

/**
 * Modules that hand out wasm pointers or raw exports: only the primitive
 * floors (≤ 4) may import them; protocol code calls primitives or the engine.
 */
const POINTER_MODULES = ['src/wasm/heap.ts', 'src/wasm/exports.ts', 'src/wasm/status.ts'];
const POINTER_FLOOR = 4;

/**
 * Circles that are known and owned by other work. Each must still exist (so
 * the list cannot rot) and is the only circle tolerated.
 */
const KNOWN_CIRCLES: string[][] = [];

/** Files that still reach crypto.subtle themselves; owned by other work, listed so the list cannot rot. */
const KNOWN_SUBTLE: string[] = [];

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** A file's code without comments and string contents (messages may name crypto.subtle). */
function codeOnly(file: string): string {
  return stripComments(readFileSync(join(ROOT, file), 'utf8')).replace(/(['"`])(?:\\.|(?!\1)[^\\\n])*\1/g, '$1$1');
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.ts$/.test(name) && !/\.d\.ts$/.test(name)) out.push(relative(ROOT, p).split('\\').join('/'));
  }
  return out.sort();
}

/** Relative specifiers of every static import, re-export and dynamic import (type-only ones too: they are arrows of the design). */
export function importsOf(source: string): string[] {
  const specs = new Set<string>();
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  // Comments may quote imports (TSDoc examples); they are not arrows.
  const code = stripComments(source);
  for (const re of patterns) for (const m of code.matchAll(re)) specs.add(m[1]!);
  return [...specs];
}

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined; // packages and '#wasm-source' (the entry, chosen by the package map)
  const base = join(dirname(join(ROOT, from)), spec);
  for (const cand of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(cand).isFile()) return relative(ROOT, cand).split('\\').join('/');
    } catch {
      /* try the next form */
    }
  }
  return relative(ROOT, base).split('\\').join('/'); // outside src/ (e.g. the .wasm of an entry)
}

export function importGraph(files: string[] = sourceFiles(SRC)): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of files) {
    const deps = importsOf(readFileSync(join(ROOT, f), 'utf8'))
      .map((s) => resolveImport(f, s))
      .filter((d): d is string => d !== undefined && d.startsWith('src/'));
    g.set(f, [...new Set(deps)].sort());
  }
  return g;
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
export function circles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>(),
    low = new Map<string, number>(),
    on = new Set<string>(),
    stack: string[] = [],
    out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || (g.get(v) ?? []).includes(v)) out.push(c.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('floors: the import graph of src/', () => {
  const graph = importGraph();

  it('the floor table is readable and every src/ file has a room', () => {
    expect(FLOORS.length).toBeGreaterThan(10);
    const homeless = [...graph.keys()].filter((f) => floorOf(f) === undefined);
    expect(homeless, 'add these to the floor table in docs/architecture.md').toEqual([]);
  });

  it('no import goes up a floor', () => {
    const up: string[] = [];
    for (const [from, deps] of graph) {
      for (const to of deps) {
        const a = floorOf(from),
          b = floorOf(to);
        if (a !== undefined && b !== undefined && b > a) up.push(`${from} (floor ${a}) → ${to} (floor ${b})`);
      }
    }
    expect(up).toEqual([]);
  });

  it(`only floors ≤ ${POINTER_FLOOR} import the modules that hand out wasm pointers`, () => {
    const bad: string[] = [];
    for (const [from, deps] of graph) {
      if (from.startsWith('src/wasm/')) continue;
      for (const to of deps) {
        if (POINTER_MODULES.includes(to) && (floorOf(from) ?? 99) > POINTER_FLOOR) bad.push(`${from} → ${to}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('hybrid and HPKE reach ML-KEM only through the engine (so the engine policy can pick native)', () => {
    const direct = [...graph]
      .filter(([from]) => from.startsWith('src/hybrid/'))
      .flatMap(([from, deps]) => deps.filter((d) => d.startsWith('src/kem/')).map((d) => `${from} → ${d}`));
    expect(direct).toEqual([]);
  });

  it('crypto.subtle is reached only through src/engine/runtime.ts (the one door to Web Crypto)', () => {
    const reach = [...graph.keys()].filter(
      (f) =>
        f !== 'src/engine/runtime.ts' && /\bcrypto\s*\??\.\s*subtle\b/.test(codeOnly(f)) && !KNOWN_SUBTLE.includes(f),
    );
    expect(reach).toEqual([]);
    for (const f of KNOWN_SUBTLE)
      expect(codeOnly(f), `${f} no longer reaches crypto.subtle: delete it from KNOWN_SUBTLE`).toMatch(
        /\bcrypto\s*\??\.\s*subtle\b/,
      );
  });

  it('no circles (except the known ones, which must still exist until their owners remove them)', () => {
    const found = circles(graph).map((c) => c.join(' ↔ '));
    const known = KNOWN_CIRCLES.map((c) => [...c].sort().join(' ↔ '));
    expect(found.filter((c) => !known.includes(c))).toEqual([]);
    for (const k of known) expect(found, `known circle ${k} is gone: delete it from KNOWN_CIRCLES`).toContain(k);
  });
});

describe('floors: the checker itself', () => {
  it('reads every import form and ignores imports quoted in comments', () => {
    const src = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "import './e.js';",
      "const f = await import('./f.js');",
      "/** import { g } from './g.js'; */",
      "// import { h } from './h.js';",
    ].join('\n');
    expect(importsOf(src).sort()).toEqual(['../b.js', './a.js', './c.js', './d.js', './e.js', './f.js']);
  });

  it('finds a circle in a made-up graph', () => {
    const g = new Map([
      ['x', ['y']],
      ['y', ['z']],
      ['z', ['x']],
      ['w', ['x']],
    ]);
    expect(circles(g)).toEqual([['x', 'y', 'z']]);
  });
});
