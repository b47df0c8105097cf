/**
 * Typed errors (issue 24 item 5): every `'ERR_…'` literal in src/ is defined
 * in exactly one `*ErrorCodes` table, docs/errors.md is what the tables
 * generate, and `QsignError.code` is the union of the tables' codes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module without types
import { collect, problems, render, DOC } from '../../scripts/gen-errors.mjs';

const ROOT = join(import.meta.dirname, '..', '..');

describe('error codes: one table per code, documented', () => {
  it('no code is used without a table, none is defined twice', () => {
    expect(problems()).toEqual([]);
  });

  it('the scan sees an undefined code and a code defined twice', () => {
    const files = new Map([
      ['src/a.ts', "export const AErrorCodes = { X: 'ERR_ONE', Y: 'ERR_TWO' } as const;"],
      ['src/b.ts', "export const BErrorCodes = { X: 'ERR_ONE', Z: AErrorCodes.Y } as const;"],
      ['src/c.ts', "throw new QsignError('ERR_THREE', 'no table');"],
    ]);
    expect(problems(collect(files))).toEqual([
      'ERR_ONE defined 2 times: AErrorCodes.X, BErrorCodes.X',
      'ERR_THREE used in src/c.ts but defined in no *ErrorCodes table',
    ]);
  });

  it('docs/errors.md is generated from the tables (node scripts/gen-errors.mjs --write)', () => {
    expect(readFileSync(join(ROOT, DOC), 'utf8')).toBe(render());
  });

  it('every defined code has a meaning in the docs', () => {
    const { tables } = collect();
    const undocumented = tables.flatMap(
      (t: { name: string; entries: { defines: boolean; doc?: string; key: string }[] }) =>
        t.entries.filter((e) => e.defines && !e.doc).map((e) => `${t.name}.${e.key}`),
    );
    expect(undocumented).toEqual([]);
  });

  it('QsignError.code is the union of every table: a made-up code does not type-check, a layer code does', () => {
    const probe = join(ROOT, 'src', '__error_code_probe__.ts');
    const text = [
      "import { QsignError, type QsignErrorCode } from './errors.js';",
      "import './transit/errors.js';",
      "import './x509/errors.js';",
      "export const ok: QsignErrorCode[] = ['ERR_INVALID_ARGUMENT', 'ERR_TRANSIT_KEY_NOT_FOUND', 'ERR_CERT_EXPIRED'];",
      "export const bad = new QsignError('ERR_NOT_A_CODE', 'x');",
    ].join('\n');
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
      skipLibCheck: true,
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) =>
      name === probe ? ts.createSourceFile(name, text, lang) : getSourceFile(name, lang, ...rest);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === probe || fileExists(name);
    const program = ts.createProgram([probe], options, host);
    const errors = ts
      .getPreEmitDiagnostics(program, program.getSourceFile(probe))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('"ERR_NOT_A_CODE"');
  });
});
