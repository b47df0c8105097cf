/**
 * Error codes of the `qsign` CLI. `main.ts` turns them into exit status 2
 * (usage) or 1 (everything else) with the message on stderr.
 */
export const CliErrorCodes = {
  /** Unknown command or option, a missing value or required option. */
  USAGE: 'ERR_USAGE',
  /** An input file cannot be read or an output file cannot be written. */
  FILE: 'ERR_FILE',
} as const;

declare module '../errors.js' {
  interface QsignErrorCodeTables {
    cli: typeof CliErrorCodes;
  }
}
