import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    // Tests run the TypeScript sources; the runtime picks its wasm source the
    // way the published package does under the `node` condition.
    // `#wasm-source/<module>` (each family's module, imported by that family's code) likewise.
    alias: [
      { find: /^#wasm-source$/, replacement: fileURLToPath(new URL('./src/entries/node.ts', import.meta.url)) },
      {
        find: /^#wasm-source\/(\w+)$/,
        replacement: fileURLToPath(new URL('./src/entries/node-$1.ts', import.meta.url)),
      },
    ],
  },
  test: {
    // The folders of docs/architecture.md's "Tests" section (test/unit/layout.test.ts keeps files in them).
    // test/conformance/*.test.ts are the runtime-agnostic suites: vitest runs them through the two
    // node20-*.vitest.ts entries, every other runtime through test/runners/.
    include: [
      'test/unit/**/*.test.ts',
      'test/vectors/**/*.test.ts',
      'test/conformance/*.vitest.ts',
      'test/interop/**/*.test.ts',
      'test/e2e/**/*.test.ts',
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
