#!/usr/bin/env node
/*
 * Follows one call through src/ and prints its walk: which files the call
 * enters, how often, and how often control comes back to a file it had left
 * (a return trip). Used to check that the engine decides once (issue 24
 * item 4); not part of npm test.
 *
 * How: every function in a copy of src/ is instrumented (TypeScript
 * transform) to report entry, exit, and each await's suspend and resume;
 * a driver runs the scenario on the copy (under Bun, whose policy row sends
 * ML-DSA-65 signing to native Web Crypto) and the events become the walk.
 *
 *   node scripts/engine-walk.mjs [--scenario jwt|seed] [--runtime bun|node] [--files src/engine/] [--src DIR] [--sequence]
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const runtime = opt('--runtime', 'bun');
const only = opt('--files', 'src/');
// --src DIR: walk another checkout's src/ (e.g. `git archive HEAD~3 src | tar -x -C /tmp/before`) for a before/after.
const srcRoot = opt('--src', root);
// --scenario jwt (default): the key of a first JWT signature, then a later one.
// --scenario seed: after the native probe, ML-DSA-65 signing from a seed (Bun's policy: native), twice.
const scenario = opt('--scenario', 'jwt');

function instrument(file, text) {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const f = ts.factory;
  const call = (m, ...a) =>
    f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier('__walk'), m), undefined, a);
  const fileLit = () => f.createStringLiteral(file);
  const wrap = (body) =>
    f.createBlock(
      [
        f.createExpressionStatement(call('e', fileLit())),
        f.createTryStatement(body, undefined, f.createBlock([f.createExpressionStatement(call('x', fileLit()))])),
      ],
      true,
    );
  const visit = (node) => {
    const callsSuper = ts.isConstructorDeclaration(node) && /\bsuper\s*\(/.test(node.getText(sf));
    node = ts.visitEachChild(node, visit, undefined);
    if (ts.isAwaitExpression(node)) {
      return f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier('__walk'), 'r'), undefined, [
        fileLit(),
        f.createAwaitExpression(call('s', fileLit(), node.expression)),
      ]);
    }
    const hasBody =
      ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node) ||
      ts.isConstructorDeclaration(node);
    if (!hasBody || !node.body || node.asteriskToken) return node;
    const block = ts.isBlock(node.body) ? node.body : f.createBlock([f.createReturnStatement(node.body)], true);
    const body = wrap(block);
    if (ts.isArrowFunction(node))
      return f.updateArrowFunction(
        node,
        node.modifiers,
        node.typeParameters,
        node.parameters,
        node.type,
        node.equalsGreaterThanToken,
        body,
      );
    if (ts.isFunctionDeclaration(node))
      return f.updateFunctionDeclaration(
        node,
        node.modifiers,
        node.asteriskToken,
        node.name,
        node.typeParameters,
        node.parameters,
        node.type,
        body,
      );
    if (ts.isFunctionExpression(node))
      return f.updateFunctionExpression(
        node,
        node.modifiers,
        node.asteriskToken,
        node.name,
        node.typeParameters,
        node.parameters,
        node.type,
        body,
      );
    if (ts.isMethodDeclaration(node))
      return f.updateMethodDeclaration(
        node,
        node.modifiers,
        node.asteriskToken,
        node.name,
        node.questionToken,
        node.typeParameters,
        node.parameters,
        node.type,
        body,
      );
    if (ts.isGetAccessorDeclaration(node))
      return f.updateGetAccessorDeclaration(node, node.modifiers, node.name, node.parameters, node.type, body);
    if (ts.isSetAccessorDeclaration(node))
      return f.updateSetAccessorDeclaration(node, node.modifiers, node.name, node.parameters, body);
    if (ts.isConstructorDeclaration(node)) {
      // super() must stay first: leave constructors that call it alone.
      if (callsSuper) return node;
      return f.updateConstructorDeclaration(node, node.modifiers, node.parameters, body);
    }
    return node;
  };
  const out = ts.transform(sf, [() => (n) => ts.visitNode(n, visit)]).transformed[0];
  return ts.createPrinter().printFile(out);
}

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const work = mkdtempSync(join(tmpdir(), 'qsign-walk-'));
try {
  for (const p of files(join(srcRoot, 'src'))) {
    const rel = relative(srcRoot, p).split('\\').join('/');
    const dest = join(work, rel);
    cpSync(p, dest);
    if (!rel.endsWith('.ts') || rel.endsWith('.d.ts')) continue;
    writeFileSync(dest, instrument(rel, readFileSync(p, 'utf8')));
  }
  symlinkSync(join(root, 'wasm'), join(work, 'wasm'));
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
  // The copy resolves `#wasm-source` and `#wasm-source/<module>` as Node would: to the Node entry.
  writeFileSync(
    join(work, 'package.json'),
    JSON.stringify({
      type: 'module',
      imports: { '#wasm-source': './src/entries/node.ts', '#wasm-source/*': './src/entries/node-*.ts' },
    }),
  );
  writeFileSync(
    join(work, 'walk.ts'),
    `
let events: Array<[string, string]> = [];
let on = false;
(globalThis as any).__walk = {
  e: (f: string) => { if (on) events.push(['e', f]); },
  x: (f: string) => { if (on) events.push(['x', f]); },
  s: (f: string, v: unknown) => { if (on) events.push(['s', f]); return v; },
  r: (f: string, v: unknown) => { if (on) events.push(['r', f]); return v; },
};
const { init } = await import('./src/index.ts');
const { generateKeyPair, SignJWT } = await import('./src/jose/index.ts');
const { probeWebCrypto, sign } = await import('./src/webcrypto/index.ts');
await init();
let once: () => Promise<unknown>;
if (${JSON.stringify(scenario)} === 'seed') {
  await probeWebCrypto();
  const seed = new Uint8Array(32).fill(7);
  once = () => sign('ML-DSA-65', seed, new Uint8Array([1, 2, 3]));
} else {
  on = true;
  // The scenario: the key of a first JWT signature, from its generation to the signed token.
  const { privateKey } = await generateKeyPair('ML-DSA-65');
  once = () => new SignJWT({ sub: 'walk' }).setProtectedHeader({ alg: 'ML-DSA-65' }).sign(privateKey);
}
on = true;
await once();
// Work the signature started in the background (a native probe) belongs to its walk too.
await new Promise((r) => setTimeout(r, 300));
const first = events;
events = [];
// A later signature with the same key: the engine has decided; this is the steady state.
await once();
await new Promise((r) => setTimeout(r, 300));
on = false;
console.log(JSON.stringify({ first, later: events }));
`,
  );
  const bin = runtime === 'bun' ? join(root, 'node_modules/@oven/bun-linux-x64/bin/bun') : process.execPath;
  const r = spawnSync(bin, runtime === 'bun' ? ['walk.ts'] : ['--experimental-strip-types', 'walk.ts'], {
    cwd: work,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`${runtime} failed:\n${r.stderr}\n${r.stdout}`);
  const phases = JSON.parse(r.stdout.trim().split('\n').pop());
  for (const [phase, events] of Object.entries(phases)) report(phase, events);
} finally {
  rmSync(work, { recursive: true, force: true });
}

function report(phase, events) {
  // Replay: a stack of files; the walk is the sequence of files control is in.
  const stack = [];
  const walk = [];
  const entries = new Map(); // calls into a file from another file (or from outside src/)
  for (const [i, [k, f]] of events.entries()) {
    const before = stack.at(-1);
    if (k === 'e' || k === 'r') stack.push(f);
    else stack.pop();
    if (k === 'e' && before !== f && f.startsWith(only)) entries.set(f, (entries.get(f) ?? 0) + 1);
    const now = stack.at(-1);
    // Unwinding is not a stay: control that comes back to a file (a return,
    // a callee's await, a resumption) only to leave it again at once — the
    // next event is that function's own exit or await — did no work there.
    const next = events[i + 1];
    const passing = k !== 'e' && next && (next[0] === 'x' || next[0] === 's') && next[1] === now;
    if (now && now.startsWith(only) && !passing && walk.at(-1) !== now) walk.push(now);
  }
  const seen = new Set();
  let returns = 0;
  const stays = new Map();
  for (const f of walk) {
    if (seen.has(f)) returns++;
    seen.add(f);
    stays.set(f, (stays.get(f) ?? 0) + 1);
  }
  const what =
    scenario === 'seed'
      ? `${phase === 'first' ? 'a first' : 'a later'} ML-DSA-65 signature from a seed, after the probe`
      : phase === 'first'
        ? 'the key of a first JWT signature (keygen + sign)'
        : 'a later JWT signature';
  console.log(`walk of ${what} (${runtime}, files under ${only}):`);
  console.log(`  ${walk.length} stays in ${seen.size} files, ${returns} returns to a file already left`);
  console.log('  file                              calls in   stays');
  for (const f of [...stays.keys()].sort())
    console.log(`  ${f.padEnd(34)}${String(entries.get(f) ?? 0).padStart(8)}${String(stays.get(f)).padStart(8)}`);
  if (args.includes('--sequence')) console.log(`  sequence: ${walk.join(' → ')}`);
}
