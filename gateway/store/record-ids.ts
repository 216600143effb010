/**
 * How record ids and fingerprints are kept in the store: the spec's ids and
 * the fingerprints are sha256 in lowercase hex, kept as their 32 bytes (a
 * BLOB) instead of 64 characters, which halves the rows of record_state
 * (its id index keeps 8 bytes of each, byId). Anything else (a test's short id) is
 * kept as the TEXT it is: SQLite orders and compares a TEXT apart from every
 * BLOB, so the two can never be mistaken for each other. Pure.
 */

const HEX64 = /^[0-9a-f]{64}$/;

/** The stored form of an id or fingerprint. */
export function compact(value: string): string | Buffer {
  return value.length === 64 && HEX64.test(value) ? Buffer.from(value, 'hex') : value;
}

/** The id or fingerprint as the spec writes it, from its stored form. */
export function expand(stored: string | Buffer): string {
  return typeof stored === 'string' ? stored : stored.toString('hex');
}

/** compact() in SQL, for a value that may be either form (a stored BLOB is returned as it is). */
export function compactSql(expr: string): string {
  return `(CASE WHEN typeof(${expr}) = 'text' AND length(${expr}) = 64 AND NOT ${expr} GLOB '*[^0-9a-f]*' THEN unhex(${expr}) ELSE ${expr} END)`;
}

/** expand() in SQL. */
export function expandSql(expr: string): string {
  return `(CASE WHEN typeof(${expr}) = 'blob' THEN lower(hex(${expr})) ELSE ${expr} END)`;
}

/**
 * The SQL condition that finds the record_state row of the stored id `value`
 * (an SQL expression) through its index, which keeps each id's first 8 bytes
 * only (migration 13): the prefix finds the row, the whole id confirms it.
 * On a store before that migration the whole id's unique index answers it.
 */
export function byId(column: string, value: string): string {
  return `(substr(${column}, 1, 8) = substr(${value}, 1, 8) AND ${column} = ${value})`;
}
