#!/usr/bin/env node
// Turns bench/results/*.json into bench/results/README.md (tables of ops/s
// and ratios to each peer) and bench/results/bench.svg (a bar chart, drawn
// here as plain SVG: no chart library). Run by bench/run.mjs after every run;
// `node bench/report.mjs` regenerates both from the JSON already there.
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, totalmem } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, 'bench/results');
const RUNTIME_ORDER = ['node20', 'node24', 'deno', 'bun', 'chromium', 'firefox', 'workerd'];
export const OURS = 'qsign simd128';
export const SCALAR = 'qsign scalar';

export const fmt = (n) =>
  n === undefined
    ? 'n/a'
    : n >= 10000
      ? `${(n / 1000).toFixed(0)}k`
      : n >= 1000
        ? `${(n / 1000).toFixed(1)}k`
        : n >= 100
          ? n.toFixed(0)
          : n.toFixed(1);
export const ratio = (a, b) => (a?.median && b?.median ? a.median / b.median : undefined);
const fr = (x) => (x === undefined ? '–' : `${x.toFixed(2)}×`);

export function loadResults() {
  const out = {};
  if (!existsSync(resultsDir)) return out;
  for (const f of readdirSync(resultsDir)) {
    if (!f.endsWith('.json')) continue;
    out[f.slice(0, -5)] = JSON.parse(readFileSync(join(resultsDir, f), 'utf8'));
  }
  return out;
}

/** Markdown table of one runtime's results: ops/s median (min..max) per implementation, then ratios of simd128 to each peer. */
export function runtimeTable(r, { ranges = true } = {}) {
  const impls = [];
  for (const c of r.results) for (const cell of c.cells) if (!impls.includes(cell.impl)) impls.push(cell.impl);
  const peers = impls.filter((i) => i !== OURS);
  const lines = [];
  lines.push(`| case | ${impls.join(' | ')} | ${peers.map((p) => `simd128 ÷ ${p}`).join(' | ')} |`);
  lines.push(`|---|${impls.map(() => '--:').join('|')}|${peers.map(() => '--:').join('|')}|`);
  const naReasons = new Map();
  for (const c of r.results) {
    const get = (i) => c.cells.find((x) => x.impl === i);
    const cell = (i) => {
      const x = get(i);
      if (!x) return '';
      if (x.na) {
        naReasons.set(i, x.na);
        return 'n/a';
      }
      return ranges ? `${fmt(x.median)} <sub>${fmt(x.min)}..${fmt(x.max)}</sub>` : fmt(x.median);
    };
    const rs = peers.map((p) => {
      const a = get(OURS),
        b = get(p);
      return a && b && !a.na && !b.na ? fr(ratio(a, b)) : '';
    });
    lines.push(
      `| ${c.group} ${c.name}${c.unit === 'MB/s' ? ' (MB/s)' : ''} | ${impls.map(cell).join(' | ')} | ${rs.join(' | ')} |`,
    );
  }
  if (naReasons.size) {
    lines.push('');
    for (const [i, why] of naReasons) lines.push(`- n/a ${i}: ${why}`);
  }
  return lines.join('\n');
}

function nativeSection(n, node, refName) {
  if (!n) return '';
  const lines = [
    `## Native reference (C core, ${n.compiler}, ${n.flags})`,
    '',
    `Same C sources as the wasm builds (scalar; the simd128 kernels are wasm-only), compiled natively and timed by bench/native/bench.c with process CPU time (median of samples). The wasm columns are the ${refName} run above (wall clock, through the public API).`,
    '',
  ];
  lines.push(`| case | native ops/s | wasm simd128 (${refName}) | wasm scalar (${refName}) | simd128 ÷ native |`);
  lines.push('|---|--:|--:|--:|--:|');
  for (const c of n.results) {
    const w = node?.results.find((x) => x.group === c.group && x.name === c.name);
    const s = w?.cells.find((x) => x.impl === OURS),
      sc = w?.cells.find((x) => x.impl === SCALAR);
    lines.push(
      `| ${c.group} ${c.name} | ${fmt(c.median)} | ${fmt(s?.median)} | ${fmt(sc?.median)} | ${s?.median ? fr(s.median / c.median) : '–'} |`,
    );
  }
  return lines.join('\n');
}

