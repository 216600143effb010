/**
 * What `credit-gateway init` reads of the department's database: its tables
 * and a table's columns, through the source's own connector (read-only
 * session, the same driver `start` uses): catalogue queries, and a sample of
 * the first rows of each chosen table, read as its job would read them.
 */
import type { ColumnInfo, Row, Source, TableInfo } from '../../connectors/contract.js';
import { createSource, type SourceOptions } from '../../connectors/registry.js';
import { closeMatches } from '../catalog/close-matches.js';
import type { SourceAnswers } from './config-document.js';
import { InitError } from './errors.js';
import { columnKey } from './match-columns.js';

export interface DatabaseListing {
  readonly tables: readonly TableInfo[];
  columns(table: string): Promise<ColumnInfo[]>;
  /** The first rows of a job query in key order, as the job would read them. */
  sample(query: string, key: readonly string[], rows: number): Promise<Row[]>;
  close(): Promise<void>;
}

function sourceOptions(answers: SourceAnswers, password: string | undefined): SourceOptions {
  const common = { name: 'db', ...(answers.timeZone ? { timeZone: answers.timeZone } : {}) };
  if (answers.kind === 'sqlite') return { ...common, kind: 'sqlite', file: answers.file! };
  return {
    ...common,
    kind: answers.kind,
    host: answers.host!,
    ...(answers.port !== undefined ? { port: answers.port } : {}),
    database: answers.database!,
    user: answers.user!,
    password: password ?? '',
  };
}

export async function openDatabaseListing(answers: SourceAnswers, password: string | undefined): Promise<DatabaseListing> {
  const source: Source = await createSource(sourceOptions(answers, password));
  try {
    await source.open();
    if (!source.listTables || !source.listColumns) throw new InitError('INIT_ANSWER_INVALID', `a ${answers.kind} source cannot list its tables`);
    const tables = await source.listTables();
    const listColumns = source.listColumns.bind(source);
    return {
      tables,
      columns: (table) => listColumns(table),
      sample: (query, key, rows) => source.readPage({ query, cursorColumns: [...key], after: null, limit: rows }),
      close: () => source.close(),
    };
  } catch (err) {
    await source.close().catch(() => undefined);
    throw err;
  }
}

/** The listed table a name means: exactly, else the one that differs only in case; otherwise INIT_TABLE_UNKNOWN with the closest names. */
export function findTable(tables: readonly TableInfo[], name: string, forWhat: string): TableInfo {
  const exact = tables.find((t) => t.name === name);
  if (exact) return exact;
  const folded = tables.filter((t) => t.name.toLowerCase() === name.toLowerCase());
  if (folded.length === 1) return folded[0]!;
  const close = closeMatches(columnKey(name), tables.map((t) => ({ item: t.name, names: [columnKey(t.name)] })), 3, 0.6);
  const hint = close.length > 0 ? `; did you mean ${close.join(', ')}?` : `; tables: ${tables.map((t) => t.name).slice(0, 30).join(', ') || 'none'}`;
  throw new InitError('INIT_TABLE_UNKNOWN', `"${name}" (${forWhat}) is not a table or view of this database${hint}`);
}
