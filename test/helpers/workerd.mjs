// The one workerd harness of the tests, runners and benches: a capnp config from a list of workers, and a
// workerd process serving it on one loopback port. Plain JavaScript so the Node 20 runners and benches import
// it without a TypeScript step; types in workerd.d.mts.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The platform package's binary itself: node_modules/workerd/bin/workerd is a Node launcher until workerd's
 * postinstall replaces it, and npm 11 runs no install scripts by default.
 */
export const WORKERD = join(root, 'node_modules/@cloudflare/workerd-linux-64/bin/workerd');

/** Within the range this workerd build supports; recent enough for Response.json. */
export const WORKERD_COMPAT_DATE = '2025-06-01';

/**
 * Every wasm module (each family, SIMD128 and scalar: wasm/build-info.json lists them) as a wasm module
 * `wasm/<file>`, the name the workerd entry (src/entries/workerd.ts) imports statically.
 */
export const WASM_MODULES = Object.values(
  JSON.parse(readFileSync(join(root, 'wasm', 'build-info.json'), 'utf8')).outputs,
)
  .map((o) => o.file)
  .sort()
  .map((f) => ({
    name: `wasm/${f}`,
    wasm: join(root, 'wasm', f),
  }));

const capnpString = (s) => JSON.stringify(s);

/**
 * A workerd config (capnp text) for `workers`, the first of which the loopback socket on `port` serves.
 * Module paths are absolute; they are written relative to `dir`, where the config goes. `bindings` and
 * `extra` are capnp fragments (`(name = "X", text = "…")`, `durableObjectStorage = (inMemory = void)`).
 * `services` are further capnp service entries (a network service, say).
 */
export function workerdConfig({ dir, port, workers, services = [] }) {
  const embed = (p) => `embed ${capnpString(relative(dir, p))}`;
  const moduleEntry = (m) => {
    const [kind, path] = m.esModule ? ['esModule', m.esModule] : m.wasm ? ['wasm', m.wasm] : ['data', m.data];
    return `(name = ${capnpString(m.name)}, ${kind} = ${embed(path)})`;
  };
  const block = (w) =>
    [
      `const ${w.name} :Workerd.Worker = (`,
      `  modules = [\n    ${w.modules.map(moduleEntry).join(',\n    ')}\n  ],`,
      `  compatibilityDate = "${w.compatibilityDate ?? WORKERD_COMPAT_DATE}",`,
      w.compatibilityFlags ? `  compatibilityFlags = [${w.compatibilityFlags.map(capnpString).join(', ')}],` : '',
      w.bindings?.length ? `  bindings = [\n    ${w.bindings.join(',\n    ')}\n  ],` : '',
      ...(w.extra ?? []).map((e) => `  ${e},`),
      `);`,
    ]
      .filter(Boolean)
      .join('\n');
  const serviceList = [...workers.map((w) => `(name = "${w.name}", worker = .${w.name})`), ...services];
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    ${serviceList.join(',\n    ')}
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "${workers[0].name}") ],
);
${workers.map(block).join('\n')}
`;
}

/**
 * Writes `config` to `<dir>/<file>` and starts workerd on it; resolves once `probeUrl` answers (any status),
 * throws with workerd's output if it exits or stays silent for `timeoutMs`. `stop()` ends the process and
 * waits for it.
 */
export async function startWorkerd({ dir, config, probeUrl, file = 'config.capnp', timeoutMs = 30_000, args = [] }) {
  if (!existsSync(WORKERD)) throw new Error(`${relative(root, WORKERD)} is missing; run \`npm run setup\``);
  const path = join(dir, file);
  writeFileSync(path, config);
  const child = spawn(WORKERD, ['serve', path, 'config', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((r) => child.once('exit', r));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(t);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`workerd exited early:\n${output.trim().split('\n').slice(-20).join('\n')}`);
    try {
      await fetch(probeUrl);
      return { child, stop, log: () => output };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(
          `workerd did not start in ${timeoutMs / 1000} s:\n${output.trim().split('\n').slice(-20).join('\n')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