function coldSection(c) {
  if (!c) return '';
  const lines = [
    '## Cold start',
    '',
    `Fresh process to the first result (the script prints "ok" when its task is done), median of ${c.reps} runs (min..max), milliseconds; "over empty" subtracts the runtime's empty process. "to exit" is the time until the process has exited (V8 runtimes also wait there for background compiles the task set off).`,
    '',
  ];
  lines.push('| runtime | task | implementation | median ms | min..max | over empty | to exit, over empty |');
  lines.push('|---|---|---|--:|--:|--:|--:|');
  const plus = (x) => (x === undefined ? '' : `+${x.toFixed(1)}`);
  for (const row of c.rows)
    lines.push(
      `| ${row.runtime} | ${row.task} | ${row.impl} | ${row.na ? 'n/a' : row.median.toFixed(1)} | ${row.na ? row.na : `${row.min.toFixed(1)}..${row.max.toFixed(1)}`} | ${plus(row.overEmpty)} | ${plus(row.exitOverEmpty)} |`,
    );
  lines.push('');
  // Issue 23's target: Node 20, the first ML-KEM-768 keypair ≤ 15 ms over the empty process and ≤ 0.5× noble's.
  const node = (task, impl) =>
    c.rows.find((r) => r.runtime === 'node20' && r.task === task && r.impl === impl && !r.na);
  for (const task of ['ML-KEM-768 keypair', 'ML-DSA-65 verify']) {
    const ours = node(task, 'qsign');
    const noble = node(task, '@noble/post-quantum');
    if (!ours) continue;
    const ratio = noble ? ours.overEmpty / noble.overEmpty : undefined;
    const exit = ours.exitOverEmpty === undefined ? '' : `, +${ours.exitOverEmpty.toFixed(1)} ms to exit`;
    const vs =
      ratio === undefined ? '' : `, ${ratio.toFixed(2)}× @noble/post-quantum's +${noble.overEmpty.toFixed(1)} ms`;
    const met = ours.overEmpty <= 15 && (ratio === undefined || ratio <= 0.5);
    lines.push(
      task === 'ML-KEM-768 keypair'
        ? `- Target (issue 23; Node 20, ≤ 15 ms over the empty process and ≤ 0.5× noble's): ${task} +${ours.overEmpty.toFixed(1)} ms to the result${exit}${vs} — **${met ? 'met' : 'not met'}**`
        : `- Node 20 (no target): ${task} +${ours.overEmpty.toFixed(1)} ms to the result${exit}${vs}`,
    );
  }
  return lines.join('\n');
}

/** The issue's speed targets, checked from the JSON: ML-KEM-768 and ML-DSA-65 ≥ 2× @oqs/liboqs-js and ≥ 10× noble in Node, Deno and Chromium. */
export function targetsSection(rts) {
  const cases = [
    'ML-KEM-768 keygen',
    'ML-KEM-768 encaps',
    'ML-KEM-768 decaps',
    'ML-DSA-65 keygen',
    'ML-DSA-65 sign 1 KiB',
    'ML-DSA-65 verify 1 KiB',
    'ML-DSA-65 sign 1 KiB, 8 keys in turn',
    'ML-DSA-65 verify 1 KiB, 8 keys in turn',
  ];
  const runtimes = ['node20', 'deno', 'chromium'].filter((n) => rts[n]);
  if (!runtimes.length) return '';
  const lines = [
    '## Targets',
    '',
    'simd128 ÷ @oqs/liboqs-js (target ≥ 2×) and ÷ @noble/post-quantum (target ≥ 10×), same run. The "8 keys in turn" rows use more keys than the A-hat cache holds (docs/mldsa.md): every call expands A-hat, as the first use of a key does; they are shown for honesty and are not part of the target.',
    '',
  ];
  lines.push(`| case | ${runtimes.map((n) => `${n} ÷ liboqs-js | ${n} ÷ noble`).join(' | ')} |`);
  lines.push(`|---|${runtimes.map(() => '--:|--:').join('|')}|`);
  for (const key of cases) {
    const cells = runtimes.flatMap((n) => {
      const c = rts[n].results.find((x) => `${x.group} ${x.name}` === key);
      const v = (impl) => {
        const x = c?.cells.find((y) => y.impl === impl);
        return x && !x.na ? x : undefined;
      };
      const mark = (r, t) =>
        r === undefined ? '–' : `${fr(r)}${key.includes('keys in turn') ? '' : r >= t ? '' : ' ✗'}`;
      return [mark(ratio(v(OURS), v('@oqs/liboqs-js')), 2), mark(ratio(v(OURS), v('@noble/post-quantum')), 10)];
    });
    lines.push(`| ${key} | ${cells.join(' | ')} |`);
  }
  lines.push('', '✗: below target in this run.');
  return lines.join('\n');
}

