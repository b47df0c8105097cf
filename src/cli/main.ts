/**
 * `qsign` — the command-line face of the SDK. Each command group lives in
 * ./commands/<group>.ts and registers itself in COMMANDS below; this file only
 * picks the command, parses its options from its table, prints help and turns
 * errors into one `qsign: CODE: message` line and an exit code.
 */
import { QsignError } from '../errors.js';
import { commandHelp, parseCommandArgs, wrap, type Command, type CommandIO } from './command.js';
import { hashCommands } from './commands/hash.js';
import { transitCommands } from './commands/transit.js';
import { joseCommands } from './commands/jose.js';
import { pkiCommands } from './commands/pki.js';
import { cmsCommands } from './commands/cms.js';
import { completionCommands } from './commands/completion.js';

/** Every command, in help order. */
export const COMMANDS: Command[] = [
  ...hashCommands,
  ...transitCommands,
  ...joseCommands,
  ...pkiCommands,
  ...cmsCommands,
  ...completionCommands(() => COMMANDS),
];

/** The overview: one line per command (optionally only those under `prefix`). */
function overview(width: number, prefix: string[] = []): string {
  const cmds = COMMANDS.filter((c) => prefix.every((w, i) => c.path[i] === w));
  const names = cmds.map((c) => c.path.join(' '));
  const col = Math.min(Math.max(...names.map((n) => n.length)) + 4, 24);
  const lines = [`Usage: qsign ${prefix.length ? prefix.join(' ') + ' ' : ''}<command> [options]`, '', 'Commands:'];
  cmds.forEach((c, i) => {
    const head = `  ${names[i]}`;
    if (head.length + 2 > col) lines.push(head, ...wrap(c.summary, width, ' '.repeat(col)));
    else lines.push(...wrap(c.summary, width, ' '.repeat(col), head.padEnd(col)));
  });
  lines.push(
    '',
    ...wrap(
      'Run `qsign help COMMAND` or `qsign COMMAND --help` for the options of one command; ' +
        '`qsign --version` prints the version. Set QSIGN_DEBUG=1 to see stack traces of unexpected errors.',
      width,
    ),
  );
  return lines.join('\n');
}

/** Longest command path that prefixes `words` ("jwt sign" before "jwt"). */
function findCommand(words: string[]): Command | undefined {
  return COMMANDS.filter((c) => c.path.every((w, i) => words[i] === w)).sort(
    (a, b) => b.path.length - a.path.length,
  )[0];
}

/** Node's system errors (ENOENT, EACCES, EISDIR …) come from files the user named. */
function isFileError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && 'syscall' in e;
}

/** One line for any error; a stack only when QSIGN_DEBUG asks for it. */
function errorLine(e: unknown): { line: string; exit: number } {
  if (e instanceof QsignError) return { line: `qsign: ${e.code}: ${e.message}`, exit: e.code === 'ERR_USAGE' ? 2 : 1 };
  if (isFileError(e)) return { line: `qsign: ERR_FILE: ${e.message}`, exit: 1 };
  const debug = process.env.QSIGN_DEBUG ? `\n${(e as Error)?.stack ?? ''}` : '';
  return { line: `qsign: ERR_INTERNAL: ${(e as Error)?.message ?? String(e)}${debug}`, exit: 1 };
}

/**
 * A reader that closed the pipe (`qsign algorithms | head -5`) is not an
 * error: stop quietly with status 0, as the output was simply not wanted.
 */
let pipeGuard = false;
function guardStdout(): void {
  if (pipeGuard) return;
  pipeGuard = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    process.stderr.write(`qsign: ERR_FILE: cannot write to stdout: ${e.message}\n`);
    process.exit(1);
  });
}

function terminalWidth(): number {
  const cols = process.stdout.columns || Number(process.env.COLUMNS) || 80;
  return Math.max(40, Math.min(cols, 120));
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(
  argv: string[],
  io: { out?: (s: string) => void; err?: (s: string) => void; columns?: number } = {},
): Promise<number> {
  if (!io.out) guardStdout();
  const out = io.out ?? ((s: string) => void process.stdout.write(s + '\n'));
  const err = io.err ?? ((s: string) => void process.stderr.write(s + '\n'));
  const width = io.columns ?? terminalWidth();
  const cio: CommandIO = { out, err };
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    out(overview(width));
    return 0;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    const { version } = await import('./version.js');
    out(`qsign ${version}`);
    return 0;
  }
  if (argv[0] === 'help') {
    const words = argv.slice(1);
    if (words.length === 0) {
      out(overview(width));
      return 0;
    }
    const c = findCommand(words);
    if (c && c.path.length === words.length) out(commandHelp(c, width));
    else if (COMMANDS.some((x) => words.every((w, i) => x.path[i] === w))) out(overview(width, words));
    else {
      err(`qsign: ERR_USAGE: no command "${words.join(' ')}"; \`qsign --help\` lists them`);
      return 2;
    }
    return 0;
  }
  const match = findCommand(argv);
  if (!match) {
    // A group word alone (`qsign transit`) lists that group's commands.
    if (COMMANDS.some((x) => x.path.length > 1 && x.path[0] === argv[0]) && argv.length === 1) {
      out(overview(width, [argv[0]!]));
      return 0;
    }
    err(`qsign: ERR_USAGE: unknown command "${argv.slice(0, 2).join(' ')}"; \`qsign --help\` lists them`);
    return 2;
  }
  const rest = argv.slice(match.path.length);
  const dashDash = rest.indexOf('--');
  const flags = dashDash === -1 ? rest : rest.slice(0, dashDash);
  if (flags.includes('--help') || flags.includes('-h')) {
    out(commandHelp(match, width));
    return 0;
  }
  try {
    return await match.run(parseCommandArgs(match, rest), cio);
  } catch (e) {
    const { line, exit } = errorLine(e);
    err(exit === 2 ? `${line} (see \`qsign help ${match.path.join(' ')}\`)` : line);
    return exit;
  }
}
