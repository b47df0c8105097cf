// Size and shape budgets, run in CI with the rest of vitest (no timing in
// here: sizes and module graphs are deterministic, so these never flake).
//   - gzip size of each family wasm module and build, and of what an ML-KEM-only, ML-DSA-only, hybrid
//     and hash-only app loads (targets: ML-KEM ≤ 14 KB, ML-DSA ≤ 20 KB gzip)
//   - every module imports nothing and exports exactly the set its sources declare
//   - linear memory right after init
//   - gzip size of each consumer bundle (rollup, test/helpers/fixtures/bundle-entries/*.mjs,
//     the same config as `npm run build:bundles`), and that tree-shaking
//     keeps `qsign-pqc/jose` verify free of ML-KEM, transit and X.509 code.
// The ceilings sit ~10–15 % above the sizes measured when they were set, so
// they catch a regression, not ordinary churn; docs/performance.md has the
// measured sizes. Raise a ceiling only together with a reason in the PR.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OutputOptions, RollupOptions } from 'rollup';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const KB = 1000;
const gz = (b: Uint8Array | string) => gzipSync(b, { level: 9 }).length;

// Each family is a wasm module of its own (scripts/build-wasm.mjs MODULES, listed with their sources in
// wasm/build-info.json), loaded on first use of the family (src/wasm/loader.ts). Per module and build: a
// hard gzip ceiling (the test fails above it, ~10 % over the size measured when it was set, 2026-12-07) and
// per app the issue-23 targets ("an app using only ML-KEM loads ≤ 14 KB gz of wasm, only ML-DSA ≤ 20 KB"),
// read as KiB with zlib level 9 like the former core's "35 KB" target. A target is reported on every run;
// one not met prints OVER TARGET (the ML-KEM SIMD module, see docs/performance.md) without failing CI: the
// target is a goal for native/, the ceiling catches a regression.
const KIB = 1024;
const VARIANTS = ['simd', 'scalar'] as const;
type Variant = (typeof VARIANTS)[number];
interface BuiltModule {
  file: string;
  sources: string[];
}
const BUILD_INFO = JSON.parse(readFileSync(join(root, 'wasm/build-info.json'), 'utf8')) as {
  outputs: Record<string, BuiltModule>;
};
const FAMILY_MODULES = ['mlkem', 'mldsa', 'x25519', 'sha3'] as const;
type FamilyModule = (typeof FAMILY_MODULES)[number];
/** gzip ceilings per module and build (measured 2026-12-07: mlkem 17,414 / 12,000, mldsa 20,169 / 12,914, x25519 4,965 / 6,465, sha3 3,117 / 3,305). */
const MODULE_CEILING_GZIP: Record<FamilyModule, Record<Variant, number>> = {
  mlkem: { simd: 19 * KIB, scalar: 13.5 * KIB },
  mldsa: { simd: 22 * KIB, scalar: 14.5 * KIB },
  x25519: { simd: 5.5 * KIB, scalar: 7 * KIB },
  sha3: { simd: 3.5 * KIB, scalar: 3.75 * KIB },
};
/** What each kind of app instantiates (the modules of the families it calls), and its target. */
const APPS: Record<string, { modules: FamilyModule[]; target?: number }> = {
  'ML-KEM only': { modules: ['mlkem'], target: 14 * KIB },
  'ML-DSA only (JWT verify included)': { modules: ['mldsa'], target: 20 * KIB },
  'hybrid (X-Wing, X25519MLKEM768, HPKE)': { modules: ['mlkem', 'x25519'] },
  'hash only (sha3_256, shake256, …)': { modules: ['sha3'] },
};
/** Bytes of linear memory after _initialize: INITIAL_MEMORY in scripts/build-wasm.mjs, no growth. */
const MEMORY_BUDGET: Record<FamilyModule, number> = {
  mlkem: 4 * 1024 * 1024,
  mldsa: 4 * 1024 * 1024,
  x25519: 2 * 1024 * 1024,
  sha3: 2 * 1024 * 1024,
};
/**
 * Exports a module must have, and nothing else: each function its sources (build-info.json) mark with
 * QS_EXPORT("…") (the ABI src/wasm/exports.ts binds), plus emscripten's reactor plumbing. Read from the
 * sources rather than listed here, so a new core function needs no edit; a stale wasm, or an internal
 * symbol leaking out of the link, still fails.
 */
