import { QsignError } from '../errors.js';

export interface CommandIO {
  out(s: string): void;
  err(s: string): void;
}

/** One CLI command; `path` is the words that select it, e.g. ['jwt', 'sign']. */
export interface Command {
  path: string[];
  usage: string;
  summary: string;
  help?: string;
  run(args: string[], io: CommandIO): Promise<number>;
}

export interface ParsedArgs {
  /** --name value and --flag (true); repeated options collect into arrays. */
  options: Record<string, string | boolean | string[]>;
  positionals: string[];
}

/**
 * Parses `--key value`, `--key=value` and boolean `--flag` options. Options
 * named in `booleans` never take a value; `repeatable` collect into arrays.
 * Unknown options are refused so typos do not silently change behaviour.
 */
export function parseArgs(
  args: string[],
  spec: { strings?: string[]; booleans?: string[]; repeatable?: string[] },
): ParsedArgs {
  const strings = new Set([...(spec.strings ?? []), ...(spec.repeatable ?? [])]);
  const booleans = new Set(spec.booleans ?? []);
  const repeatable = new Set(spec.repeatable ?? []);
  const options: ParsedArgs['options'] = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '-') {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq === -1 ? undefined : eq);
    if (booleans.has(name)) {
      options[name] = true;
      continue;
    }
    if (!strings.has(name)) throw new QsignError('ERR_USAGE', `unknown option --${name}`);
    const value = eq === -1 ? args[++i] : a.slice(eq + 1);
    if (value === undefined) throw new QsignError('ERR_USAGE', `option --${name} needs a value`);
    if (repeatable.has(name)) options[name] = [...((options[name] as string[] | undefined) ?? []), value];
    else options[name] = value;
  }
  return { options, positionals };
}

export function stringOpt(p: ParsedArgs, name: string): string | undefined {
  const v = p.options[name];
  return typeof v === 'string' ? v : undefined;
}

export function requireOpt(p: ParsedArgs, name: string): string {
  const v = stringOpt(p, name);
  if (v === undefined) throw new QsignError('ERR_USAGE', `missing required option --${name}`);
  return v;
}
