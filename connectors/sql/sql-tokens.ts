/**
 * A small SQL tokenizer: enough to tell code from string literals, quoted
 * identifiers and comments, which is all the statement guard needs. Each
 * database reads the same text a little differently (MySQL's backslash
 * escapes, '#' comments and '--' that needs a space, PostgreSQL's dollar
 * quotes and nested comments, SQL Server's [brackets], Oracle's q'[…]'), so
 * the tokenizer takes the lexical rules of one kind. Anything it cannot close
 * (an unterminated quote or comment) is an error: the guard refuses what it
 * cannot read.
 */
import type { SqlKind } from './dialect.js';

export type TokenKind = 'word' | 'number' | 'string' | 'quoted' | 'symbol';

export interface Token {
  kind: TokenKind;
  /** Words as written; strings and quoted identifiers without their quotes; symbols as one character (or '::'). */
  text: string;
  /** Offset in the source text. */
  at: number;
}

export interface LexicalRules {
  backslashEscapes: boolean;
  doubleQuoteIsString: boolean;
  backticks: boolean;
  brackets: boolean;
  dollarQuotes: boolean;
  /** PostgreSQL E'…' strings take backslash escapes. */
  escapeStrings: boolean;
  nestedComments: boolean;
  hashComments: boolean;
  /** MySQL: '--' starts a comment only when followed by whitespace or a control character. */
  dashDashNeedsSpace: boolean;
  oracleQQuotes: boolean;
  /** MySQL runs the content of '/*! … *\/' as code: refuse it rather than guess. */
  executableComments: boolean;
}

export const LEXICAL_RULES: Record<SqlKind, LexicalRules> = {
  postgres: { backslashEscapes: false, doubleQuoteIsString: false, backticks: false, brackets: false, dollarQuotes: true, escapeStrings: true, nestedComments: true, hashComments: false, dashDashNeedsSpace: false, oracleQQuotes: false, executableComments: false },
  mysql: { backslashEscapes: true, doubleQuoteIsString: true, backticks: true, brackets: false, dollarQuotes: false, escapeStrings: false, nestedComments: false, hashComments: true, dashDashNeedsSpace: true, oracleQQuotes: false, executableComments: true },
  mssql: { backslashEscapes: false, doubleQuoteIsString: false, backticks: false, brackets: true, dollarQuotes: false, escapeStrings: false, nestedComments: true, hashComments: false, dashDashNeedsSpace: false, oracleQQuotes: false, executableComments: false },
  oracle: { backslashEscapes: false, doubleQuoteIsString: false, backticks: false, brackets: false, dollarQuotes: false, escapeStrings: false, nestedComments: false, hashComments: false, dashDashNeedsSpace: false, oracleQQuotes: true, executableComments: false },
  sqlite: { backslashEscapes: false, doubleQuoteIsString: false, backticks: true, brackets: true, dollarQuotes: false, escapeStrings: false, nestedComments: false, hashComments: false, dashDashNeedsSpace: false, oracleQQuotes: false, executableComments: false },
};

/**
 * The readings a kind's server may apply. PostgreSQL before 9.1 (and any
 * server with standard_conforming_strings off) also reads backslashes in
 * plain strings as escapes.
 */
export function readingsOf(kind: SqlKind): LexicalRules[] {
  const rules = LEXICAL_RULES[kind];
  return kind === 'postgres' ? [rules, { ...rules, backslashEscapes: true }] : [rules];
}

export type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; reason: string };