const SUMMARY_CASES = [
  'ML-KEM-768 keygen',
  'ML-KEM-768 encaps',
  'ML-KEM-768 decaps',
  'ML-DSA-65 keygen',
  'ML-DSA-65 sign 1 KiB',
  'ML-DSA-65 verify 1 KiB',
  'ML-DSA-65 sign 1 KiB, 8 keys in turn',
  'ML-DSA-65 verify 1 KiB, 8 keys in turn',
  'X-Wing encaps',
  'X-Wing decaps',
  'HPKE X-Wing/HKDF-SHA256/AES-128-GCM seal 1 KiB',
  'HPKE X-Wing/HKDF-SHA256/AES-128-GCM open 1 KiB',
  'JWT ML-DSA-65 verify',
  'transit ml-kem-768 encrypt 1 KiB',
  'transit ml-kem-768 decrypt 1 KiB',
  'X.509 ML-DSA-65 verifyChain (3 certs)',
];

/** The README table: key cases on the reference runtime with peers and ratios, then our SIMD build on every other runtime. */
export function summaryTable(rts, ref = 'node20') {
  const r = rts[ref];
  if (!r) return '_no results yet: run `npm run bench`_';
  const others = RUNTIME_ORDER.filter((n) => n !== ref && rts[n]);
  const peers = ['qsign scalar', '@oqs/liboqs-js', '@noble/post-quantum'];
  const find = (res, key) =>
    res?.results.find((c) => `${c.group} ${c.name}` === key || (key === 'stream' && c.group === 'ML-DSA-65 streaming'));
  const v = (c, impl) => {
    const x = c?.cells.find((y) => y.impl === impl);
    return x && !x.na ? x : undefined;
  };
  const row = (cells) => `| ${cells.join(' | ')} |`;
  const lines = [
    row([
      `${ref} ops/s`,
      'qsign simd128',
      ...peers,
      'best other peer',
      'simd128 ÷ liboqs-js',
      'simd128 ÷ noble',
      ...others.map((n) => `simd128 ${n}`),
    ]),
    row(['---', '--:', ...peers.map(() => '--:'), '---', '--:', '--:', ...others.map(() => '--:')]),
  ];
  for (const key of [...SUMMARY_CASES, 'stream']) {
    const c = find(r, key);
    if (!c) continue;
    const ours = v(c, OURS);
    const rest = c.cells
      .filter((x) => !x.na && x.impl !== OURS && !peers.includes(x.impl))
      .sort((a, b) => b.median - a.median)[0];
    const unit = c.unit === 'MB/s' ? ' (MB/s)' : '';
    lines.push(
      row([
        `${c.group} ${c.name}${unit}`,
        `**${fmt(ours?.median)}**`,
        ...peers.map((p) => (c.cells.some((x) => x.impl === p) ? fmt(v(c, p)?.median) : '–')),
        rest ? `${rest.impl} ${fmt(rest.median)}` : '–',
        fr(ratio(ours, v(c, '@oqs/liboqs-js'))),
        fr(ratio(ours, v(c, '@noble/post-quantum'))),
        ...others.map((n) => fmt(v(find(rts[n], key === 'stream' ? 'stream' : `${c.group} ${c.name}`), OURS)?.median)),
      ]),
    );
  }
  return lines.join('\n');
}

