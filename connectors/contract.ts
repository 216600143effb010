/**
 * The one contract every source implements. A source knows nothing of the
 * catalog, the store or the platform: it reads pages of plain rows.
 *
 * Values in a Row are already normalised by the source's dialect:
 * exact decimals as strings, DATE as 'YYYY-MM-DD', timestamps as ISO-8601 UTC
 * strings, integers as numbers (or strings beyond 2^53), text as strings,
 * NULL as null.
 */
export type Value = string | number | boolean | null;
export type Row = Record<string, Value>;

/** Position of a keyset cursor: one value per cursor column, in order. */
export type CursorPosition = Value[];

export interface PageRequest {
  /** The job's single SELECT/WITH statement, used as a derived table. */
  query: string;
  /** Columns ordered and compared as one keyset, e.g. ['updated_at', 'id']. */
  cursorColumns: string[];
  /** Read rows strictly after this position; null reads from the beginning. */
  after: CursorPosition | null;
  limit: number;
}

export interface Source {
  readonly name: string;
  readonly kind: string;
  open(): Promise<void>;
  /** One keyset page ordered by cursorColumns; never uses OFFSET. */
  readPage(request: PageRequest): Promise<Row[]>;
  close(): Promise<void>;
}
