import { parseArgs as parseArgv } from 'node:util';
import { QsignError } from '../errors.js';

export interface CommandIO {
  out(s: string): void;
  err(s: string): void;
}

/** One option of a command: the table that parses it also writes its help line. */
export interface OptionSpec {
  /** Long name without the dashes, e.g. `token-file`. */
  name: string;
  /** Placeholder of the value in help (`FILE`); absent for a boolean flag. */
  value?: string;
  /** May repeat; the values collect into an array. */
  multiple?: boolean;
  /** Shown in the usage line instead of under `[options]`. */
  required?: boolean;
  /** One sentence for the help; say the default here. */
  description: string;
}

/** One CLI command; `path` is the words that select it, e.g. ['jwt', 'sign']. */
export interface Command {
  path: string[];
  /** Positional arguments for the usage line, e.g. `NAME CIPHERTEXT`. */
  args?: string;
  summary: string;
  options: OptionSpec[];
  /** Paragraphs after the option list (wrapped to the terminal). */
  help?: string;
  run(p: ParsedArgs, io: CommandIO): Promise<number>;
}

export interface ParsedArgs {
  /** --name value and --flag (true); repeatable options collect into arrays. */
  options: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parses `args` with `node:util` parseArgs against the command's option
 * table. Unknown options are refused so typos do not silently change
 * behaviour.
 */
/**
 * Like getopt_long, an option that takes a value takes the next argument
 * whatever it looks like (`--exp -1m`, `--file -`); node:util would call a
 * value starting with `-` ambiguous, so such pairs are joined as `--exp=-1m`.
 */
function attachValues(cmd: Pick<Command, 'options'>, args: string[]): string[] {
  const takesValue = new Set(cmd.options.filter((o) => o.value).map((o) => `--${o.name}`));
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return [...out, ...args.slice(i)];
    if (takesValue.has(a) && i + 1 < args.length) out.push(`${a}=${args[++i]}`);
    else out.push(a);
  }
  return out;
}

export function parseCommandArgs(cmd: Pick<Command, 'options'>, args: string[]): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const o of cmd.options)
    options[o.name] = { type: o.value ? 'string' : 'boolean', ...(o.multiple ? { multiple: true } : {}) };
  try {
    const r = parseArgv({ args: attachValues(cmd, args), options, strict: true, allowPositionals: true });
    return { options: r.values as ParsedArgs['options'], positionals: r.positionals };
  } catch (e) {
    // node:util reports ERR_PARSE_ARGS_* as a TypeError whose message says what is wrong.
    throw new QsignError('ERR_USAGE', (e as Error).message.replace(/\. To specify a positional.*$/s, ''));
  }
}

export function stringOpt(p: ParsedArgs, name: string): string | undefined {
  const v = p.options[name];
  return typeof v === 'string' ? v : undefined;
}

export function listOpt(p: ParsedArgs, name: string): string[] {
  const v = p.options[name];
  return Array.isArray(v) ? v : [];
}

export function requireOpt(p: ParsedArgs, name: string): string {
  const v = stringOpt(p, name);
  if (v === undefined) throw new QsignError('ERR_USAGE', `missing required option --${name}`);
  return v;
}

/** An optional option holding a positive integer (days, milliseconds, bytes). */
export function positiveIntOpt(p: ParsedArgs, name: string): number | undefined {
  const v = stringOpt(p, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n <= 0)
    throw new QsignError('ERR_USAGE', `--${name} must be a positive integer, got "${v}"`);
  return n;
}

/** Greedy word wrap of `text` to `width`, each line prefixed by `indent` (the first by `first`). */
export function wrap(text: string, width: number, indent = '', first = indent): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = lines.length === 0 ? first : indent;
    let empty = true;
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (!empty && line.length + 1 + word.length > width) {
        lines.push(line);
        line = indent;
        empty = true;
      }
      line += (empty ? '' : ' ') + word;
      empty = false;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** `qsign jwt sign --key FILE [options]`: required options and positionals spelled out. */
export function usageLine(c: Command): string {
  const req = c.options.filter((o) => o.required).map((o) => `--${o.name} ${o.value}`);
  const optional = c.options.some((o) => !o.required) ? ['[options]'] : [];
  return ['qsign', ...c.path, ...req, ...(c.args ? [c.args] : []), ...optional].join(' ');
}

const HELP_OPTION: OptionSpec = { name: 'help', description: 'Show this help and exit' };

/** The help of one command, generated from its option table and wrapped to `width` columns. */
export function commandHelp(c: Command, width: number): string {
  const lines = [...wrap(usageLine(c), width, '    ', 'Usage: '), '', ...wrap(c.summary, width)];
  const rows = [...c.options, HELP_OPTION].map((o) => {
    const flag = `--${o.name}${o.value ? ` ${o.value}` : ''}${o.multiple ? ' …' : ''}`;
    const desc = `${o.description}${o.required ? ' (required)' : ''}${o.multiple ? ' (may repeat)' : ''}`;
    return [flag, desc] as const;
  });
  const col = Math.min(Math.max(...rows.map(([f]) => f.length)) + 4, 30);
  lines.push('', 'Options:');
  for (const [flag, desc] of rows) {
    const head = `  ${flag}`;
    // A long flag gets its own line; the description then starts in the column below it.
    if (head.length + 2 > col) lines.push(head, ...wrap(desc, width, ' '.repeat(col)));
    else lines.push(...wrap(desc, width, ' '.repeat(col), head.padEnd(col)));
  }
  if (c.help) lines.push('', ...c.help.split('\n\n').flatMap((p, i) => [...(i ? [''] : []), ...wrap(p, width)]));
  return lines.join('\n');
}