/** Rewrites the block between <!-- bench:start --> and <!-- bench:end --> in README.md, if both markers are there. */
export function updateReadme(block) {
  const p = join(root, 'README.md');
  const s = readFileSync(p, 'utf8');
  const a = s.indexOf('<!-- bench:start -->'),
    b = s.indexOf('<!-- bench:end -->');
  if (a < 0 || b < a) return false;
  writeFileSync(p, `${s.slice(0, a + '<!-- bench:start -->'.length)}\n${block}\n${s.slice(b)}`);
  return true;
}

const SOURCE_TREE_RUN = 'not recorded (a run of the source tree, before the bench measured the tarball)';
const pkgText = (p) => (p ? `${p.name}@${p.version}, tarball sha256 \`${p.sha256}\` (${p.source})` : SOURCE_TREE_RUN);

/**
 * What was measured: the installed package every runtime's results name (bench/app.mjs records it), one
 * line when all agree, else one per runtime; results from before the bench measured the tarball say so.
 */
export function packageLine(rts) {
  const by = new Map();
  for (const [name, r] of Object.entries(rts)) {
    const kept = r.keptFrom?.length
      ? `; cases outside its --filter kept from ${r.keptFrom.map(pkgText).join(', ')}`
      : '';
    const key = `${pkgText(r.package)}${kept}`;
    by.set(key, [...(by.get(key) ?? []), name]);
  }
  if (by.size <= 1)
    return `Package measured: ${[...by.keys()][0] ?? 'none'}, installed from the tarball into a fresh app.`;
  return `Packages measured (the runtimes come from different runs): ${[...by].map(([k, names]) => `${names.join(', ')}: ${k}`).join('; ')}.`;
}

export function machineLine() {
  const c = cpus();
  return `${c[0]?.model ?? 'unknown CPU'}, ${c.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
}

export function writeReport({ command = 'node bench/run.mjs', readme = false } = {}) {
  const all = loadResults();
  const { native, coldstart, ...rts } = all;
  const names = RUNTIME_ORDER.filter((n) => rts[n]);
  const measured = packageLine(Object.fromEntries(names.map((n) => [n, rts[n]])));
  const lines = [
    '# Benchmark results',
    '',
    `Generated by \`${command}\` (bench/run.mjs) on ${machineLine()}.`,
    measured,
    'ops/s: median of the samples <sub>min..max</sub>; higher is better. Ratios: our SIMD128 build ÷ each peer, measured in the same run.',
    '',
  ];
  for (const n of names) {
    const r = rts[n];
    lines.push(
      `## ${n} — ${r.version ?? ''}`,
      '',
      `Measured ${r.measured}${r.package ? ` (${r.package.name}@${r.package.version}, sha256 ${r.package.sha256.slice(0, 12)}…)` : ''}; ${r.samples} samples × ~${r.sampleMs} ms after ${r.warmupMs} ms warm-up${r.quick ? ' (quick)' : ''}; clock: ${r.clock ?? 'wall (performance.now)'}.`,
      '',
      runtimeTable(r),
      '',
    );
  }
  lines.splice(6, 0, '## Summary', '', summaryTable(rts), '', targetsSection(rts), '');
  const refName = names.includes('node20') ? 'node20' : names[0];
  lines.push(nativeSection(native, rts[refName], refName), '', coldSection(coldstart), '');
  const md = lines.join('\n');
  writeFileSync(join(resultsDir, 'README.md'), md);
  const ref = rts.node20 ?? rts[names[0]];
  if (ref && readme)
    updateReadme(
      [
        `Measured by \`${command}\` on ${machineLine()}, ${ref.measured?.slice(0, 10) ?? ''}; ops/s, median of ${ref.samples} samples, higher is better; every ratio is against a peer measured in the same run.`,
        '',
        measured,
        '',
        summaryTable(rts),
        '',
        '![ops/s per library and operation](bench/results/bench.svg)',
        '',
        'All runtimes, min..max ranges, native C and cold start: [bench/results/README.md](bench/results/README.md); method: [docs/performance.md](docs/performance.md).',
      ].join('\n'),
    );
  writeFileSync(
    join(resultsDir, 'bench.svg'),
    chart(rts[names.includes('node20') ? 'node20' : names[0]], names.includes('node20') ? 'node20' : names[0], command),
  );
  return md;
}

