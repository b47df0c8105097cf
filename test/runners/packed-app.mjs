// The published package as a user gets it: `npm pack` of this checkout,
// unpacked into node_modules/qsign-pqc of a fresh temp app, with only the
// dependencies the tarball's package.json declares made reachable (linked
// from this checkout's node_modules, so no network is needed) and its bins
// in node_modules/.bin. Used by the doc tests, the types-consumer test and the
// cold-start benchmark and budget and `npm run bench` (which also link the peers they compare with).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { root } from './lib.mjs';

/**
 * npm pack once (or take `tarball`, e.g. an earlier build to compare with), unpack into a fresh app,
 * link the package's declared dependencies and `extra` packages of this checkout; `qsign` on PATH.
 * `aliases`: further names the same tarball is installed under (as `npm install ALIAS@file:…` would),
 * each a separate copy with its own module state.
 */
export function makeApp(label, { tarball, extra = [], aliases = [] } = {}) {
  const app = join(tmpdir(), `qsign-${label}-${process.pid}`);
  rmSync(app, { recursive: true, force: true });
  mkdirSync(join(app, 'node_modules', '.bin'), { recursive: true });
  const packed = tarball
    ? { filename: tarball, files: [] }
    : JSON.parse(
        execFileSync('npm', ['pack', '--json', '--pack-destination', app], {
          cwd: root,
          encoding: 'utf8',
          stdio: 'pipe',
        }),
      )[0];
  const pkgDir = join(app, 'node_modules', 'qsign-pqc');
  for (const dir of [pkgDir, ...aliases.map((a) => join(app, 'node_modules', a))]) {
    mkdirSync(dir);
    execFileSync('tar', ['-xzf', resolve(app, packed.filename), '-C', dir, '--strip-components=1']);
  }
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  // Only what the tarball declares is reachable: a dependency missing from package.json fails here as it would for a user.
  for (const dep of [...Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }), ...extra]) {
    const target = join(app, 'node_modules', dep);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(join(root, 'node_modules', dep), target, 'dir');
  }
  for (const [name, rel] of Object.entries(pkg.bin ?? {}))
    symlinkSync(join(pkgDir, rel), join(app, 'node_modules', '.bin', name));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'doctest-app', private: true, type: 'module' }));
  return { app, files: packed.files.length, tarball: resolve(app, packed.filename) };
}
