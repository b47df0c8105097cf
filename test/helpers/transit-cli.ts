/**
 * The `qsign` CLI as a real process for the CLI and transit tests: an esbuild bundle of the TypeScript sources that plain
 * `node` runs (the wasm is read from the repo), and `qsign transit serve` started on a free port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Bundles an entry (TypeScript source text resolved from the repo root) so plain `node` can run it. */
export async function bundleForNode(contents: string, out: string): Promise<void> {
  await esbuild.build({
    stdin: { contents, resolveDir: repoRoot, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    // Native or optional dependencies stay imports, resolved from node_modules (bundles live under it).
    external: ['better-sqlite3', 'pg', 'pg-native'],
    logLevel: 'silent',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    plugins: [
      {
        name: 'wasm-source',
        setup(b) {
          b.onResolve({ filter: /^#wasm-source$/ }, () => ({ path: 'wasm-source', namespace: 'wasm-source' }));
          b.onLoad({ filter: /.*/, namespace: 'wasm-source' }, () => ({
            // Every module is read synchronously, as the Node entry does (the objects are synchronous).
            contents:
              `import { readFileSync } from 'node:fs'; const dir = ${JSON.stringify(join(repoRoot, 'wasm'))};\n` +
              `export function defaultModuleSource(m, v) { return new WebAssembly.Module(readFileSync(dir + '/qsign-' + m + '-' + v + '.wasm')); }\n` +
              `export function defaultSlhDsaSource(v) { return new WebAssembly.Module(readFileSync(dir + '/qsign-slhdsa-' + v + '.wasm')); }\n` +
              'export function modulesArriveSync() { return true; }',
            loader: 'js',
          }));
        },
      },
    ],
  });
}

/** The entry bin/qsign.mjs runs: the whole CLI. */
const MAIN_ENTRY = `import { main } from './src/cli/main.ts'; process.exitCode = await main(process.argv.slice(2));`;

/** Bundles the whole CLI (src/cli/main.ts) to `out`, so tests drive it as the `qsign` command: pipes, exit codes, stderr. */
export async function bundleMainCli(out: string): Promise<void> {
  await bundleForNode(MAIN_ENTRY, out);
}

/** Bundles the CLI to `out`; falls back to the transit commands alone if another area's CLI code does not build. */
export async function bundleCli(out: string): Promise<void> {
  try {
    await bundleMainCli(out);
  } catch {
    await bundleForNode(
      `import { transitCommands } from './src/cli/commands/transit.ts';
      const argv = process.argv.slice(2);
      const c = transitCommands.find((c) => c.path.every((w, i) => argv[i] === w));
      try { process.exitCode = await c.run(argv.slice(c.path.length), { out: (s) => console.log(s), err: (s) => console.error(s) }); }
      catch (e) { console.error('qsign: ' + e.code + ': ' + e.message); process.exitCode = 1; }`,
      out,
    );
  }
}

/** Starts `qsign transit serve --listen 127.0.0.1:0 …args` and resolves with its URL once it listens. */
export function startTransitServer(
  cli: string,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; startTimeoutMs?: number } = {},
): Promise<{ url: string; proc: ChildProcess; out: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [cli, 'transit', 'serve', '--listen', '127.0.0.1:0', ...args], {
      env: { ...process.env, ...opts.env },
      cwd: opts.cwd,
    });
    let out = '',
      err = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not start: ${out} ${err}`));
    }, opts.startTimeoutMs ?? 60_000);
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, proc, out });
      }
    });
    proc.stderr!.on('data', (d) => (err += d));
    proc.on('exit', (code) => {
      clearTimeout(timer);
      if (!/listening/.test(out)) reject(new Error(`server exited ${code}: ${err}`));
    });
  });
}

/** Stops a child process with `signal` and resolves once it exited. */
export function stopProcess(proc: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill(signal);
  });
}
