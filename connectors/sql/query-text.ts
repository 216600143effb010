/**
 * The job query as the inside of a derived table: `SELECT * FROM (<here>) q`.
 */
import type { SqlKind } from './dialect.js';
import { trailingSemicolonStart } from './statement-guard.js';
import { LEXICAL_RULES, tokenize } from './sql-tokens.js';

/**
 * Drops the trailing semicolon (and any comment after it) and puts the query
 * on lines of its own, so a trailing `-- comment` cannot swallow the closing
 * parenthesis.
 */
export function derivedTableBody(query: string, kind: SqlKind): string {
  const lexed = tokenize(query, LEXICAL_RULES[kind]);
  let body = query;
  if (lexed.ok) {
    const end = trailingSemicolonStart(lexed.tokens);
    if (end < lexed.tokens.length) body = query.slice(0, lexed.tokens[end]!.at);
  }
  return `\n${body.trim()}\n`;
}