// ---- SVG chart --------------------------------------------------------
const COLORS = {
  'qsign simd128': '#1f6feb',
  'qsign scalar': '#79c0ff',
  '@oqs/liboqs-js': '#d29922',
  '@openforge-sh/liboqs': '#bf8700',
  mlkem: '#8957e5',
  '@noble/post-quantum': '#2da44e',
  '@hpke/core': '#cf222e',
};
const CHART_CASES = [
  'ML-KEM-768 keygen',
  'ML-KEM-768 encaps',
  'ML-KEM-768 decaps',
  'ML-DSA-65 keygen',
  'ML-DSA-65 sign 1 KiB',
  'ML-DSA-65 verify 1 KiB',
  'X-Wing encaps',
  'X-Wing decaps',
];
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Grouped horizontal bars, log scale (the peers span two orders of magnitude). */
export function chart(r, runtime, command = 'npm run bench') {
  if (!r) return '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>';
  const cases = CHART_CASES.map((k) => r.results.find((c) => `${c.group} ${c.name}` === k)).filter(Boolean);
  const impls = [...new Set(cases.flatMap((c) => c.cells.filter((x) => !x.na).map((x) => x.impl)))];
  const bar = 11,
    gap = 14,
    left = 190,
    width = 560,
    right = 70;
  const vals = cases.flatMap((c) => c.cells.filter((x) => !x.na).map((x) => x.median));
  const lo = Math.pow(10, Math.floor(Math.log10(Math.min(...vals)))),
    hi = Math.pow(10, Math.ceil(Math.log10(Math.max(...vals))));
  const x = (v) => (Math.log10(v / lo) / Math.log10(hi / lo)) * width;
  let y = 52;
  const parts = [];
  for (const c of cases) {
    const cells = impls.map((i) => c.cells.find((x) => x.impl === i)).filter((x) => x && !x.na);
    parts.push(
      `<text x="${left - 8}" y="${y + (cells.length * bar) / 2 + 4}" text-anchor="end" font-weight="600">${esc(`${c.group} ${c.name}`)}</text>`,
    );
    for (const cell of cells) {
      const w = Math.max(1, x(cell.median));
      parts.push(
        `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${bar - 2}" fill="${COLORS[cell.impl] ?? '#888'}"><title>${esc(cell.impl)}: ${fmt(cell.median)} ops/s</title></rect>`,
      );
      parts.push(`<text x="${left + w + 4}" y="${y + bar - 3}" font-size="9">${fmt(cell.median)}</text>`);
      y += bar;
    }
    y += gap;
  }
  const axis = [];
  for (let v = lo; v <= hi; v *= 10)
    axis.push(
      `<line x1="${left + x(v)}" y1="44" x2="${left + x(v)}" y2="${y - gap + 4}" stroke="#ddd"/><text x="${left + x(v)}" y="${y + 8}" text-anchor="middle" font-size="9">${fmt(v)}</text>`,
    );
  const legend = impls.map(
    (i, k) =>
      `<rect x="${left + (k % 4) * 150}" y="${y + 20 + Math.floor(k / 4) * 16}" width="10" height="10" fill="${COLORS[i] ?? '#888'}"/><text x="${left + (k % 4) * 150 + 14}" y="${y + 29 + Math.floor(k / 4) * 16}">${esc(i)}</text>`,
  );
  const h = y + 30 + Math.ceil(impls.length / 4) * 16;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + right}" height="${h}" font-family="system-ui, sans-serif" font-size="11">
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="18" font-size="13" font-weight="600">ops/s (log scale, higher is better) — ${esc(runtime)} ${esc(r.version ?? '')}</text>
<text x="10" y="33" font-size="10" fill="#555">\`${esc(command)}\` on ${esc(machineLine())}, ${esc(r.measured?.slice(0, 10) ?? '')}; median of ${r.samples} samples</text>
${axis.join('\n')}
${parts.join('\n')}
${legend.join('\n')}
</svg>
`;
}

if (import.meta.url === `file://${process.argv[1]}`)
  console.log(
    writeReport({
      command: process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'npm run bench',
      readme: process.argv.includes('--readme'),
    }),
  );
