// Flat ESLint config: typescript-eslint's recommended rules for the whole
// repository (TypeScript and the plain .mjs scripts), with a few rules eased
// to warnings where the codebase has a deliberate reason (see each comment).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    // Build output, installed or generated files, and scratch space.
    ignores: [
      'dist/**',
      // The generated API reference (npm run docs).
      'docs/api/**',
      'node_modules/**',
      '**/node_modules/**',
      'wasm/**',
      'bench/results/**',
      '.cache/**',
      'coverage/**',
      'test-results/**',
      'tools/**',
      '.qsign-data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'module',
      // The SDK runs in browsers, Node, Deno, Bun and workerd; the scripts and tests run in Node.
      globals: { ...globals.browser, ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      // A warning, and the lint suite fails on any warning (--max-warnings=0):
      // type the boundary instead; where untyped data is the point (vector
      // JSON), an eslint-disable with its reason says so.
      '@typescript-eslint/no-explicit-any': 'warn',
      // `_`-prefixed names are intentionally unused (callback arity, destructuring).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Empty catch blocks are used for feature probes ("try it, fall back").
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  // Layout is Prettier's job (`npm run format`); turn off any rule that would argue with it.
  prettier,
);
