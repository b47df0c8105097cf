// Kept in sync with package.json by test/e2e/cli-unix.test.ts.
export const version = '0.1.0';
