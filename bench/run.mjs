#!/usr/bin/env node
// `npm run bench`: one command, one run per runtime, this SDK (SIMD128 and
// scalar builds) against @noble/post-quantum, @oqs/liboqs-js,
// @openforge-sh/liboqs, mlkem and @hpke/core. bench/suite.ts holds every case
// and the timing loop. What is measured is the package as users install it:
// `npm pack` of this checkout (or --tarball FILE) installed into a fresh app
// with the peers (bench/app.mjs), the suite importing qsign-pqc by name; the
// process runtimes load it from the app's node_modules, browsers and workerd
// get a bundle of the installed package. The same tarball goes to
// bench/coldstart.mjs. Writes bench/results/<runtime>.json (with the package
// version and tarball sha256) and regenerates bench/results/README.md and
// bench/results/bench.svg.
//
//   node bench/run.mjs                                  all runtimes, full run
//   node bench/run.mjs --tarball qsign-pqc-0.1.0.tgz    measure that tarball instead of packing this checkout
//   node bench/run.mjs --runtime node20,deno --quick    a subset, short samples
//   node bench/run.mjs --filter mlkem,ML-DSA-65         cases whose "group name" contains a term
//   node bench/run.mjs --no-native --no-coldstart       skip the native C reference / cold start
//   node bench/run.mjs --samples 15 --sample-ms 400     override the timing
//   node bench/run.mjs --clock cpu                      CPU time in Node/Deno/Bun and Chromium (busy machines)
//
// Runtimes: node20 (this Node), node24, deno, bun, chromium, firefox, workerd.
import { mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, launchChromium, run, root, serveRoot, sleep, requireFile } from '../test/runners/lib.mjs';
import { writeReport } from './report.mjs';
import { bundleSuite, installPackage, LIBOQS } from './app.mjs';
import { freePort } from '../test/helpers/ports.mjs';
import { workerdConfig } from '../test/helpers/workerd.mjs';

