// What `npm run bench` and `npm run bench:quick` measure: the package as users install it (issue 23 item 5).
// `npm pack` of this checkout (or a given tarball) is unpacked into a fresh app by
// test/runners/packed-app.mjs, the peers linked beside it, and bench/suite.ts is built against that app:
//   - process runtimes (Node, Deno, Bun): only the suite itself is transpiled, into <app>/bench/; every
//     package, ours and the peers, stays an import by name that the runtime resolves from the app's
//     node_modules, unbundled, with its own conditions (`node`, `deno`, `bun`) and `#wasm-source` entry;
//   - browsers and workerd: bundled from the installed package with the conditions a user's bundler or
//     wrangler applies (`browser`; `workerd`, `worker`), the wasm the package's own files (below).
// The same tarball is installed twice, as qsign-pqc and as SCALAR_ALIAS: two copies have two loader
// states, so the suite runs init() for the SIMD128 build in one and init({ simd: false }) in the other and
// both builds stay live side by side through the public API.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { root } from '../test/runners/lib.mjs';
import { makeApp } from '../test/runners/packed-app.mjs';

/** The name the second copy of the tarball is installed under (the scalar column). */
export const SCALAR_ALIAS = 'qsign-pqc-scalar';
/** The peers the suite compares with, linked into the app from this checkout's node_modules. */
export const PEERS = [
  '@noble/post-quantum',
  '@oqs/liboqs-js',
  '@openforge-sh/liboqs',
  'mlkem',
  '@hpke/core',
  '@hpke/hybridkem-x-wing',
];
/**
 * Peers a browser page loads unbundled through an import map: they load their per-algorithm glue with
 * computed relative imports, which no bundler can follow.
 */
export const LIBOQS = ['@oqs/liboqs-js', '@openforge-sh/liboqs'];

const BENCH = join(root, 'bench');
const SOURCE_TREE = ['src', 'dist', 'wasm'].map((d) => join(root, d) + sep);

/**
 * Packs this checkout (or takes `tarball`) and installs it into a fresh app under `label`.
 * Returns the app dir, the tarball, what `package` records in the results (name, version, sha256, source)
 * and `remove()`.
 */
export function installPackage({ tarball, label = 'bench' } = {}) {
  const given = tarball ? resolve(tarball) : undefined;
  const { app, tarball: file } = makeApp(`${label}-${process.pid}`, {
    tarball: given,
    extra: PEERS,
    aliases: [SCALAR_ALIAS],
  });
  const pkg = JSON.parse(readFileSync(join(app, 'node_modules/qsign-pqc/package.json'), 'utf8'));
  const info = {
    name: pkg.name,
    version: pkg.version,
    tarball: basename(file),
    sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
    source: given ? `--tarball ${given}` : `npm pack of ${checkoutRevision()}`,
  };
  return { app, ...info, tarball: file, info, remove: () => rmSync(app, { recursive: true, force: true }) };
}

/** The commit this checkout is at, `-dirty` with uncommitted changes (the sha256 is what identifies the tarball). */
function checkoutRevision() {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'this checkout';
  }
}

/** Per target: how the suite is built. Process runtimes get `process: true` (packages left to the runtime). */
const TARGETS = {
  node: { process: true },
  deno: { process: true },
  bun: { process: true },
  // Vite's and webpack's conditions for a browser build.
  browser: { platform: 'browser', conditions: ['browser', 'module'], external: LIBOQS },
  // wrangler's; some dependencies (@peculiar/*) still ship only main/module fields.
  workerd: {
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser', 'import', 'module', 'default'],
    mainFields: ['module', 'main'],
  },
};

const isBenchFile = (importer) => !importer.startsWith('/') || importer.startsWith(BENCH + sep);

/**
 * esbuild plugin: packages the bench files import by name resolve from the app, as in the user's app (the
 * checkout's own name would otherwise resolve to itself, package self-reference); `external` stay imports.
 */
