/**
 * A throwaway PostgreSQL server for tests, from Debian's `postgresql` package (installed by `npm run setup`):
 * `initdb` into a temporary directory as the `postgres` user, trust authentication for the role `qsign`, a free
 * port, listening on 127.0.0.1 only and on a socket inside the directory. `stop()` shuts it down immediately and
 * removes the directory; an exit hook does the same if the test process dies first.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.mjs';

export interface ThrowawayPostgres {
  /** `postgres://qsign@127.0.0.1:PORT/postgres` */
  url: string;
  port: number;
  dir: string;
  stop(): void;
}

/** The newest installed server binaries (Debian: /usr/lib/postgresql/<major>/bin). */
export function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base)
    ? readdirSync(base)
        .filter((d) => /^\d+$/.test(d) && existsSync(join(base, d, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0)
    throw new Error(
      "PostgreSQL server binaries not found under /usr/lib/postgresql: run npm run setup (Debian package 'postgresql')",
    );
  return join(base, majors[0]!, 'bin');
}

function asPostgres(args: string[], timeoutMs: number): void {
  // runuser: the server refuses to run as root, and the data directory must belong to the user running it.
  const r = spawnSync('runuser', ['-u', 'postgres', '--', ...args], { encoding: 'utf8', timeout: timeoutMs });
  if (r.status !== 0)
    throw new Error(`${args[0]} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout || r.error?.message}`);
}

/** Starts a fresh server; call `stop()` in afterAll. */
export async function startPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'qsign-pg-'));
  chownSync(dir, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()), 0);
  const data = join(dir, 'data');
  let started = false;
  const stop = () => {
    if (started) {
      started = false;
      spawnSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'], {
        timeout: 60_000,
      });
    }
    rmSync(dir, { recursive: true, force: true });
    process.off('exit', stop);
  };
  process.on('exit', stop);
  try {
    asPostgres([join(bin, 'initdb'), '-D', data, '-A', 'trust', '-U', 'qsign', '--no-sync', '-E', 'UTF8'], 120_000);
    // Another process may take the free port before the server binds it: retry on a fresh one.
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      started = true;
      try {
        asPostgres(
          [
            join(bin, 'pg_ctl'),
            '-D',
            data,
            '-l',
            join(dir, 'server.log'),
            '-o',
            `-p ${port} -k ${dir} -h 127.0.0.1 -c max_connections=200`,
            '-w',
            '-t',
            '120',
            'start',
          ],
          150_000,
        );
        break;
      } catch (e) {
        if (attempt >= 3) throw e;
        spawnSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop']);
      }
    }
    return { url: `postgres://qsign@127.0.0.1:${port}/postgres`, port, dir, stop };
  } catch (e) {
    stop();
    throw e;
  }
}
