/**
 * The job query made fit to sit inside a SQL Server derived table. Two things
 * every other database accepts there are errors in T-SQL:
 *
 * - a common table expression: `SELECT * FROM (WITH a AS (…) SELECT …) AS q`
 *   does not parse, so the `WITH …` list is lifted in front of the paging
 *   statement, where the derived table can still name its CTEs;
 * - an ORDER BY without TOP/OFFSET/FOR (error 1033). The page's own ORDER BY
 *   decides the order anyway, so a trailing top-level ORDER BY is dropped.
 *
 * Both are found with the shared tokenizer, so a parenthesis or a keyword
 * inside a string, a [bracketed name] or a comment is never mistaken for code.
 */
import { derivedTableBody } from '../sql/query-text.js';
import { LEXICAL_RULES, tokenize, type Token } from '../sql/sql-tokens.js';

export interface MssqlDerivedTable {
  /** `WITH a AS (…), b AS (…)` and a newline, or '' when the query has no CTE. */
  ctes: string;
  /** What goes between the derived table's parentheses. */
  body: string;
}

export function mssqlDerivedTable(query: string): MssqlDerivedTable {
  const text = derivedTableBody(query, 'mssql');
  const lexed = tokenize(text, LEXICAL_RULES.mssql);
  // The statement guard has already refused what the tokenizer cannot read; leave such text to the server's own error.
  if (!lexed.ok) return { ctes: '', body: text };
  const mainAt = mainQueryStart(lexed.tokens);
  const split = mainAt === 0 ? 0 : lexed.tokens[mainAt]!.at;
  const main = lexed.tokens.slice(mainAt);
  const orderAt = droppableOrderBy(main);
  const end = orderAt === null ? text.length : main[orderAt]!.at;
  return {
    ctes: split === 0 ? '' : `${text.slice(0, split).trim()}\n`,
    body: `\n${text.slice(split, end).trim()}\n`,
  };
}

function isWord(token: Token | undefined, word: string): boolean {
  return token?.kind === 'word' && token.text.toUpperCase() === word;
}

function isSymbol(token: Token | undefined, symbol: string): boolean {
  return token?.kind === 'symbol' && token.text === symbol;
}

/** Index just past the parenthesised group opening at `open`, or -1 when it never closes. */
function closeOf(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isSymbol(tokens[i], '(')) depth += 1;
    else if (isSymbol(tokens[i], ')')) {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * Where the main SELECT starts after a leading `WITH name [(cols)] AS (…), …`
 * (also `WITH XMLNAMESPACES (…)`); 0 when the query does not start with WITH.
 * After each parenthesised group at the top level, a comma starts the next
 * element, AS leads to the CTE's body, and anything else is the main query.
 */
function mainQueryStart(tokens: Token[]): number {
  if (!isWord(tokens[0], 'WITH')) return 0;
  let i = 1;
  while (i < tokens.length) {
    if (isSymbol(tokens[i], '(')) {
      const end = closeOf(tokens, i);
      if (end === -1) return 0;
      const next = tokens[end];
      if (isSymbol(next, ',')) i = end + 1;
      else if (isWord(next, 'AS')) i = end;
      else return end < tokens.length ? end : 0;
    } else i += 1;
  }
  return 0;
}

/** Index of a trailing top-level ORDER BY that SQL Server would refuse in a derived table, or null. */
function droppableOrderBy(tokens: Token[]): number | null {
  let depth = 0;
  let orderAt: number | null = null;
  let limited = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isSymbol(t, '(')) depth += 1;
    else if (isSymbol(t, ')')) depth -= 1;
    else if (depth === 0) {
      if (isWord(t, 'ORDER') && isWord(tokens[i + 1], 'BY')) orderAt = i;
      // TOP, OFFSET … FETCH and FOR XML/JSON give the ORDER BY a meaning of its own: keep it.
      else if (isWord(t, 'TOP') || isWord(t, 'OFFSET') || (isWord(t, 'FOR') && (isWord(tokens[i + 1], 'XML') || isWord(tokens[i + 1], 'JSON')))) limited = true;
    }
  }
  return limited ? null : orderAt;
}

/** Where a statement `[WITH …] SELECT TOP (<n>) * FROM …` has its row count and its `*`. */
export interface TopStar {
  /** Offsets of the text between TOP's parentheses. */
  top: [start: number, end: number];
  /** Offset of the `*` that is the whole select list. */
  star: number;
}

/** The shape of the statements mssql-dialect.ts writes for pages; null for any other statement. */
export function topStar(sql: string): TopStar | null {
  const lexed = tokenize(sql, LEXICAL_RULES.mssql);
  if (!lexed.ok) return null;
  const tokens = lexed.tokens;
  const at = mainQueryStart(tokens);
  if (!isWord(tokens[at], 'SELECT') || !isWord(tokens[at + 1], 'TOP') || !isSymbol(tokens[at + 2], '(')) return null;
  const end = closeOf(tokens, at + 2);
  if (end === -1 || !isSymbol(tokens[end], '*')) return null;
  return { top: [tokens[at + 2]!.at + 1, tokens[end - 1]!.at], star: tokens[end]!.at };
}

/** The statement with another row count in TOP (…). */
export function withTop(sql: string, shape: TopStar, count: string): string {
  return `${sql.slice(0, shape.top[0])}${count}${sql.slice(shape.top[1])}`;
}

/** The statement with `list` for its `*`. */
export function withSelectList(sql: string, shape: TopStar, list: string): string {
  return `${sql.slice(0, shape.star)}${list}${sql.slice(shape.star + 1)}`;
}
