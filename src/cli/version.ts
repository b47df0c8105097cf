// Kept in sync with package.json by test/unit/cli-unix.test.ts.
export const version = '0.1.0';