const TAG = '@@QSIGN_BENCH ';
const ALL = ['node20', 'node24', 'deno', 'bun', 'chromium', 'firefox', 'workerd'];
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const flag = (name) => args.includes(name);
const runtimes = opt('--runtime', ALL.join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
for (const r of runtimes)
  if (!ALL.includes(r)) {
    console.error(`unknown runtime ${r}; one of ${ALL.join(', ')}`);
    process.exit(2);
  }
const benchOpts = {
  quick: flag('--quick'),
  filter: opt('--filter', ''),
  ...(opt('--samples') ? { samples: Number(opt('--samples')) } : {}),
  ...(opt('--sample-ms') ? { sampleMs: Number(opt('--sample-ms')) } : {}),
  ...(opt('--stream-mib') ? { streamMiB: Number(opt('--stream-mib')) } : {}),
};
const outDir = join(root, 'bench/results');
mkdirSync(outDir, { recursive: true });
// The package under test, installed once for every runtime of this run; the bundles and pages go to <app>/bench/.
const pkg = installPackage({ tarball: opt('--tarball') });
const dir = join(pkg.app, 'bench');
mkdirSync(dir, { recursive: true });
process.stderr.write(`bench: ${pkg.name}@${pkg.version} (${pkg.source}), tarball sha256 ${pkg.sha256}\n`);
// --clock cpu (Node, Deno, Bun, Chromium): time with CPU time, which leaves out
// time spent descheduled: steadier on a shared machine. Processes read their
// own; the Chromium page asks this script (rendererCpuClock) for the CPU time
// of its renderer process. Firefox and workerd always use performance.now().
const CPU_CLOCK = opt('--clock', 'wall') === 'cpu';
const PROCESS_FINISH = (o) =>
  `${CPU_CLOCK ? 'import process from "node:process"; setClock(() => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; });\n' : ''}const r = await runBench(${JSON.stringify(o)}, (s) => console.error(s));\nconsole.log(${JSON.stringify(TAG)} + JSON.stringify(r));`;
const entry = (finish) => `import { runBench, setClock } from './suite.ts';\n${finish}`;

function parse(label, res) {
  const line = res.stdout.split('\n').find((l) => l.startsWith(TAG));
  if (!line)
    throw new Error(
      `${label}: ${res.timedOut ? 'timed out' : `exited with ${res.code}`}\n${(res.stderr || res.stdout).trim().split('\n').slice(-12).join('\n')}`,
    );
  return JSON.parse(line.slice(TAG.length));
}

// Node, Deno and Bun run the transpiled suite from inside the app (cwd too): qsign-pqc and the peers are
// loaded unbundled from its node_modules, each runtime applying its own conditions; Deno uses the app's
// node_modules as is because of the package.json beside it.
async function processRuntime(name, cmd, argsFor, target, env = {}) {
  const outfile = join(dir, `${name}.mjs`);
  await bundleSuite(pkg, { target, contents: entry(PROCESS_FINISH(benchOpts)), outfile });
  const res = await run(cmd, [...argsFor(outfile)], { env, cwd: pkg.app, timeoutMs: 3_600_000 });
  if (process.env.QSIGN_BENCH_VERBOSE) process.stderr.write(res.stderr);
  return parse(name, res);
}

const PROC_RUNTIMES = ['node20', 'node24', 'deno', 'bun'];
const DENO_ENV = { DENO_DIR: join(root, '.cache/deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
const RUNNERS = {
  node20: () => processRuntime('node20', process.execPath, (f) => [f], 'node'),
  node24: () => processRuntime('node24', requireFile(BIN.node24, 'run `npm run setup`'), (f) => [f], 'node'),
  deno: () =>
    processRuntime(
      'deno',
      requireFile(BIN.deno, 'run `npm run setup`'),
      (f) => ['run', '-A', '--no-prompt', f],
      'deno',
      DENO_ENV,
    ),
  bun: () => processRuntime('bun', requireFile(BIN.bun, 'run `npm run setup`'), (f) => [f], 'bun'),
  chromium: () => browser('chromium'),
  firefox: () => browser('firefox'),
  workerd: () => workerd(),
};

async function browser(kind) {
  const file = join(dir, `${kind}.mjs`);
  const cpu = CPU_CLOCK && kind === 'chromium' ? await rendererCpuClock() : undefined;
  // The installed package bundled with the browser conditions; its wasm URLs name its own files, served below.
  await bundleSuite(pkg, {
    target: 'browser',
    contents: entry(
      `${cpu ? cpu.pageClock : ''}runBench(${JSON.stringify(benchOpts)}, (s) => console.log(s)).then((r) => { globalThis.__bench = r; }, (e) => { globalThis.__bench = { error: String(e && e.stack || e) }; });`,
    ),
    outfile: file,
  });
  // The liboqs packages load their per-algorithm glue with computed relative
  // imports, which no bundler can follow: the page loads them unbundled from
  // the app's node_modules (served from the app) through an import map, as their docs do.
  const importMap = { imports: Object.fromEntries(LIBOQS.map((p) => [p, `/node_modules/${p}/src/index.js`])) };
  writeFileSync(
    join(dir, `${kind}.html`),
    `<!doctype html><meta charset="utf-8"><script type="importmap">${JSON.stringify(importMap)}</script><script type="module" src="./${kind}.mjs"></script>\n`,
  );
  const server = await serveRoot(pkg.app);
  const path = `bench/${kind}.html`;
  let close;
  try {
    let page;
    if (kind === 'chromium') {
      const ctx = await launchChromium();
      close = () => ctx.close();
      page = await ctx.newPage();
      await page.goto(`${server.origin}/${path}`);
      await page.waitForFunction(() => globalThis.__bench !== undefined, null, { timeout: 3_600_000, polling: 500 });
      const r = await page.evaluate(() => globalThis.__bench);
      r.userAgent = await page.evaluate(() => navigator.userAgent);
      if (r.error) throw new Error(r.error);
      return r;
    }
    const puppeteer = (await import('puppeteer-core')).default;
    // protocolTimeout: the page runs the whole suite without yielding to its event
    // loop, so the waitForFunction poll's BiDi command stays pending until the end;
    // Puppeteer's default (180 s) failed full runs (~5 min) with "Waiting failed".
    const b = await puppeteer.launch({
      browser: 'firefox',
      protocol: 'webDriverBiDi',
      protocolTimeout: 3_600_000,
      executablePath: requireFile(process.env.QSIGN_FIREFOX ?? '/usr/bin/firefox-esr', 'run `npm run setup`'),
      headless: true,
    });
    close = () => b.close();
    page = await b.newPage();
    await page.goto(`${server.origin}/${path}`);
    await page.waitForFunction(() => globalThis.__bench !== undefined, { timeout: 3_600_000, polling: 500 });
    const r = await page.evaluate(() => globalThis.__bench);
    r.userAgent = await page.evaluate(() => navigator.userAgent);
    if (r.error) throw new Error(r.error);
    return r;
  } finally {
    await close?.().catch(() => {});
    await server.close();
    await cpu?.close();
  }
}

/**
 * --clock cpu for Chromium: a page has no CPU clock, so it reads one from
 * here with a synchronous request (the page's suite never yields). The
 * answer is the CPU time, in ms, of every thread of every renderer process
 * under this script (/proc/<pid>/task/<tid>/schedstat, nanoseconds): the
 * benchmark page's main thread plus its collector and compiler threads, as
 * Node's process.cpuUsage() counts a whole process; the idle renderers add
 * nothing. The request itself costs the page ~0.1 ms of CPU per reading,
 * the same for every implementation, against ≥ 25 ms per sample.
 */
async function rendererCpuClock() {
  const { createServer } = await import('node:http');
  const { readdirSync } = await import('node:fs');
  const parentOf = (pid) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
  const underUs = (pid) => {
    for (let p = pid, hops = 0; p > 1 && hops < 16; hops++) {
      if (p === process.pid) return true;
      p = parentOf(p);
    }
    return false;
  };
  const renderers = () =>
    readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer') && underUs(Number(pid));
        } catch {
          return false; // exited meanwhile
        }
      });
  const threadsOf = (pid) => {
    try {
      return readdirSync(`/proc/${pid}/task`);
    } catch {
      return []; // the renderer exited
    }
  };
  // The renderer list is re-read at most once a second: walking /proc costs ms.
  let pids = [],
    listed = 0;
  const cpuMs = () => {
    if (Date.now() - listed > 1000) [pids, listed] = [renderers(), Date.now()];
    let ns = 0;
    for (const pid of pids)
      for (const tid of threadsOf(pid))
        try {
          ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
        } catch {
          // a thread that ended between the listing and the read
        }
    return ns / 1e6;
  };
  const server = createServer((req, res) => {
    res.writeHead(200, {
      'content-type': 'text/plain',
      'access-control-allow-origin': '*',
      'cache-control': 'no-store',
    });
    res.end(String(cpuMs()));
  });
  const port = await freePort();
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  const url = `http://127.0.0.1:${port}/`;
  return {
    pageClock: `setClock(() => { const x = new XMLHttpRequest(); x.open('GET', ${JSON.stringify(url)}, false); x.send(); return Number(x.responseText); });\n`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}

async function workerd() {
  const file = join(dir, 'workerd.mjs');
  // workerd refuses to compile wasm from bytes ("Wasm code generation
  // disallowed by embedder"): the package's wasm files come in as the static
  // module imports its workerd entry makes, named by their path in the app;
  // the liboqs peers compile theirs from inlined bytes, so they end up n/a with that reason.
  const { wasmModules } = await bundleSuite(pkg, {
    target: 'workerd',
    contents: entry(
      `let p; export default { async fetch() { p ??= runBench(${JSON.stringify(benchOpts)}).catch((e) => ({ error: String(e && e.stack || e) })); return Response.json(await p); } };`,
    ),
    outfile: file,
  });
  const port = await freePort();
  writeFileSync(
    join(dir, 'config.capnp'),
    workerdConfig({
      dir,
      port,
      workers: [
        {
          name: 'bench',
          modules: [{ name: 'worker.mjs', esModule: file }, ...wasmModules],
          compatibilityFlags: ['nodejs_compat'],
        },
      ],
    }),
  );
  const child = run(requireFile(BIN.workerd, 'run `npm run setup`'), ['serve', join(dir, 'config.capnp'), 'config'], {
    timeoutMs: 3_600_000,
  });
  let exited = false;
  child.then(() => {
    exited = true;
  });
  try {
    for (let i = 0; i < 300 && !exited; i++) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(3_600_000) });
        const r = await res.json();
        if (r.error) throw new Error(r.error);
        return r;
      } catch (e) {
        if (e.cause?.code !== 'ECONNREFUSED') throw e;
        await sleep(100);
      }
    }
    throw new Error(
      `workerd did not start: ${(await Promise.race([child, sleep(10).then(() => ({ stderr: '' }))])).stderr}`,
    );
  } finally {
    child.child.kill('SIGTERM');
    await child;
  }
}