const EMSCRIPTEN_EXPORTS = [
  'memory',
  '__indirect_function_table',
  '_initialize',
  'malloc',
  'free',
  '__errno_location',
  'stackSave',
  'stackRestore',
  'stackAlloc',
];
function declaredExports(module: BuiltModule): string[] {
  const names = new Set(EMSCRIPTEN_EXPORTS);
  for (const src of module.sources)
    for (const m of readFileSync(join(root, src), 'utf8').matchAll(/QS_EXPORT\("([A-Za-z0-9_]+)"\)/g)) names.add(m[1]);
  return [...names].sort();
}
const builtModule = (name: string, v: Variant): BuiltModule => {
  const m = BUILD_INFO.outputs[`${name}-${v}`];
  if (!m) throw new Error(`wasm/build-info.json lists no ${name}-${v} module: run npm run build:wasm`);
  return m;
};
const gzOf = (name: string, v: Variant) => gz(readFileSync(join(root, 'wasm', builtModule(name, v).file)));
/** SLH-DSA module: ~15 KB gzip per build when added (2026-12-07). */
const SLHDSA_BUDGET_GZIP = 18 * KIB;
/** Its memory: 16 MiB, since a pure SLH-DSA message must sit in wasm memory whole. */
const SLHDSA_MEMORY_BUDGET = 16 * 1024 * 1024;

/**
 * gzip ceilings for the consumer bundles (test/helpers/fixtures/bundle-entries/<name>.mjs),
 * ~10-15 % above the sizes measured on 2026-11-25 after the engine split
 * (which shrank hybrid and transit by a third) and the per-family self-tests
 * (which grew every core bundle by ~0.9 KB). The bundles are not minified.
 */
const BUNDLE_BUDGET_GZIP: Record<string, number> = {
  'core-hash': 9 * KB,
  // 2026-12-07, after merging main into registry: 9,053 B (chard's two new status messages in wasm/status.ts and
  // the documented CoreErrorCodes table, whose comments docs/errors.md is generated from and which the
  // unminified bundle keeps).
  'core-kem': 9.5 * KB,
  'core-dsa': 13.5 * KB,
  // 2026-12-07: strict duplicate-refusing JSON (issue 18 #12), coded argument guards (#9) and the registry's
  // CMS rows (OIDs, AES, HKDF) took it from 41.5 to 44.3 KB; the SLH-DSA rows added 0.9 KB more (45.2 KB). The
  // registry then became JOSE's source of names and sizes (issue 24 item 1) and base64url moved to the shared
  // codec; every registry row ships to every consumer until the registry is split per family. Measured 47,271 B
  // after merging main into registry (the family/securityBits fields on every SLH-DSA and CMS row).
  'jose-verify': 48 * KB,
  // 2026-12-07: HPKE and X-Wing reach ML-KEM through the engine (router, probe, native Web Crypto
  // wrappers: issue 24), so native ML-KEM serves them where the policy says so; measured 75.8 KB.
  hybrid: 84 * KB,
  x509: 72 * KB,
  // 2026-12-07: the Vault endpoints added this session (HMAC keys, hash, random, BYOK import with RSA-OAEP +
  // AES-KWP, export: issue 22) took it from 97.5 to 108.2 KB.
  transit: 112 * KB,
};

