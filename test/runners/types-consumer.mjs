// Types as users compile them (issue 25 item 3): a consumer project in a temp
// dir imports the root and every public subpath of the packed tarball and is
// type-checked with `tsc --noEmit` under `lib: ["es2022", "dom"]` (no esnext,
// no DOM.AsyncIterable) and `skipLibCheck: false`, once with
// `moduleResolution: node16` and once with `bundler`. The browser-side
// consumer has no @types/node; `qsign-pqc/transit/node` is checked in a Node
// consumer with @types/node, as a Node user has it.
//
//   node test/runners/types-consumer.mjs
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './lib.mjs';
import { makeApp } from './packed-app.mjs';

const started = Date.now();
const { app } = makeApp('types');
const pkg = JSON.parse(readFileSync(join(app, 'node_modules/qsign-pqc/package.json'), 'utf8'));
const subpaths = Object.keys(pkg.exports)
  .filter((k) => !k.includes('*') && !k.endsWith('.json'))
  .map((k) => (k === '.' ? 'qsign-pqc' : `qsign-pqc/${k.slice(2)}`));
const nodeOnly = subpaths.filter((s) => s.endsWith('/node'));
const portable = subpaths.filter((s) => !nodeOnly.includes(s));

// Each module is imported whole and one value used, so every declaration file it reaches is checked.
const consumer = (mods) =>
  mods.map((m, i) => `import * as m${i} from '${m}';\nexport const k${i}: string[] = Object.keys(m${i});`).join('\n') +
  '\n';

mkdirSync(join(app, 'src'), { recursive: true });
writeFileSync(join(app, 'src/web.ts'), consumer(portable));
writeFileSync(
  join(app, 'src/node.ts'),
  consumer(nodeOnly) +
    // The README's library calls, typed as a user writes them.
    `import { ml_dsa65 } from 'qsign-pqc';\n` +
    `export async function signBlob(b: Blob, sk: Uint8Array): Promise<Uint8Array> { return ml_dsa65.signStream(b.stream(), sk); }\n`,
);
mkdirSync(join(app, 'node_modules/@types'), { recursive: true });
symlinkSync(join(root, 'node_modules/@types/node'), join(app, 'node_modules/@types/node'), 'dir');

const tsc = join(root, 'node_modules/typescript/bin/tsc');

/**
 * @peculiar/asn1-schema 2.11.1 ships CommonJS-typed declarations that import the ESM-only
 * @peculiar/utils, which TypeScript refuses under node16 with skipLibCheck false (TS1479 in their
 * files). Our x509 declarations expose @peculiar/asn1-x509's Name, so they load those files.
 */
const KNOWN_THIRD_PARTY = [/node_modules\/@peculiar\/asn1-schema\/.*error TS1479/];
const results = [];
for (const resolution of ['node16', 'bundler']) {
  for (const [name, files, types, lib] of [
    ['web (no @types/node)', ['src/web.ts'], [], ['es2022', 'dom']],
    ['node', ['src/node.ts'], ['node'], ['es2022', 'dom']],
    // Users on esnext get the lib's own Symbol.dispose: our declaration must merge with it.
    ['web, lib esnext', ['src/web.ts'], [], ['esnext', 'dom']],
  ]) {
    const config = {
      compilerOptions: {
        target: 'es2022',
        lib,
        module: resolution === 'node16' ? 'node16' : 'esnext',
        moduleResolution: resolution,
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        types,
      },
      files,
    };
    const cfg = join(app, `tsconfig.${resolution}.${name.replace(/\W+/g, '-')}.json`);
    writeFileSync(cfg, JSON.stringify(config, null, 2));
    const r = spawnSync(process.execPath, [tsc, '-p', cfg], { cwd: app, encoding: 'utf8' });
    const label = `moduleResolution ${resolution}, ${name}`;
    const errors = (r.stdout + r.stderr).split('\n').filter((l) => /error TS\d+/.test(l));
    // Errors inside a dependency's own declarations are that package's bug, not ours: listed as KNOWN.
    const known = errors.filter((l) => KNOWN_THIRD_PARTY.some((re) => re.test(l)));
    const ours = errors.filter((l) => !known.includes(l));
    results.push({
      label,
      ok: r.status === 0 || (ours.length === 0 && known.length > 0),
      output: ours.join('\n'),
      known,
    });
  }
}
rmSync(app, { recursive: true, force: true });

let failed = 0;
for (const r of results) {
  if (!r.ok) failed++;
  console.log(`${r.ok ? '  ok  ' : '  FAIL'} ${r.label}${r.ok ? '' : '\n' + r.output.replace(/^/gm, '      ')}`);
  if (r.known.length)
    console.log(`        KNOWN: ${r.known.length} error(s) in @peculiar/asn1-schema's own .d.ts (TS1479, upstream)`);
}
console.log(
  `types-consumer: ${subpaths.length} entry points (${subpaths.join(', ')}), ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
