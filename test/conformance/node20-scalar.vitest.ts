// Node 20 half of the runtime matrix's "scalar" pass: the same conformance
// suite as test/conformance/node20-simd.vitest.ts, with SIMD128 hidden from the
// loader's probe so every test runs on the scalar wasm build. Import order
// matters: hide-simd must run before anything loads the wasm. vitest isolates
// test files, so the SIMD pass in the other file is unaffected.
import '../helpers/hide-simd.js';
import { it as vitestIt, expect } from 'vitest';
import { registeredTests } from '../helpers/harness.js';
import './index.js';
import { init, backend } from '../../src/index.js';

for (const t of registeredTests()) vitestIt(`[scalar] ${t.name}`, () => t.fn());

vitestIt('[scalar] the pass really ran the scalar build', async () => {
  await init();
  expect(backend()).toBe('scalar');
});
