#!/usr/bin/env node
/*
 * The error-code tables of every layer, read from src/ with the TypeScript
 * parser, and docs/errors.md generated from them.
 *
 *   node scripts/gen-errors.mjs          compare docs/errors.md with the tables (exit 1 on a difference or a bad code)
 *   node scripts/gen-errors.mjs --write  rewrite docs/errors.md
 *
 * A table is an `export const <Name>ErrorCodes = { KEY: 'ERR_…', … } as const`.
 * An entry whose value is a string literal DEFINES the code; an entry that
 * refers to another table (`INVALID_ARGUMENT: CoreErrorCodes.INVALID_ARGUMENT`)
 * only re-exports it. Every `'ERR_…'` string literal anywhere else in src/
 * is a use. `problems()` lists codes used but defined nowhere and codes
 * defined twice (test/unit/error-codes.test.ts runs it).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DOC = 'docs/errors.md';
const CODE_RE = /^ERR_[A-Z0-9_]+$/;

function tsFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
    });
}

/** The JSDoc (or trailing `//`) text of a table entry, on one line. */
function describe(node, text) {
  const lead = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  const doc = lead
    .map((r) => text.slice(r.pos, r.end))
    .filter((c) => c.startsWith('/**'))
    .map((c) =>
      c
        .replace(/^\/\*\*|\*\/$/g, '')
        .split('\n')
        .map((l) => l.replace(/^\s*\*\s?/, '').trim())
        .join(' ')
        .trim(),
    )
    .join(' ');
  const end = node.parent.getFullText().length; // unused; trailing comments read below
  void end;
  const trail = ts.getTrailingCommentRanges(text, node.getEnd() + 1) ?? [];
  const note = trail.map((r) => text.slice(r.pos, r.end).replace(/^\/\/\s?/, '')).join(' ');
  return [doc, note && `TLS alert: ${note}`].filter(Boolean).join(' ');
}

/**
 * Scans src/ (or `files`, a map path → text, for tests). Returns the tables
 * in file order and every use of a code literal outside a table.
 */
export function collect(files) {
  const sources = files ?? new Map(tsFiles(join(root, 'src')).map((p) => [relative(root, p), readFileSync(p, 'utf8')]));
  const tables = [];
  const uses = new Map();
  for (const [file, text] of sources) {
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node, table) => {
      if (
        ts.isVariableDeclaration(node) &&
        ts.isIdentifier(node.name) &&
        /ErrorCodes$/.test(node.name.text) &&
        node.initializer
      ) {
        let init = node.initializer;
        while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))
          init = init.expression;
        if (ts.isObjectLiteralExpression(init)) {
          table = { name: node.name.text, file, entries: [] };
          tables.push(table);
          for (const p of init.properties) {
            if (!ts.isPropertyAssignment(p)) continue;
            const key = p.name.getText(sf);
            if (ts.isStringLiteralLike(p.initializer))
              table.entries.push({ key, code: p.initializer.text, doc: describe(p, text), defines: true });
            else table.entries.push({ key, ref: p.initializer.getText(sf), defines: false });
          }
          return; // the literals inside were recorded as definitions
        }
      }
      if (ts.isStringLiteralLike(node) && CODE_RE.test(node.text)) {
        if (!uses.has(node.text)) uses.set(node.text, new Set());
        uses.get(node.text).add(file);
      }
      ts.forEachChild(node, (c) => visit(c, table));
    };
    visit(sf, undefined);
  }
  return { tables, uses };
}

/** Codes used but defined in no table, and codes defined in more than one table (or twice in one). */
export function problems(scan = collect()) {
  const defined = new Map();
  for (const t of scan.tables)
    for (const e of t.entries.filter((x) => x.defines)) {
      if (!defined.has(e.code)) defined.set(e.code, []);
      defined.get(e.code).push(`${t.name}.${e.key}`);
    }
  const out = [];
  for (const [code, where] of defined)
    if (where.length > 1) out.push(`${code} defined ${where.length} times: ${where.join(', ')}`);
  for (const [code, files] of scan.uses)
    if (!defined.has(code)) out.push(`${code} used in ${[...files].join(', ')} but defined in no *ErrorCodes table`);
  for (const t of scan.tables)
    for (const e of t.entries.filter((x) => x.defines))
      if (!CODE_RE.test(e.code)) out.push(`${t.name}.${e.key}: "${e.code}" is not an ERR_ code`);
  return out;
}

/** docs/errors.md from the tables. */
export function render(scan = collect()) {
  const lines = [
    '# Error codes',
    '',
    '<!-- Generated by `node scripts/gen-errors.mjs --write` from the `*ErrorCodes` tables in src/; do not edit. -->',
    '',
    'Every failure the SDK reports is a `QsignError` (or a subclass) whose `code` is one of the strings below;',
    '`QsignError.code` is typed as their union, `QsignErrorCode`. Codes are stable across versions: match on the',
    'code, not on the message. Each code is defined in exactly one table (the layer that raises it); a table',
    'may re-export a code of a lower layer, listed under "Also raises".',
    '',
  ];
  for (const t of scan.tables) {
    lines.push(`## \`${t.name}\` (\`${t.file}\`)`, '');
    const own = t.entries.filter((e) => e.defines);
    if (own.length) {
      lines.push('| Code | Key | Meaning |', '| ---- | --- | ------- |');
      for (const e of own) lines.push(`| \`${e.code}\` | \`${e.key}\` | ${e.doc.replace(/\|/g, '\\|') || '—'} |`);
      lines.push('');
    }
    const refs = t.entries.filter((e) => !e.defines);
    if (refs.length) lines.push(`Also raises: ${refs.map((e) => `\`${e.key}\` (= \`${e.ref}\`)`).join(', ')}.`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const scan = collect();
  const bad = problems(scan);
  const text = render(scan);
  if (process.argv.includes('--write')) writeFileSync(join(root, DOC), text);
  let current = '';
  try {
    current = readFileSync(join(root, DOC), 'utf8');
  } catch {
    /* missing: reported below */
  }
  if (current !== text) bad.push(`${DOC} differs from the tables; run node scripts/gen-errors.mjs --write`);
  for (const b of bad) console.error(b);
  process.exit(bad.length ? 1 : 0);
}
