// A clone of this repository must set up and pass its tests with nothing beside
// it (issue 19): no tracked file may reach for a sibling directory, a path of
// the machine it was written on, or an environment variable that redirects
// test data or tools outside the checkout; and no test may skip because a tool
// is missing (setup installs every tool; a missing one must fail). These are
// static checks over `git ls-files`: what a file could read at run time.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Tracked text files that are code or configuration (Markdown prose and the vector data are not). */
function trackedCode(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const path of execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0')) {
    if (!path || path.endsWith('.md') || path.startsWith('test/vectors/data/')) continue;
    let buf: Buffer;
    try {
      buf = readFileSync(join(root, path));
    } catch {
      continue; // deleted in the working tree, not yet committed
    }
    if (buf.includes(0)) continue; // binary (wasm, images)
    out.push({ path, text: buf.toString('utf8') });
  }
  return out;
}

// Built from pieces so that this file does not match itself.
const up = '..';
const FORBIDDEN_TEXT = [
  `${up}/shared`,
  ...['vectors', 'openssl35'].map((d) => `shared/${d}`),
  // Directories of the machine the code was written on, never of a user's clone.
  ...['work', 'opt', 'home', 'root'].map((d) => `/${d}/`),
];
// Variables that pointed tests at data or tools outside the checkout.
const FORBIDDEN_ENV = new RegExp(String.raw`process\.env\.(QSIGN_VECTORS\w*|OPENSSL\w*|QSIGN_NODE24)\b`);

/** 1-based line of offset `i` in `text`. */
const lineOf = (text: string, i: number) => text.slice(0, i).split('\n').length;

/**
 * Paths a file builds relative to itself or to the repository root that end up
 * outside the checkout: a `new URL(rel, import.meta.url)`, a
 * `join(dirname(fileURLToPath(import.meta.url)), …)` or a `join(root, …)`
 * whose literal segments climb above the root.
 */
function escapes(path: string, text: string): string[] {
  const here = dirname(join(root, path));
  const found: string[] = [];
  const check = (base: string, segments: string[], at: number) => {
    const target = resolve(base, ...segments);
    const rel = relative(root, target);
    if (rel === up || rel.startsWith(`${up}/`)) found.push(`${path}:${lineOf(text, at)} reaches ${rel}`);
  };
  for (const m of text.matchAll(/new URL\(\s*'([^']*)'\s*,\s*import\.meta\.url\s*\)/g)) {
    check(here, [m[1]!.replace(/…$/, '')], m.index);
  }
  const literalArgs = String.raw`((?:\s*,\s*'[^']*')+)`;
  const anchors: [RegExp, string][] = [
    [
      new RegExp(String.raw`(?:join|resolve)\(\s*dirname\(fileURLToPath\(import\.meta\.url\)\)` + literalArgs, 'g'),
      here,
    ],
    [new RegExp(String.raw`(?:join|resolve)\(\s*(?:root|repo|REPO|repoRoot|ROOT)` + literalArgs, 'g'), root],
  ];
  for (const [re, base] of anchors) {
    for (const m of text.matchAll(re)) {
      const segments = [...m[1]!.matchAll(/'([^']*)'/g)].map((s) => s[1]!);
      check(base, segments, m.index);
    }
  }
  return found;
}

// Ways a test can stop running without failing: vitest's skip/skipIf/runIf/todo
// and node:test's { skip } / t.skip().
const SKIPS = /\b(?:describe|it|test|suite)\.(?:skip|skipIf|runIf|todo)\b|\{\s*skip\s*:|\bt\.skip\(|\bctx\.skip\(/g;

describe('self-contained checkout (issue 19)', () => {
  const files = trackedCode();

  it('sees the tracked files (the scan is not vacuous)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.path === 'scripts/setup.mjs')).toBe(true);
  });

  it('no tracked file outside Markdown names the sibling shared tree, the author machine’s paths, or escape variables', () => {
    const hits: string[] = [];
    for (const { path, text } of files) {
      for (const s of FORBIDDEN_TEXT) {
        const i = text.indexOf(s);
        if (i !== -1) hits.push(`${path}:${lineOf(text, i)} contains ${s}`);
      }
      const m = FORBIDDEN_ENV.exec(text);
      if (m) hits.push(`${path}:${lineOf(text, m.index)} reads ${m[0]}`);
    }
    expect(hits).toEqual([]);
  });

  it('no tracked file builds a path that climbs out of the checkout', () => {
    expect(files.flatMap(({ path, text }) => escapes(path, text))).toEqual([]);
  });

  it('the escape scanner catches the forms it looks for (positive control)', () => {
    const sample = [
      `const a = new URL('${up}/${up}/${up}/x', import.meta.url);`,
      `const b = join(dirname(fileURLToPath(import.meta.url)), '${up}', '${up}', '${up}', 'shared');`,
      `const c = join(root, '${up}', 'shared');`,
      `const d = new URL('${up}/${up}/wasm/x.wasm', import.meta.url);`,
    ].join('\n');
    expect(escapes('test/unit/sample.ts', sample).map((s) => s.replace(/ reaches .*/, ''))).toEqual([
      'test/unit/sample.ts:1',
      'test/unit/sample.ts:2',
      'test/unit/sample.ts:3',
    ]);
  });

  it('every vector file SHA256SUMS lists is tracked by git (an ignored one is there only in the author’s tree)', () => {
    const tracked = new Set(
      execFileSync('git', ['ls-files', '-z', 'test/vectors/data'], { cwd: root, encoding: 'utf8' }).split('\0'),
    );
    const listed = readFileSync(join(root, 'test/vectors/data/SHA256SUMS'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => `test/vectors/data/${line.replace(/^[0-9a-f]{64} {2}(\.\/)?/, '')}`);
    expect(listed.length).toBeGreaterThan(100);
    expect(listed.filter((p) => !tracked.has(p))).toEqual([]);
  });

  it('no test or runner skips (a missing tool must fail, not skip)', () => {
    const hits = files
      .filter((f) => /^(test|scripts|bench)\//.test(f.path) && f.path !== 'test/unit/self-contained.test.ts')
      .flatMap(({ path, text }) => [...text.matchAll(SKIPS)].map((m) => `${path}:${lineOf(text, m.index)} ${m[0]}`));
    expect(hits).toEqual([]);
  });
});