function packagesFromApp(app, external) {
  return {
    name: 'bench-packages-from-app',
    setup(b) {
      b.onResolve({ filter: /^[^./#]/ }, async (args) => {
        if (args.pluginData?.fromApp || args.path.startsWith('node:') || !isBenchFile(args.importer)) return undefined;
        if (external.includes(args.path)) return { path: args.path, external: true };
        const r = await b.resolve(args.path, { kind: args.kind, resolveDir: app, pluginData: { fromApp: true } });
        if (r.errors.length) return { errors: r.errors };
        return { path: r.path, namespace: r.namespace, external: r.external, sideEffects: r.sideEffects };
      });
    },
  };
}

/**
 * esbuild plugin for browsers: the package's `new URL('…/x.wasm', import.meta.url)` points at its own file,
 * served from the app root, as Vite and webpack emit the asset the URL names (esbuild itself leaves the
 * relative URL as is, which would then resolve against the bundle's location).
 */
function packageWasmUrls(app) {
  const copies = ['qsign-pqc', SCALAR_ALIAS].map((n) => join(app, 'node_modules', n) + sep);
  return {
    name: 'bench-package-wasm-urls',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, (args) => {
        if (!copies.some((d) => args.path.startsWith(d))) return undefined;
        const src = readFileSync(args.path, 'utf8');
        if (!src.includes('import.meta.url')) return undefined;
        const errors = [];
        const contents = src.replace(/new URL\((['"])([^'"]+\.wasm)\1,\s*import\.meta\.url\)/g, (_, _q, rel) => {
          const file = resolve(dirname(args.path), rel);
          if (!existsSync(file))
            errors.push({ text: `${rel} (from ${relative(app, args.path)}) is not in the package` });
          return `new URL(${JSON.stringify(`/${relative(app, file).split(sep).join('/')}`)}, import.meta.url)`;
        });
        return errors.length ? { errors } : { contents, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

/**
 * esbuild plugin for workerd: each `.wasm` the package imports statically stays external, named by its path
 * in the app (`node_modules/qsign-pqc/wasm/…`), and is collected into `modules` for the workerd config.
 */
function packageWasmModules(app, modules) {
  return {
    name: 'bench-package-wasm-modules',
    setup(b) {
      b.onResolve({ filter: /\.wasm$/ }, (args) => {
        const file = resolve(args.resolveDir, args.path);
        if (!existsSync(file))
          return { errors: [{ text: `${args.path} (from ${relative(app, args.importer)}) is not in the package` }] };
        const name = relative(app, file).split(sep).join('/');
        modules.set(name, file);
        return { path: `./${name}`, external: true };
      });
    },
  };
}

/**
 * esbuild plugin for workerd: the package's workerd entry imports only the SIMD128 builds (src/entries/workerd.ts),
 * so the scalar copy (SCALAR_ALIAS) gets, as each family's `#wasm-source/<module>`, a module that imports that
 * family's scalar build from its own wasm/ (what an app passes with init({ wasm }) where SIMD is missing).
 */
function scalarCopyModules(app) {
  const copy = join(app, 'node_modules', SCALAR_ALIAS);
  return {
    name: 'bench-scalar-copy-modules',
    setup(b) {
      b.onResolve({ filter: /^#wasm-source\/\w+$/ }, (args) =>
        resolve(args.importer).startsWith(copy + sep)
          ? { path: args.path.slice('#wasm-source/'.length), namespace: 'bench-scalar-copy' }
          : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'bench-scalar-copy' }, (args) => ({
        resolveDir: join(copy, 'dist/entries'),
        loader: 'js',
        contents: `import scalar from '../../wasm/qsign-${args.path}-scalar.wasm';\nexport const moduleSource = () => scalar;`,
      }));
    },
  };
}

/**
 * Builds `contents` (an entry that imports './suite.ts', resolved from bench/) for `target` (node, deno, bun,
 * browser, workerd) into `outfile` inside the app. Resolves esbuild's result (metafile included) plus
 * `wasmModules` (workerd: [{ name, wasm }] for test/helpers/workerd.mjs). Fails if any input comes from
 * src/, dist/ or wasm/ of this checkout: the bench measures the installed package.
 */
export async function bundleSuite(pkg, { target, contents, outfile }) {
  const t = TARGETS[target];
  if (!t) throw new Error(`unknown bench target ${target}; one of ${Object.keys(TARGETS).join(', ')}`);
  const wasm = new Map();
  const plugins = t.process
    ? []
    : [
        packagesFromApp(pkg.app, t.external ?? []),
        target === 'browser' ? packageWasmUrls(pkg.app) : packageWasmModules(pkg.app, wasm),
        ...(target === 'workerd' ? [scalarCopyModules(pkg.app)] : []),
      ];
  const r = await build({
    stdin: { contents, resolveDir: BENCH, sourcefile: 'bench-entry.ts', loader: 'ts' },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    outfile,
    metafile: true,
    absWorkingDir: root,
    logLevel: 'error',
    sourcemap: 'inline',
    external: ['node:*'],
    ...(t.process
      ? { platform: 'neutral', packages: 'external' }
      : { platform: t.platform, conditions: t.conditions, ...(t.mainFields && { mainFields: t.mainFields }), plugins }),
  });
  const fromSource = Object.keys(r.metafile.inputs)
    .map((f) => resolve(root, f))
    .filter((f) => SOURCE_TREE.some((d) => f.startsWith(d)));
  if (fromSource.length)
    throw new Error(
      `the bench must measure the installed package, but its ${target} build reads ${fromSource.map((f) => relative(root, f)).join(', ')}: import the SDK by package name`,
    );
  return { ...r, wasmModules: [...wasm].map(([name, file]) => ({ name, wasm: file })) };
}
