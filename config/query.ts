/**
 * A job's query must be one read-only SELECT or WITH statement: refused when
 * the configuration loads, with the reason, rather than on the department's
 * database. The connectors' own guard decides (the same one runs again before
 * every page), under the lexical rules of the job's source kind when it is
 * known, else of every kind.
 */
import type { SqlKind } from '../connectors/sql/dialect.js';
import { checkSelectOnly } from '../connectors/sql/statement-guard.js';

export function queryProblem(query: string, kind?: SqlKind): string | null {
  const verdict = checkSelectOnly(query, kind);
  return verdict.ok ? null : `must be a single read-only SELECT or WITH statement: ${verdict.reason}`;
}