describe('wasm budgets: one module per family', () => {
  it('build-info lists exactly the family modules and SLH-DSA, in both builds (no single core module)', () => {
    expect(Object.keys(BUILD_INFO.outputs).sort()).toEqual(
      [...FAMILY_MODULES, 'slhdsa'].flatMap((m) => VARIANTS.map((v) => `${m}-${v}`)).sort(),
    );
    expect(existsSync(join(root, 'wasm/qsign-simd.wasm')) || existsSync(join(root, 'wasm/qsign-scalar.wasm'))).toBe(
      false,
    );
  });

  for (const name of FAMILY_MODULES) {
    for (const v of VARIANTS) {
      const info = builtModule(name, v);
      const bytes = readFileSync(join(root, 'wasm', info.file));
      const mod = new WebAssembly.Module(bytes);
      const ceiling = MODULE_CEILING_GZIP[name][v];

      it(`${info.file}: gzip ≤ ${ceiling} B, imports nothing, exports exactly its set`, () => {
        const size = gz(bytes);
        console.log(`wasm ${info.file}: ${bytes.length} B, ${size} B gzip (ceiling ${ceiling})`);
        expect(size).toBeLessThanOrEqual(ceiling);
        expect(WebAssembly.Module.imports(mod)).toEqual([]);
        expect(
          WebAssembly.Module.exports(mod)
            .map((e) => e.name)
            .sort(),
        ).toEqual(declaredExports(info));
      });

      it(`${info.file}: linear memory after _initialize ≤ ${MEMORY_BUDGET[name] / 1048576} MiB`, () => {
        const inst = new WebAssembly.Instance(mod, {});
        (inst.exports._initialize as () => void)();
        expect((inst.exports.memory as WebAssembly.Memory).buffer.byteLength).toBeLessThanOrEqual(MEMORY_BUDGET[name]);
      });
    }
  }

  it('each family module carries only its own family (ML-KEM no ML-DSA or X25519, and so on)', () => {
    const has = (name: string, prefix: string) =>
      WebAssembly.Module.exports(
        new WebAssembly.Module(readFileSync(join(root, 'wasm', builtModule(name, 'simd').file))),
      ).some((e) => e.name.startsWith(prefix));
    expect([has('mlkem', 'qs_mlkem_'), has('mlkem', 'qs_mldsa_'), has('mlkem', 'qs_x25519')]).toEqual([
      true,
      false,
      false,
    ]);
    expect([has('mldsa', 'qs_mldsa_'), has('mldsa', 'qs_mlkem_'), has('mldsa', 'qs_x25519')]).toEqual([
      true,
      false,
      false,
    ]);
    expect([has('x25519', 'qs_x25519'), has('x25519', 'qs_keccak_'), has('x25519', 'qs_mlkem_')]).toEqual([
      true,
      false,
      false,
    ]);
    expect([has('sha3', 'qs_keccak_'), has('sha3', 'qs_mlkem_'), has('sha3', 'qs_shake_x2')]).toEqual([
      true,
      false,
      false,
    ]);
  });

  for (const [app, { modules, target }] of Object.entries(APPS)) {
    for (const v of VARIANTS) {
      it(`${app} (${v}): the wasm it loads${target ? `, target ${target} B` : ''}`, () => {
        const size = modules.reduce((n, m) => n + gzOf(m, v), 0);
        const over =
          target === undefined
            ? ''
            : size > target
              ? ` — OVER TARGET ${target} B by ${size - target} B`
              : ` (target ${target} B met)`;
        console.log(`app ${app} ${v}: ${modules.join(' + ')} = ${size} B gzip${over}`);
        expect(size).toBeLessThanOrEqual(modules.reduce((n, m) => n + MODULE_CEILING_GZIP[m][v], 0));
        // Targets met today stay met: the scalar builds and the ML-DSA SIMD module.
        if (target !== undefined && !(v === 'simd' && modules.includes('mlkem')))
          expect(size).toBeLessThanOrEqual(target);
      });
    }
  }
});

