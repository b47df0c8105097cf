// Consumer bundles: what an app that imports qsign-pqc actually ships. Each
// entry in test/helpers/fixtures/bundle-entries/ imports one slice of the public API by package
// name; `npm run build:bundles` bundles them for the browser the way Vite or
// Rollup users would, and test/unit/budget.test.ts checks their gzip sizes
// and that tree-shaking keeps unrelated layers out (e.g. JOSE verify must not
// pull in ML-KEM, transit or X.509).
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { readdirSync } from 'node:fs';

const entries = readdirSync('test/helpers/fixtures/bundle-entries').filter((f) => f.endsWith('.mjs'));

export default entries.map((file) => ({
  input: `test/helpers/fixtures/bundle-entries/${file}`,
  output: { file: `.cache/bundles/${file.replace(/\.mjs$/, '.js')}`, format: 'es', inlineDynamicImports: true },
  plugins: [nodeResolve({ browser: true, exportConditions: ['browser', 'import', 'default'], preferBuiltins: false })],
  treeshake: { moduleSideEffects: false },
  onwarn(warning, warn) {
    if (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules/.test(warning.message)) return;
    warn(warning);
  },
}));
