// The doc-test runner (test/runners/docs.mjs) itself: on a fixture Markdown
// file it runs blocks in one session per file, continues modules, checks
// declared exit codes, counts marked blocks, and fails an unmarked block that
// cannot run and a marker that gives no reason.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('doc-test runner', () => {
  it('runs, continues, marks and fails blocks of a fixture as the markers say', () => {
    const r = spawnSync(process.execPath, ['test/runners/docs.mjs', 'test/helpers/fixtures/doctest/sample.md'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 180_000,
    });
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/docs: 6 blocks ran, 1 marked \(not run\), 1 files/);
    expect(out).toMatch(/^4 passed, 2 failed$/m);
    expect(out).toMatch(
      /FAIL test\/helpers\/fixtures\/doctest\/sample\.md:\d+ \(exit 1, want 0\)[\s\S]*this block cannot run/,
    );
    expect(out).toMatch(/FAIL test\/helpers\/fixtures\/doctest\/sample\.md:\d+\n\s+marker without reason/);
    expect(r.status).toBe(1);
  });
});