const WORD_START = /[\p{L}_]/u;
const WORD_PART = /[\p{L}\p{N}_$#@]/u;
const Q_PAIRS: Record<string, string> = { '[': ']', '{': '}', '(': ')', '<': '>' };

export function tokenize(sql: string, rules: LexicalRules): TokenizeResult {
  const tokens: Token[] = [];
  const n = sql.length;
  let i = 0;
  const fail = (reason: string): TokenizeResult => ({ ok: false, reason });

  /** Reads a quoted run from i (at the opening quote); returns the end index after the closing quote, or -1. */
  const readQuoted = (close: string, backslash: boolean): { end: number; text: string } | null => {
    let j = i + 1;
    let text = '';
    while (j < n) {
      const c = sql[j]!;
      if (backslash && c === '\\') {
        text += sql.slice(j, j + 2);
        j += 2;
        continue;
      }
      if (c === close) {
        if (sql[j + 1] === close) {
          text += c;
          j += 2;
          continue;
        }
        return { end: j + 1, text };
      }
      text += c;
      j += 1;
    }
    return null;
  };

  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/\s/u.test(c)) {
      i += 1;
      continue;
    }
    // Comments.
    if (c === '-' && next === '-' && (!rules.dashDashNeedsSpace || i + 2 >= n || /[\s\x00-\x1f]/.test(sql[i + 2]!))) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
      continue;
    }
    if (c === '#' && rules.hashComments) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
      continue;
    }
    if (c === '/' && next === '*') {
      if (rules.executableComments && sql[i + 2] === '!') return fail('MySQL executable comments (/*! … */) are not allowed');
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (sql[j] === '*' && sql[j + 1] === '/') {
          depth -= 1;
          j += 2;
        } else if (rules.nestedComments && sql[j] === '/' && sql[j + 1] === '*') {
          depth += 1;
          j += 2;
        } else j += 1;
      }
      if (depth > 0) return fail('a comment is not closed');
      i = j;
      continue;
    }
    // Oracle alternative quoting: q'[ … ]', nq'{ … }'.
    if (rules.oracleQQuotes && ((/[qQ]/.test(c) && next === "'") || (/[nN]/.test(c) && /[qQ]/.test(next ?? '') && sql[i + 2] === "'"))) {
      const open = c === 'q' || c === 'Q' ? i + 2 : i + 3;
      const delimiter = sql[open];
      if (delimiter === undefined || /\s/.test(delimiter)) return fail('an Oracle q-quoted string is not closed');
      const closing = (Q_PAIRS[delimiter] ?? delimiter) + "'";
      const end = sql.indexOf(closing, open + 1);
      if (end === -1) return fail('an Oracle q-quoted string is not closed');
      tokens.push({ kind: 'string', text: sql.slice(open + 1, end), at: i });
      i = end + 2;
      continue;
    }
    // PostgreSQL escape strings E'…' take backslash escapes even when standard strings do not.
    if ((c === 'E' || c === 'e') && next === "'" && rules.escapeStrings) {
      i += 1;
      const q = readQuoted("'", true);
      if (!q) return fail('a string literal is not closed');
      tokens.push({ kind: 'string', text: q.text, at: i - 1 });
      i = q.end;
      continue;
    }
    if (c === "'") {
      const q = readQuoted("'", rules.backslashEscapes);
      if (!q) return fail('a string literal is not closed');
      tokens.push({ kind: 'string', text: q.text, at: i });
      i = q.end;
      continue;
    }
    if (c === '"') {
      const q = readQuoted('"', rules.doubleQuoteIsString && rules.backslashEscapes);
      if (!q) return fail('a double-quoted name or string is not closed');
      tokens.push({ kind: rules.doubleQuoteIsString ? 'string' : 'quoted', text: q.text, at: i });
      i = q.end;
      continue;
    }
    if (c === '`' && rules.backticks) {
      const q = readQuoted('`', false);
      if (!q) return fail('a back-quoted name is not closed');
      tokens.push({ kind: 'quoted', text: q.text, at: i });
      i = q.end;
      continue;
    }
    if (c === '[' && rules.brackets) {
      const q = readQuoted(']', false);
      if (!q) return fail('a bracketed name is not closed');
      tokens.push({ kind: 'quoted', text: q.text, at: i });
      i = q.end;
      continue;
    }
    if (c === '$' && rules.dollarQuotes) {
      const tag = /^\$(?:[\p{L}_][\p{L}\p{N}_]*)?\$/u.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        if (end === -1) return fail('a dollar-quoted string is not closed');
        tokens.push({ kind: 'string', text: sql.slice(i + tag[0].length, end), at: i });
        i = end + tag[0].length;
        continue;
      }
    }
    if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < n && WORD_PART.test(sql[j]!)) j += 1;
      tokens.push({ kind: 'word', text: sql.slice(i, j), at: i });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      // Only the number itself: letters right after it are read as a word, so
      // nothing hides behind a digit.
      const m = /^[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?/.exec(sql.slice(i))!;
      tokens.push({ kind: 'number', text: m[0], at: i });
      i += m[0].length;
      continue;
    }
    tokens.push({ kind: 'symbol', text: c, at: i });
    i += 1;
  }
  return { ok: true, tokens };
}
