/**
 * The job query must be one SELECT (or WITH … SELECT) that changes nothing.
 * Checked when the configuration is validated, and again before a page is
 * read, so a writing statement never reaches the department's server.
 *
 * This guard is the first of two walls: the source's session is read-only
 * wherever the database offers it, which also stops what no text check can
 * see (a user function that writes). So the guard is deliberately strict and
 * simple: it refuses some queries a database would run harmlessly (a column
 * literally named `set`, say, must be quoted), rather than reason about
 * grammar it cannot fully know.
 *
 * Without a kind, the text must pass under the lexical rules of every
 * database, because a string that hides a semicolon for one (MySQL's \')
 * ends early for another.
 */
import type { SqlKind } from './dialect.js';
import { LEXICAL_RULES, readingsOf, tokenize, type LexicalRules, type Token } from './sql-tokens.js';

export type GuardResult = { ok: true } | { ok: false; reason: string };

/** Words that write, change the schema or grants, run other code, or lock. */
const REFUSED_WORDS = new Set([
  'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'UPSERT', 'DROP', 'ALTER', 'CREATE', 'TRUNCATE', 'RENAME',
  'GRANT', 'REVOKE', 'EXEC', 'EXECUTE', 'CALL', 'DO', 'COPY', 'LOAD', 'HANDLER', 'LOCK', 'SET', 'INTO',
  'OUTFILE', 'DUMPFILE', 'WAITFOR', 'DECLARE', 'PREPARE', 'DEALLOCATE', 'BEGIN', 'COMMIT', 'ROLLBACK',
  'SAVEPOINT', 'SHUTDOWN', 'KILL', 'DBCC', 'OPENROWSET', 'OPENQUERY', 'OPENDATASOURCE', 'PRAGMA',
  'ATTACH', 'DETACH', 'VACUUM', 'NOTIFY', 'LISTEN',
]);

/** Functions with side effects or that sleep: refused when called, i.e. followed by '('. */
const REFUSED_CALLS = new Set([
  'SLEEP', 'BENCHMARK', 'GET_LOCK', 'NEXTVAL', 'SETVAL', 'SET_CONFIG', 'LO_IMPORT', 'LO_EXPORT',
  'PG_READ_FILE', 'PG_READ_BINARY_FILE', 'PG_TERMINATE_BACKEND', 'PG_CANCEL_BACKEND', 'PG_RELOAD_CONF',
  'SP_EXECUTESQL', 'SP_CONFIGURE', 'LOAD_FILE', 'LOAD_EXTENSION',
]);

/** Name prefixes of packages and procedures that reach outside the query: refused anywhere. */
const REFUSED_PREFIXES = ['DBMS_', 'UTL_', 'XP_', 'SP_OA', 'PG_SLEEP', 'PG_ADVISORY', 'DBLINK'];

/** REPLACE is refused as MySQL's statement but allowed as the string function every database has. */
const ALLOWED_AS_CALL = new Set(['REPLACE']);

export function checkSelectOnly(sql: string, kind?: SqlKind): GuardResult {
  if (typeof sql !== 'string' || sql.trim() === '') return { ok: false, reason: 'the query is empty' };
  // Look-alike characters (full-width letters and semicolons) read as what they look like.
  const texts = sql.normalize('NFKC') === sql ? [sql] : [sql, sql.normalize('NFKC')];
  const kinds = kind ? [kind] : (Object.keys(LEXICAL_RULES) as SqlKind[]);
  for (const text of texts) {
    for (const rules of kinds.flatMap(readingsOf)) {
      const result = checkTokens(text, rules);
      if (!result.ok) return result;
    }
  }
  return { ok: true };
}

function checkTokens(sql: string, rules: LexicalRules): GuardResult {
  const lexed = tokenize(sql, rules);
  if (!lexed.ok) return lexed;
  const tokens = lexed.tokens;
  const end = trailingSemicolonStart(tokens);
  const body = tokens.slice(0, end);
  if (body.length === 0) return { ok: false, reason: 'the query is empty' };
  const semicolon = body.find((t) => t.kind === 'symbol' && t.text === ';');
  if (semicolon) return { ok: false, reason: 'only one statement is allowed (a ";" that is not at the end)' };
  const first = body.find((t) => !(t.kind === 'symbol' && t.text === '('));
  const firstWord = first?.kind === 'word' ? first.text.toUpperCase() : '';
  if (firstWord !== 'SELECT' && firstWord !== 'WITH') {
    return { ok: false, reason: `a job query must start with SELECT or WITH, not ${first ? `"${first.text.slice(0, 20)}"` : 'nothing'}` };
  }
  for (let i = 0; i < body.length; i++) {
    const token = body[i]!;
    if (token.kind === 'symbol' && token.text === '\\') return { ok: false, reason: 'backslash commands are not allowed' };
    if (token.kind !== 'word') continue;
    const word = token.text.toUpperCase();
    const called = body[i + 1]?.kind === 'symbol' && body[i + 1]!.text === '(';
    if (REFUSED_WORDS.has(word)) return refused(word);
    if (word === 'REPLACE' && !called) return refused(word);
    if (called && REFUSED_CALLS.has(word) && !ALLOWED_AS_CALL.has(word)) return refused(`${word}()`);
    const prefix = REFUSED_PREFIXES.find((p) => word.startsWith(p));
    if (prefix) return refused(word);
    if (word === 'SHARE' && i > 0 && body[i - 1]!.kind === 'word' && /^(FOR|KEY)$/i.test(body[i - 1]!.text)) return refused('FOR SHARE');
  }
  return { ok: true };
}

/** Index of the trailing semicolon, or the token count when there is none (one is allowed: people end statements with it). */
export function trailingSemicolonStart(tokens: Token[]): number {
  const last = tokens[tokens.length - 1];
  return last && last.kind === 'symbol' && last.text === ';' ? tokens.length - 1 : tokens.length;
}

function refused(what: string): GuardResult {
  return { ok: false, reason: `"${what}" is not allowed in a job query: it must be one SELECT that changes nothing` };
}
