/*
 * Issue 23 item 5: `npm run bench` measures the installed tarball, not the source tree, in every runtime.
 * bench/suite.ts imports the SDK only by package name (the root and its public subpaths, a second installed
 * copy for the scalar column), and the one place that builds the suite, bench/app.mjs, installs a packed
 * tarball into a fresh app and bundles (or, for process runtimes, only transpiles) the suite against it: no
 * input of any runtime's bundle comes from src/, dist/ or wasm/ of this checkout.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain-JavaScript bench plumbing without a .d.mts
import { installPackage, bundleSuite, SCALAR_ALIAS } from '../../bench/app.mjs';
// @ts-expect-error plain-JavaScript report generator without a .d.mts
import { packageLine } from '../../bench/report.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SOURCE_TREE = ['src', 'dist', 'wasm'].map((d) => join(root, d) + sep);
const inSourceTree = (file: string) => SOURCE_TREE.some((d) => resolve(root, file).startsWith(d));

/** Every module specifier a file imports (static `from '…'`, side-effect `import '…'` and dynamic `import('…')`). */
function specifiers(file: string): string[] {
  const src = readFileSync(join(root, file), 'utf8');
  return [...src.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm)].map((m) => m[2]!);
}

describe('bench measures the installed package (issue 23 item 5)', () => {
  it('bench/suite.ts imports the SDK by package name only: no ../src/ path, no #wasm-source, no loader internals', () => {
    const imports = specifiers('bench/suite.ts');
    const local = imports.filter((s) => s.startsWith('.') || s.startsWith('/') || s.startsWith('#'));
    // The suite's own statistics helper is the one relative import it may have.
    expect(local).toEqual(['./stats.mjs']);
    expect(imports.filter((s) => s.includes('src/'))).toEqual([]);
    for (const name of ['qsign-pqc', SCALAR_ALIAS])
      for (const sub of ['', '/hybrid', '/jose', '/transit', '/x509']) expect(imports).toContain(`${name}${sub}`);
    expect(readFileSync(join(root, 'bench/suite.ts'), 'utf8')).not.toMatch(/\b(currentInstance|restoreInstance)\b/);
  });

  it('bench/run.mjs and bench/quick.mjs get the suite only through bench/app.mjs (no bundling of their own)', () => {
    // './suite.ts' from bench/, '../../bench/suite.ts' from a scratch dir: any path to this suite.
    const mentions = readdirSync(join(root, 'bench'))
      .filter((f) => f.endsWith('.mjs') && f !== 'app.mjs')
      .filter((f) => /(['"])(\.\/|(\.\.\/)+bench\/)suite\.ts\1/.test(readFileSync(join(root, 'bench', f), 'utf8')));
    expect(mentions).toEqual(expect.arrayContaining(['quick.mjs', 'run.mjs']));
    for (const f of mentions) {
      const imports = specifiers(`bench/${f}`);
      expect(imports, f).toContain('./app.mjs');
      expect(imports, `${f} bundles nothing itself`).not.toContain('esbuild');
      expect(readFileSync(join(root, 'bench', f), 'utf8'), f).not.toMatch(/\bbundle\s*\(/);
      expect(readFileSync(join(root, 'bench', f), 'utf8'), f).toMatch(/\binstallPackage\(/);
    }
  });

  it('the report names the package version and tarball sha256 it measured', () => {
    const line = packageLine({
      node20: { package: { name: 'qsign-pqc', version: '9.8.7', sha256: 'ab'.repeat(32), source: 'npm pack' } },
    });
    expect(line).toContain('qsign-pqc@9.8.7');
    expect(line).toContain('ab'.repeat(32));
    expect(packageLine({ node20: {} })).toMatch(/not recorded/);
  });

  describe('every runtime bundle is built from the packed tarball', () => {
    let pkg: { app: string; tarball: string; version: string; sha256: string; remove(): void };
    beforeAll(() => {
      pkg = installPackage({ label: 'bench-unit' });
    });
    afterAll(() => pkg?.remove());

    it('the app holds the tarball twice (qsign-pqc and the scalar alias), with version and sha256 recorded', () => {
      const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
      expect(pkg.version).toBe(version);
      expect(pkg.sha256).toMatch(/^[0-9a-f]{64}$/);
      for (const name of ['qsign-pqc', SCALAR_ALIAS])
        expect(existsSync(join(pkg.app, 'node_modules', name, 'package.json')), name).toBe(true);
    });

    it("the installed package's runtime entries import wasm files that are in the package", () => {
      // dist/entries/workerd.js imported ../../../wasm/*.wasm, outside the package: a Worker built from the
      // installed package (wrangler, or this bench) failed to resolve its wasm modules.
      for (const name of ['qsign-pqc', SCALAR_ALIAS]) {
        const dir = join(pkg.app, 'node_modules', name, 'dist', 'entries');
        const refs = readdirSync(dir)
          .filter((f) => f.endsWith('.js'))
          .flatMap((f) =>
            [...readFileSync(join(dir, f), 'utf8').matchAll(/(?:\bfrom\s*|new URL\(\s*)(['"])([^'"]+\.wasm)\1/g)].map(
              (m) => ({ f, file: resolve(dir, m[2]!) }),
            ),
          );
        expect(refs.length).toBeGreaterThan(0);
        const outside = refs.filter(
          (r) => !existsSync(r.file) || !r.file.startsWith(join(pkg.app, 'node_modules', name) + sep),
        );
        expect(outside.map((r) => `${r.f}: ${relative(pkg.app, r.file)}`)).toEqual([]);
      }
    });

    for (const target of ['node', 'deno', 'bun', 'browser', 'workerd'] as const) {
      it(`${target}: no input from the source tree; the SDK comes from the installed package`, async () => {
        const outfile = join(pkg.app, 'bench', `unit-${target}.mjs`);
        const r = await bundleSuite(pkg, { target, contents: "export * from './suite.ts';", outfile });
        const inputs = Object.keys(r.metafile.inputs).map((f) => resolve(root, f));
        expect(inputs.filter(inSourceTree).map((f) => relative(root, f))).toEqual([]);
        const out = Object.values(r.metafile.outputs)[0] as { imports: Array<{ path: string; external?: boolean }> };
        const fromPackage = (name: string) =>
          inputs.some((f) => f.startsWith(join(pkg.app, 'node_modules', name) + sep));
        if (target === 'browser' || target === 'workerd') {
          // Bundled as a user's bundler does: both installed copies are in the bundle.
          expect(fromPackage('qsign-pqc'), 'qsign-pqc bundled from the app').toBe(true);
          expect(fromPackage(SCALAR_ALIAS), `${SCALAR_ALIAS} bundled from the app`).toBe(true);
        } else {
          // Process runtimes load the package unbundled from the app's node_modules.
          const external = out.imports.filter((i) => i.external).map((i) => i.path);
          expect(external).toContain('qsign-pqc');
          expect(external).toContain(`${SCALAR_ALIAS}/x509`);
          expect(inputs.some((f) => f.includes(`${sep}node_modules${sep}`))).toBe(false);
        }
        if (target === 'workerd') {
          // The .wasm modules the Worker imports are the installed package's own files.
          expect(r.wasmModules.length).toBeGreaterThan(0);
          for (const m of r.wasmModules) {
            expect(existsSync(m.wasm), m.wasm).toBe(true);
            expect(m.wasm.startsWith(join(pkg.app, 'node_modules') + sep), m.wasm).toBe(true);
          }
        }
        if (target === 'browser') {
          // The wasm URLs point at the installed package's files (served from the app), not at ../../wasm.
          const js = readFileSync(outfile, 'utf8');
          const urls = [...js.matchAll(/new URL\((['"])([^'"]+\.wasm)\1/g)].map((m) => m[2]!);
          expect(urls.length).toBeGreaterThan(0);
          for (const u of urls) {
            expect(u.startsWith('/node_modules/'), u).toBe(true);
            expect(existsSync(join(pkg.app, u)), u).toBe(true);
          }
        }
      });
    }
  });
});
