// Runs test/helpers/fixtures/package-smoke.mjs in one runtime and returns its result.
// The smoke test imports dist/, so dist must be built (setup does that).
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { parseResult, root, run } from './lib.mjs';

export async function runPackageShape(label, cmd, args, env) {
  if (!existsSync(join(root, 'dist/index.js'))) {
    return {
      passed: 0,
      failed: 1,
      failures: [
        {
          name: `${label} package shape`,
          error: 'dist/index.js is missing: run `npm run setup` (or npx tsc -p tsconfig.json)',
        },
      ],
    };
  }
  return parseResult(
    `${label} package`,
    await run(cmd, [...args, join(root, 'test/helpers/fixtures/package-smoke.mjs')], { env }),
  );
}

// `node test/runners/package-shape.mjs` runs it in the current Node (20 under npm test).
if (import.meta.url === `file://${process.argv[1]}`) {
  const { report } = await import('./lib.mjs');
  const started = Date.now();
  report(
    `node${process.versions.node.split('.')[0]}-package`,
    [['package', await runPackageShape('node', process.execPath, [])]],
    started,
  );
}
