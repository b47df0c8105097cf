// Doc tests (issue 25): every ```ts / ```js / ```sh block of README.md,
// docs/*.md and examples/**.md runs as a new user would run it — against the
// packed tarball (`npm pack`) unpacked into a fresh app, on this Node (20
// under `npm test`), with `qsign` on PATH from the package's bin.
//
// One session per Markdown file: a temp dir where its blocks run in order, so
// a later block can use the files an earlier one wrote (shell state travels
// through files). Markers, an HTML comment on the line(s) before the fence:
//
//   <!-- doctest: skip reason="needs a Cloudflare account" -->   not run, counted as marked
//   <!-- doctest: browser reason="…" -->        browser-only (marked; explained in the reason)
//   <!-- doctest: continue -->                  JS/TS: runs after the previous JS/TS block of
//                                               the file in one module (shares its variables)
//   <!-- doctest: background wait="listening" --> sh: a server; started in the background, the
//                                               session waits for the text on its output and
//                                               stops it (process group) when the file ends
//   <!-- doctest: exit=1 -->                    the block must exit with this status
//   <!-- doctest: repo -->                      sh: a command of a repository checkout (examples/…):
//                                               runs in the repository root, not in the fresh app
//
// A block without a marker must run and exit 0. `:8200` in a block becomes a
// free port, so parallel runs on one machine do not collide.
//
//   node test/runners/docs.mjs [FILE.md …]     (QSIGN_DOCTEST_VERBOSE=1 prints every block's output)
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { transform } from 'esbuild';
import { root } from './lib.mjs';
import { makeApp } from './packed-app.mjs';
import { freePort } from '../helpers/ports.mjs';

const LANGS = { ts: 'ts', typescript: 'ts', js: 'js', javascript: 'js', mjs: 'js', sh: 'sh', bash: 'sh', shell: 'sh' };
const BLOCK_TIMEOUT_MS = 90_000;
const verbose = !!process.env.QSIGN_DOCTEST_VERBOSE;

/** README.md, docs/*.md and every .md under examples/ (not node_modules). */
export function docFiles() {
  const files = ['README.md'];
  for (const f of readdirSync(join(root, 'docs')).sort()) if (f.endsWith('.md')) files.push(`docs/${f}`);
  const walk = (dir) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      if (e.isDirectory()) walk(`${dir}/${e.name}`);
      else if (e.name.endsWith('.md')) files.push(`${dir}/${e.name}`);
    }
  };
  walk('examples');
  return files;
}

/** `key="value"` and bare words of a marker comment. */
function parseMarker(text) {
  const m = /<!--\s*doctest:\s*(.*?)\s*-->/.exec(text);
  if (!m) return null;
  const marker = {};
  for (const [, k, quoted, bare] of m[1].matchAll(/([\w-]+)(?:=(?:"([^"]*)"|(\S+)))?/g))
    marker[k] = quoted ?? bare ?? true;
  return marker;
}

/** The fenced blocks of one Markdown file with their language, line and marker. */
export function extractBlocks(file) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j].trimStart().startsWith(fence); j++) body.push(lines[j].slice(indent.length));
    const lang = LANGS[info.toLowerCase()];
    if (lang) {
      // The marker is the nearest non-blank line above the fence.
      let k = i - 1;
      while (k >= 0 && lines[k].trim() === '') k--;
      blocks.push({ file, line: i + 1, lang, code: body.join('\n'), marker: k >= 0 ? parseMarker(lines[k]) : null });
    }
    i = j;
  }
  return blocks;
}

