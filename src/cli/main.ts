/**
 * `qsign` — the command-line face of the SDK. Each command group lives in
 * ./commands/<group>.ts and registers itself in COMMANDS below; this file only
 * parses the first word, prints help and turns typed errors into exit codes.
 */
import { QsignError } from '../errors.js';
import type { Command } from './command.js';
import { hashCommands } from './commands/hash.js';
import { transitCommands } from './commands/transit.js';
import { joseCommands } from './commands/jose.js';
import { pkiCommands } from './commands/pki.js';
import { cmsCommands } from './commands/cms.js';

const COMMANDS: Command[] = [...hashCommands, ...transitCommands, ...joseCommands, ...pkiCommands, ...cmsCommands];

function help(): string {
  const lines = ['Usage: qsign <command> [options]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.usage.padEnd(58)} ${c.summary}`);
  lines.push('', 'Options: --help, --version');
  return lines.join('\n');
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(
  argv: string[],
  io: { out?: (s: string) => void; err?: (s: string) => void } = {},
): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(s + '\n'));
  const err = io.err ?? ((s: string) => process.stderr.write(s + '\n'));
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    out(help());
    return 0;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    const { version } = await import('./version.js');
    out(`qsign ${version}`);
    return 0;
  }
  // Longest matching command path wins ("jwt sign" before "jwt").
  const match = COMMANDS.filter((c) => c.path.every((w, i) => argv[i] === w)).sort(
    (a, b) => b.path.length - a.path.length,
  )[0];
  if (!match) {
    err(`qsign: unknown command "${argv.slice(0, 2).join(' ')}"\n\n${help()}`);
    return 2;
  }
  const rest = argv.slice(match.path.length);
  if (rest.includes('--help')) {
    out(`Usage: qsign ${match.usage}\n\n${match.summary}${match.help ? '\n\n' + match.help : ''}`);
    return 0;
  }
  try {
    return await match.run(rest, { out, err });
  } catch (e) {
    if (e instanceof QsignError) {
      err(`qsign: ${e.code}: ${e.message}`);
      return e.code === 'ERR_USAGE' ? 2 : 1;
    }
    err(`qsign: ${(e as Error)?.stack ?? e}`);
    return 1;
  }
}