describe('SLH-DSA wasm module budgets', () => {
  for (const v of VARIANTS) {
    const info = builtModule('slhdsa', v);
    const bytes = readFileSync(join(root, 'wasm', info.file));
    const mod = new WebAssembly.Module(bytes);

    it(`slhdsa ${v}: gzip size ≤ ${SLHDSA_BUDGET_GZIP / KIB} KiB, imports nothing, exports exactly its set`, () => {
      const size = gz(bytes);
      console.log(`wasm slhdsa ${v}: ${bytes.length} B, ${size} B gzip (ceiling ${SLHDSA_BUDGET_GZIP})`);
      expect(size).toBeLessThanOrEqual(SLHDSA_BUDGET_GZIP);
      expect(WebAssembly.Module.imports(mod)).toEqual([]);
      expect(
        WebAssembly.Module.exports(mod)
          .map((e) => e.name)
          .sort(),
      ).toEqual(declaredExports(info));
    });

    it(`slhdsa ${v}: linear memory after _initialize ≤ ${SLHDSA_MEMORY_BUDGET / 1048576} MiB`, () => {
      const inst = new WebAssembly.Instance(mod, {});
      (inst.exports._initialize as () => void)();
      expect((inst.exports.memory as WebAssembly.Memory).buffer.byteLength).toBeLessThanOrEqual(SLHDSA_MEMORY_BUDGET);
    });
  }
});

interface Built {
  code: string;
  modules: string[];
}
/** rollup.config.mjs names one input file and one output per bundle. */
type BundleConfig = RollupOptions & { input: string; output: OutputOptions };
const built = new Map<string, Built>();

describe('consumer bundle budgets (rollup)', () => {
  beforeAll(async () => {
    // Bundles resolve `qsign-pqc` to the package itself (dist/): build:ts first.
    if (!existsSync(join(root, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build:ts` first');
    const { rollup } = await import('rollup');
    const configs = (await import(join(root, 'rollup.config.mjs'))).default as BundleConfig[];
    const cwd = process.cwd();
    process.chdir(root); // the config names its inputs relative to the repository root
    try {
      await Promise.all(
        configs.map(async (c) => {
          const name = c.input
            .split('/')
            .pop()!
            .replace(/\.mjs$/, '');
          const b = await rollup({ ...c, input: join(root, c.input), onwarn() {} });
          const { output } = await b.generate(c.output);
          await b.close();
          const chunk = output[0];
          // Modules that contribute code after tree-shaking (renderedLength 0 = dropped).
          const modules = Object.entries(chunk.modules)
            .filter(([, m]) => m.renderedLength > 0)
            .map(([id]) => relative(root, id));
          built.set(name, { code: chunk.code, modules });
        }),
      );
    } finally {
      process.chdir(cwd);
    }
  }, 180_000);

  for (const [name, budget] of Object.entries(BUNDLE_BUDGET_GZIP)) {
    it(`${name}: gzip ≤ ${budget / KB} KB`, () => {
      const b = built.get(name);
      expect(b, `test/helpers/fixtures/bundle-entries/${name}.mjs was not bundled`).toBeDefined();
      const size = gz(b!.code);
      console.log(`bundle ${name}: ${b!.code.length} B, ${size} B gzip (budget ${budget})`);
      expect(size).toBeLessThanOrEqual(budget);
    });
  }

  const jose = () => built.get('jose-verify')!.modules;
  it('jose verify pulls in no transit or X.509 module', () => {
    expect(jose().filter((m) => /(^|\/)(transit|x509)\//.test(m))).toEqual([]);
    expect(built.get('jose-verify')!.code).not.toMatch(/\bKeyring\b|verifyChain|TransitClient/);
  });
  it('jose verify pulls in no hybrid/HPKE module', () => {
    expect(jose().filter((m) => /(^|\/)hybrid\//.test(m) || m.includes('@hpke/'))).toEqual([]);
  });
  // Known gap (reported in docs/performance.md): dist/engine/wasm.js keeps a
  // table of both the KEM and signature wrappers, so anything that reaches the
  // engine (jose does, for keygen) also keeps dist/kem/mlkem.js. `it.fails`
  // passes while the leak is there and turns red once the engine stops
  // pulling ML-KEM in, as a reminder to flip it to a plain `it`.
  it('jose verify pulls in no ML-KEM wrapper module (dist/kem/)', () => {
    expect(jose().filter((m) => /(^|\/)kem\//.test(m))).toEqual([]);
  });
});