/** Runs `cmd` in its own process group; resolves with status and output. */
function runProcess(cmd, args, { cwd, env, timeoutMs = BLOCK_TIMEOUT_MS }) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n(killed after ${timeoutMs / 1000} s)`;
      killGroup(child.pid);
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // Whatever the block left running in the background dies with it.
      killGroup(child.pid);
      resolve({ code: code ?? (signal ? 128 : 1), output });
    });
  });
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** A `background` block: a server the rest of the file talks to. Resolves once `wait` appears on its output. */
function startBackground(script, { cwd, env, wait }) {
  return new Promise((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let done = false;
    const finish = (ok, why = '') => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ok, output: output + why, stop: () => killGroup(child.pid) });
    };
    const onData = (d) => {
      output += d;
      if (!wait || output.includes(wait)) finish(true);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => finish(false, `\n(server exited with status ${code} before printing "${wait}")`));
    const timer = setTimeout(() => finish(false, `\n(no "${wait}" after 30 s)`), 30_000);
    if (!wait) setTimeout(() => finish(true), 1000);
  });
}

/** import statements (possibly multi-line) at the start of lines, hoisted so continued blocks merge. */
function splitImports(code) {
  const imports = [];
  const rest = code.replace(
    /^import\s[\s\S]*?from\s*['"][^'"]+['"];?[ \t]*$|^import\s*['"][^'"]+['"];?[ \t]*$/gm,
    (m) => {
      imports.push(m.trim().replace(/;?$/, ';'));
      return '';
    },
  );
  return { imports, rest };
}

/** Joins import statements: named imports of one module become one statement, others are deduplicated. */
function mergeImports(statements) {
  const named = new Map();
  const other = new Set();
  for (const st of statements) {
    const m = /^import\s*(type\s+)?\{([^}]*)\}\s*from\s*(['"][^'"]+['"]);$/.exec(st);
    if (!m || m[1]) {
      other.add(st);
      continue;
    }
    const set = named.get(m[3]) ?? new Set();
    for (const spec of m[2].split(',')) if (spec.trim()) set.add(spec.trim());
    named.set(m[3], set);
  }
  return [...other, ...[...named].map(([mod, specs]) => `import { ${[...specs].join(', ')} } from ${mod};`)];
}

async function toModule(block, previous) {
  let { imports, rest } = splitImports(block.code);
  let ts = block.lang === 'ts';
  if (previous) {
    imports = mergeImports([...previous.imports, ...imports]);
    rest = `${previous.rest}\n${rest}`;
    ts ||= previous.ts;
  }
  const source = `${imports.join('\n')}\n${rest}`;
  const js = ts ? (await transform(source, { loader: 'ts', format: 'esm', target: 'node20' })).code : source;
  return { js, imports, rest, ts };
}

async function runFile(file, blocks, ctx) {
  const session = join(ctx.app, 'sessions', file.replace(/[/.]/g, '_'));
  mkdirSync(session, { recursive: true });
  // Example READMEs refer to the files beside them (server.mjs, wrangler.toml …): the session starts with a copy.
  if (file.startsWith('examples/') && file.split('/').length > 2)
    cpSync(join(root, dirname(file)), session, { recursive: true, filter: (s) => !s.includes('node_modules') });
  const env = {
    ...process.env,
    // `openssl` in a block is the project's OpenSSL 3.5 (ML-DSA/ML-KEM; `npm run setup` installs it in
    // tools/openssl/3.5), as the docs say; the system's older OpenSSL would fail such blocks.
    PATH: [join(ctx.app, 'node_modules', '.bin'), join(root, 'tools/openssl/3.5/bin'), dirname(process.execPath)]
      .concat(process.env.PATH ?? [])
      .join(':'),
    NO_COLOR: '1',
  };
  for (const k of Object.keys(env)) if (k.startsWith('QSIGN_') || k.startsWith('npm_')) delete env[k];
  const results = [];
  const servers = [];
  let previousJs = null;
  try {
    for (const [n, block] of blocks.entries()) {
      const where = `${file}:${block.line}`;
      const m = block.marker ?? {};
      if (m.skip || m.browser) {
        const reason = m.reason;
        if (!reason || reason === true) results.push({ where, status: 'fail', output: 'marker without reason="…"' });
        else results.push({ where, status: 'marked', output: reason });
        if (block.lang !== 'sh' && !m.continue) previousJs = null;
        continue;
      }
      const code = block.code.replaceAll(':8200', `:${ctx.port}`);
      let r;
      if (block.lang === 'sh') {
        if (m.background) {
          const bg = await startBackground(code, { cwd: session, env, wait: m.wait === true ? undefined : m.wait });
          servers.push(bg);
          r = { code: bg.ok ? 0 : 1, output: bg.output };
        } else
          r = await runProcess('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', code], {
            cwd: m.repo ? root : session,
            env,
          });
      } else {
        let mod;
        try {
          mod = await toModule({ ...block, code }, m.continue ? previousJs : null);
        } catch (e) {
          results.push({ where, status: 'fail', output: String(e.message ?? e) });
          previousJs = null;
          continue;
        }
        previousJs = mod;
        const path = join(session, `block-${n + 1}.mjs`);
        writeFileSync(path, mod.js);
        r = await runProcess(process.execPath, [path], { cwd: session, env });
      }
      const want = m.exit === undefined ? 0 : Number(m.exit);
      results.push({ where, status: r.code === want ? 'ok' : 'fail', output: r.output, code: r.code, want });
    }
  } finally {
    for (const s of servers) s.stop();
  }
  return results;
}

const only = process.argv.slice(2);
const started = Date.now();
const files = only.length ? only : docFiles();
const byFile = files.map((f) => [f, extractBlocks(f)]).filter(([, b]) => b.length);
const { app, files: packedFiles } = makeApp('doctest');
const port = await freePort();
let ran = 0,
  marked = 0,
  failed = 0;
const failures = [];
try {
  for (const [file, blocks] of byFile) {
    for (const r of await runFile(file, blocks, { app, port })) {
      if (r.status === 'marked') marked++;
      else ran++;
      if (r.status === 'fail') {
        failed++;
        failures.push(r);
      }
      if (verbose || r.status === 'fail')
        console.log(
          `${r.status === 'fail' ? '  FAIL' : r.status === 'ok' ? '  ok  ' : '  mark'} ${r.where}` +
            (r.status === 'fail' && r.want !== undefined ? ` (exit ${r.code}, want ${r.want})` : '') +
            (r.output && (verbose || r.status !== 'ok') ? `\n${r.output.trimEnd().replace(/^/gm, '      ')}` : ''),
        );
    }
  }
} finally {
  if (!process.env.QSIGN_DOCTEST_KEEP) rmSync(app, { recursive: true, force: true });
  else console.log(`kept ${app}`);
}
const secs = ((Date.now() - started) / 1000).toFixed(1);
console.log(
  `docs: ${ran} blocks ran, ${marked} marked (not run), ${byFile.length} files, tarball of ${packedFiles} files, ${secs} s`,
);
console.log(`${ran - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
