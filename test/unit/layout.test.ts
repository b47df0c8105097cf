/*
 * Tests and benches are laid out like the code (issue 24 item 6, docs/architecture.md "Tests and benches"):
 * every file under test/ sits in one of the planned folders, test files only where a suite collects them, and
 * the shared helpers of the tests, runners and benches have one home each (a second `freePort`, a workerd config
 * written by hand, or a bench's own `median` fails here).
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The folders of test/: what each holds is in docs/architecture.md. */
const TEST_FOLDERS = {
  unit: 'pure units (in-process, no server, browser or child process of ours), fuzz targets included',
  vectors: 'known-answer vectors from test/vectors/data',
  conformance: 'the runtime-agnostic suite (test/runners run it everywhere, node20-*.vitest.ts under vitest)',
  interop: 'cross-checks against OpenSSL, noble, liboqs-js, jose, hpke',
  e2e: 'servers, browsers, workerd, PostgreSQL, CLI processes',
  native: 'the C core, compiled natively (scripts/test-native.mjs)',
  helpers: 'the one helpers folder (harness, ports, workerd, OpenSSL, PostgreSQL, fixtures)',
  runners: 'the thin per-runtime runners of npm test',
};
/** Where a file named like a test may live (helpers and runners hold none: nothing would collect them). */
const TEST_FILE = /\.(test|e2e\.test)\.(ts|mjs)$|\.vitest\.ts$/;
const TEST_FILE_HOMES = ['unit', 'vectors', 'conformance', 'interop', 'e2e', 'native'];

const SKIP = /(^|\/)(node_modules|data|corpus|results)(\/|$)/;
function* walk(dir: string): Generator<string> {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (SKIP.test(relative(root, p).split(sep).join('/'))) continue;
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield relative(root, p).split(sep).join('/');
  }
}

describe('layout: test/ mirrors the code', () => {
  it('test/ holds only the planned folders and no loose file', () => {
    const entries = readdirSync(join(root, 'test'));
    const stray = entries.filter((e) => !(e in TEST_FOLDERS) || !statSync(join(root, 'test', e)).isDirectory());
    expect(stray, `not a planned folder of test/: ${Object.keys(TEST_FOLDERS).join(', ')}`).toEqual([]);
  });

  it('test files sit only in the folders whose suites collect them', () => {
    const misplaced = [...walk(join(root, 'test'))].filter(
      (f) => TEST_FILE.test(f) && !TEST_FILE_HOMES.includes(f.split('/')[1]!),
    );
    expect(misplaced).toEqual([]);
  });
});

/** Top-level function definitions (`function f`, `const f = (…) =>`, `const f = function`) per file. */
function definitions(file: string): string[] {
  const src = readFileSync(join(root, file), 'utf8');
  const re =
    /^(?:export\s+)?(?:async\s+)?function\s*\*?\s*(\w+)|^\s*(?:export\s+)?const\s+(\w+)\s*=\s*(?:async\s*)?(?:\([^)]*\)|\w+)\s*=>|^\s*(?:export\s+)?const\s+(\w+)\s*=\s*(?:async\s+)?function/gm;
  return [...src.matchAll(re)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

const SOURCES = ['test', 'bench', 'scripts', 'examples']
  .flatMap((d) => [...walk(join(root, d))])
  .filter((f) => /\.(ts|mts|mjs|js)$/.test(f) && !f.endsWith('.d.mts') && !f.endsWith('.d.ts'));

/** Each shared helper's one home; every function these files export is defined nowhere else. */
const HOMES = ['test/helpers/ports.mjs', 'test/helpers/workerd.mjs', 'test/helpers/transit-cli.ts', 'bench/stats.mjs'];

describe('layout: one home per helper', () => {
  it('the sources scanned include every home (the scan itself works)', () => {
    for (const h of HOMES) expect(SOURCES).toContain(h);
    expect(definitions('test/helpers/ports.mjs')).toContain('freePort');
  });

  for (const home of HOMES) {
    it(`what ${home} exports is defined only there`, () => {
      const exported = [
        ...readFileSync(join(root, home), 'utf8').matchAll(/^export\s+(?:async\s+)?(?:function|const)\s+(\w+)/gm),
      ].map((m) => m[1]!);
      expect(exported.length).toBeGreaterThan(0);
      const twice = SOURCES.filter((f) => f !== home).flatMap((f) =>
        definitions(f)
          .filter((n) => exported.includes(n))
          .map((n) => `${f}: ${n}`),
      );
      expect(twice, `import these from ${home}`).toEqual([]);
    });
  }

  it('a workerd config is written only by test/helpers/workerd.mjs', () => {
    const byHand = SOURCES.filter((f) => f !== 'test/helpers/workerd.mjs' && f !== 'test/unit/layout.test.ts').filter(
      (f) => readFileSync(join(root, f), 'utf8').includes(':Workerd.Config'),
    );
    expect(byHand, 'build it with workerdConfig() from test/helpers/workerd.mjs').toEqual([]);
  });

  it('the middle of sorted samples is taken only in bench/stats.mjs (a median under another name is one too)', () => {
    const own = SOURCES.filter((f) => f !== 'bench/stats.mjs').filter((f) =>
      /\[\s*\w+\.length\s*>>\s*1\s*\]/.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(own, 'use median/summarize from bench/stats.mjs').toEqual([]);
  });
});
