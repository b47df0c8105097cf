import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    // Tests run the TypeScript sources; the runtime picks its wasm source the
    // way the published package does under the `node` condition.
    alias: { '#wasm-source': fileURLToPath(new URL('./src/entries/node.ts', import.meta.url)) },
  },
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/vectors/**/*.test.ts',
      'test/node/**/*.test.ts',
      'test/interop/**/*.test.ts',
      'test/fuzz/**/*.test.ts',
      'test/conformance.vitest.test.ts',
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
