// The CLI behaves like a Unix tool (issue 25 item 4): quiet on a closed pipe,
// one `qsign: ERR_…: message` line (never a stack) for network and file
// errors, and help generated from each command's option table so it can
// never omit an option, wrapped to the terminal width.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleMainCli } from '../helpers/transit-cli.js';
import { main, COMMANDS } from '../../src/cli/main.js';

let dir: string;
let cli: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qsign-cli-unix-'));
  cli = join(dir, 'qsign.mjs');
  await bundleMainCli(cli);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sh(
  script: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn('bash', ['-c', script], { env: { ...process.env, QSIGN: cli, NODE: process.execPath, ...env } });
    let stdout = '',
      stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function run(...argv: string[]) {
  const out: string[] = [],
    err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s), columns: 80 });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A port nothing listens on: bind one, then close it. */
async function stoppedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const oneLine = (stderr: string, code: string) => {
  expect(stderr).toMatch(new RegExp(`^qsign: ${code}: [^\\n]+\\n?$`));
  expect(stderr).not.toMatch(/\n\s+at /);
};

describe('closed pipe', () => {
  it('`qsign algorithms | head` exits quietly with status 0 (real pipe)', async () => {
    for (const reader of ['head -c 0', 'head -1']) {
      const r = await sh(`"$NODE" "$QSIGN" algorithms | ${reader} >/dev/null; echo "status=\${PIPESTATUS[0]}" >&2`);
      expect(r.stderr, reader).toBe('status=0\n');
    }
  });
});

describe('errors are one line, never a stack', () => {
  it('a client pointed at a stopped server: ERR_TRANSIT_UNREACHABLE', async () => {
    const port = await stoppedPort();
    const r = await sh(`"$NODE" "$QSIGN" transit encrypt k --plaintext hi --addr http://127.0.0.1:${port} --token t`);
    expect(r.code).toBe(1);
    oneLine(r.stderr, 'ERR_TRANSIT_UNREACHABLE');
    expect(r.stderr).toContain(`127.0.0.1:${port}`);
  });

  it('a missing input file: ERR_FILE', async () => {
    const r = await sh(`"$NODE" "$QSIGN" transit encrypt k --file ${dir}/missing --token t`);
    expect(r.code).toBe(1);
    oneLine(r.stderr, 'ERR_FILE');
  });

  it('a JWKS URL that does not answer: ERR_JWKS_FETCH_FAILED', async () => {
    const port = await stoppedPort();
    const r = await sh(`"$NODE" "$QSIGN" jwt verify --jwks http://127.0.0.1:${port}/jwks a.b.c`);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown option names the command help', async () => {
    const r = await run('transit', 'encrypt', 'k', '--bogus');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^qsign: ERR_USAGE: .*--bogus/);
  });
});

describe('help from the option tables', () => {
  it('names the options the old help omitted', async () => {
    const serve = (await run('transit', 'serve', '--help')).out;
    for (const o of ['--audit-log', '--master-key-file', '--token-file']) expect(serve).toContain(o);
    const issue = (await run('help', 'cert', 'issue')).out;
    for (const o of ['--key-form', '--ca ', '--path-len']) expect(issue).toContain(o);
  });

  it('every option a command accepts appears in its help, with a description', async () => {
    expect(COMMANDS.length).toBeGreaterThan(10);
    for (const c of COMMANDS) {
      const viaFlag = await run(...c.path, '--help');
      const viaHelp = await run('help', ...c.path);
      expect(viaFlag.code).toBe(0);
      expect(viaHelp.out).toBe(viaFlag.out);
      for (const o of c.options) {
        expect(o.description.length, `${c.path.join(' ')} --${o.name}`).toBeGreaterThan(3);
        expect(viaFlag.out, `${c.path.join(' ')} --${o.name}`).toMatch(new RegExp(`--${o.name}\\b`));
      }
    }
  });

  it('an option missing from the table is refused, so the table is the whole truth', async () => {
    for (const c of COMMANDS) {
      const r = await run(...c.path, '--not-in-any-table');
      expect(r.code, c.path.join(' ')).toBe(2);
      expect(r.err).toMatch(/^qsign: ERR_USAGE: Unknown option '--not-in-any-table'/);
    }
  });

  it('help is wrapped to the terminal width', async () => {
    for (const argv of [['--help'], ['help', 'cert', 'issue'], ['transit', 'serve', '--help'], ['help', 'transit']]) {
      const r = await run(...argv);
      expect(r.code).toBe(0);
      for (const line of r.out.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    }
    const r = await sh(`COLUMNS=60 "$NODE" "$QSIGN" help jwt sign`);
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(60);
  });

  it('`qsign help COMMAND` for an unknown command is a usage error', async () => {
    const r = await run('help', 'nonsense');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^qsign: ERR_USAGE: /);
  });
});

describe('bash completion', () => {
  it('completes command words and each command’s options from the tables', async () => {
    const complete = async (...words: string[]) => {
      const r = await sh(
        `source <("$NODE" "$QSIGN" completion bash); COMP_WORDS=(qsign ${words.map((w) => `'${w}'`).join(' ')}); ` +
          `COMP_CWORD=${words.length}; _qsign_complete; echo "\${COMPREPLY[*]}"`,
      );
      expect(r.stderr).toBe('');
      return r.stdout.trim();
    };
    expect(await complete('tra')).toBe('transit');
    expect(await complete('transit', 'se')).toBe('serve');
    expect(await complete('cert', 'issue', '--pa')).toBe('--path-len');
    expect(await complete('transit', 'serve', '--master')).toBe('--master-key-file');
    expect(await complete('help', 'jwt', 'ver')).toBe('verify');
  });
});

describe('version', () => {
  it('`qsign --version` is the package.json version (src/cli/version.ts kept in sync)', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect((await run('--version')).out).toBe(`qsign ${version}`);
  });
});

describe('numeric options', () => {
  it('`transit serve --timeout-ms abc` is a usage error, not a server with a NaN deadline', async () => {
    for (const [opt, v] of [
      ['--timeout-ms', 'abc'],
      ['--max-body-bytes', '-5'],
    ]) {
      const r = await sh(`timeout 20 "$NODE" "$QSIGN" transit serve --dev --listen 127.0.0.1:0 ${opt} ${v}`);
      expect(r.code, `${opt} ${v}`).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^qsign: ERR_USAGE: ${opt} must be a positive integer`));
    }
  });
});