async function versionOf(name) {
  const v = {
    node20: process.version,
    node24: () => run(BIN.node24, ['--version']),
    deno: () => run(BIN.deno, ['--version']),
    bun: () => run(BIN.bun, ['--version']),
  }[name];
  if (typeof v === 'string') return v;
  if (v) return (await v()).stdout.split('\n')[0].trim();
  return undefined;
}

const started = Date.now();
let failed = 0;
for (const name of runtimes) {
  process.stderr.write(`bench: ${name} …\n`);
  const t0 = Date.now();
  // A full run replaces the runtime's file (and one that fails leaves none, so
  // no stale figures reach the report); a --filter run updates only its cases.
  const file = join(outDir, `${name}.json`);
  let previous;
  try {
    previous = benchOpts.filter ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  } catch {
    previous = undefined;
  }
  if (!benchOpts.filter) rmSync(file, { force: true });
  try {
    const r = await RUNNERS[name]();
    r.runtime = name;
    r.clock =
      CPU_CLOCK && PROC_RUNTIMES.includes(name)
        ? 'process CPU time'
        : CPU_CLOCK && name === 'chromium'
          ? 'renderer CPU time'
          : 'wall (performance.now)';
    r.version = r.userAgent ?? (await versionOf(name));
    r.measured = new Date().toISOString();
    r.cpu = cpuModel();
    r.package = pkg.info;
    if (previous) {
      const key = (c) => `${c.group} ${c.name}`;
      const fresh = new Map(r.results.map((c) => [key(c), c]));
      r.results = [
        ...previous.results.map((c) => fresh.get(key(c)) ?? c),
        ...r.results.filter((c) => !previous.results.some((p) => key(p) === key(c))),
      ];
      r.partialUpdate = true;
      // Cases this --filter run did not measure keep their figures, and their package is named beside ours.
      const kept = previous.results.some((c) => !fresh.has(key(c)));
      const earlier = [...(previous.keptFrom ?? []), previous.package ?? null].filter(
        (p, i, all) => p?.sha256 !== pkg.sha256 && all.findIndex((q) => q?.sha256 === p?.sha256) === i,
      );
      if (kept && earlier.length) r.keptFrom = earlier;
    }
    writeFileSync(file, `${JSON.stringify(r, null, 1)}\n`);
    process.stderr.write(`bench: ${name} done in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  } catch (e) {
    failed++;
    console.error(`bench: ${name} failed: ${e.stack ?? e}`);
  }
}
if (!flag('--no-native') && !benchOpts.filter) {
  const r = await run(process.execPath, [join(root, 'bench/native.mjs'), ...(benchOpts.quick ? ['--quick'] : [])], {
    timeoutMs: 1_800_000,
  });
  process.stderr.write(r.stdout + r.stderr);
  if (r.code !== 0) failed++;
}
if (!flag('--no-coldstart') && !benchOpts.filter) {
  // The same tarball as the suite measured.
  const r = await run(
    process.execPath,
    [join(root, 'bench/coldstart.mjs'), '--tarball', pkg.tarball, ...(benchOpts.quick ? ['--quick'] : [])],
    { timeoutMs: 1_800_000 },
  );
  process.stderr.write(r.stdout + r.stderr);
  if (r.code !== 0) failed++;
}
if (!process.env.QSIGN_KEEP_BUNDLES) pkg.remove();

// README's Performance section is rewritten only by a full run (no --filter/--runtime/--quick).
const full = !benchOpts.quick && !benchOpts.filter && !args.includes('--runtime');
// The report names the exact command, flags included (`npm run bench -- --clock cpu`).
const command =
  args.length === 0
    ? 'npm run bench'
    : full
      ? `npm run bench -- ${args.join(' ')}`
      : `node bench/run.mjs ${args.join(' ')}`;
const md = writeReport({ command, readme: full || flag('--readme') });
console.log(md);
console.error(`bench: finished in ${((Date.now() - started) / 1000).toFixed(0)} s; results in bench/results/`);
if (failed) process.exitCode = 1;

function cpuModel() {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1];
  } catch {
    return undefined;
  }
}
