/**
 * Oracle as a SqlDialect: the SQL it is sent, nothing else. Pure.
 *
 * Paging has two spellings, chosen by how the source connects (not by asking
 * the server): thin mode reaches only 12.1 and later, so it pages with
 * `… ORDER BY … FETCH FIRST :n ROWS ONLY`; thick mode (thickLibDir) is what
 * 11g needs, so it pages with the top-N form every version understands,
 * `SELECT * FROM (… ORDER BY …) WHERE ROWNUM <= :n`.
 *
 * Read-only: Oracle has no read-only session, only read-only transactions
 * (`SET TRANSACTION READ ONLY`, refused DML with ORA-01456), and such a
 * transaction reads one snapshot for as long as it lasts. Set once per
 * connection it would hide every change committed after the gateway
 * connected, and end in ORA-01555 on a busy server; so the driver opens one
 * around each statement and rolls it back after (oracle-driver.ts), and the
 * session statements here only fix how text is read.
 *
 * Identifiers: a lower-case simple name in the configuration means Oracle's
 * folded upper-case name (`updated_at` → "UPDATED_AT"); any other name is
 * quoted as written (see oracle-types.ts).
 */
import type { Value } from '../contract.js';
import type { CursorContext, NormaliseContext, OpenTransactionsSql, PageSqlRequest, SqlDialect, SqlText, WindowSqlRequest } from '../sql/dialect.js';
import { checkedLimit, columnsOnlySql, nullCountSql, pageParts, windowCountSql, type SqlWriter } from '../sql/page-sql.js';
import { normaliseOracleValue, oracleBindSql, oracleCursorParam, oracleStoredName } from './oracle-types.js';

export type OraclePaging = 'fetch-first' | 'rownum';

export function quoteOracleIdentifier(name: string): string {
  // A NUL cannot be in an identifier and would end the statement text early.
  if (name.includes('\0')) throw new Error('an identifier cannot contain a NUL character');
  return `"${oracleStoredName(name).replace(/"/g, '""')}"`;
}

const placeholder = (index: number) => `:${index}`;

/** Oracle takes no AS before a table alias. */
const writer: SqlWriter = { kind: 'oracle', quoteIdentifier: quoteOracleIdentifier, placeholder, derivedAlias: 'q' };

/**
 * The values in the order page-sql.ts places them: for each cursor column the
 * equalities on the columns before it, then its own value; then `through`.
 */
function placedValues(request: WindowSqlRequest): unknown[] {
  const keyset = request.after ? request.after.flatMap((value, i) => [...request.after!.slice(0, i), value]) : [];
  return request.through === undefined ? keyset : [...keyset, request.through];
}

/** Each placeholder written with the conversion its value needs (TO_DATE …). */
function typedWriter(request: WindowSqlRequest): SqlWriter {
  const values = placedValues(request);
  return { ...writer, placeholder: (index) => oracleBindSql(values[index - 1], placeholder(index)) };
}

function pageSql(request: PageSqlRequest, paging: OraclePaging): SqlText {
  const parts = pageParts(typedWriter(request), request);
  const params = [...parts.params, checkedLimit(request.limit)];
  const limit = placeholder(params.length);
  // ORDER BY names the derived table's columns, not the select list's: the
  // driver may send the page with time columns as text under the same names
  // (oracleTextSelectList), and the order must stay the columns' own, by index.
  const orderBy = request.cursorColumns.map((c) => `q.${quoteOracleIdentifier(c)}`).join(', ');
  const sql =
    paging === 'fetch-first'
      ? `SELECT * FROM ${parts.from} WHERE ${parts.where} ORDER BY ${orderBy} FETCH FIRST ${limit} ROWS ONLY`
      : `SELECT * FROM (${parts.sql}) WHERE ROWNUM <= ${limit}`;
  return { sql, params };
}

/** Any way the account can change data: system privileges, object grants (direct or through an enabled role), or tables of its own. */
const CAN_WRITE_SQL = `SELECT CASE WHEN EXISTS (SELECT 1 FROM session_privs WHERE privilege IN ('INSERT ANY TABLE', 'UPDATE ANY TABLE', 'DELETE ANY TABLE', 'CREATE ANY TABLE', 'ALTER ANY TABLE', 'DROP ANY TABLE'))
  OR EXISTS (SELECT 1 FROM user_tab_privs WHERE grantee = USER AND privilege IN ('INSERT', 'UPDATE', 'DELETE'))
  OR EXISTS (SELECT 1 FROM role_tab_privs WHERE privilege IN ('INSERT', 'UPDATE', 'DELETE') AND role IN (SELECT role FROM session_roles))
  OR EXISTS (SELECT 1 FROM user_tables)
  THEN 1 ELSE 0 END AS can_write FROM DUAL`;

/**
 * The oldest write still open, for the read bound
 * (SqlSource.openTransactions). A transaction appears in v$transaction at its
 * first change; the statement making it took its SYSDATE/SYSTIMESTAMP when it
 * started, which an active statement other than a SELECT (command 3) shows
 * as sql_exec_start. Both are DATEs: whole seconds in the server's own zone
 * (SYSDATE's, the offset SYSTIMESTAMP carries), moved to UTC, less 1 s for
 * their precision. Both views need SELECT on V_$TRANSACTION and V_$SESSION
 * (or SELECT_CATALOG_ROLE); without it they do not exist for the account.
 * A standby (DATABASE_ROLE other than PRIMARY) applies the primary's rows.
 */
const OPEN_TRANSACTIONS_SQL = `SELECT TO_CHAR(SYS_EXTRACT_UTC(FROM_TZ(CAST(MIN(o.started) AS TIMESTAMP), TO_CHAR(SYSTIMESTAMP, 'TZH:TZM'))) - INTERVAL '1' SECOND,
    'YYYY-MM-DD"T"HH24:MI:SS.FF3"Z"') AS "oldest",
  CASE WHEN SYS_CONTEXT('USERENV', 'DATABASE_ROLE') = 'PRIMARY' THEN 0 ELSE 1 END AS "replica"
  FROM (
    SELECT t.start_date AS started FROM v$transaction t JOIN v$session s ON s.taddr = t.addr
      WHERE s.sid <> TO_NUMBER(SYS_CONTEXT('USERENV', 'SID'))
    UNION ALL
    SELECT s.sql_exec_start FROM v$session s
      WHERE s.status = 'ACTIVE' AND s.type = 'USER' AND s.command <> 3 AND s.sid <> TO_NUMBER(SYS_CONTEXT('USERENV', 'SID'))
  ) o`;

export const ORACLE_OPEN_TRANSACTIONS: OpenTransactionsSql = {
  statements: [OPEN_TRANSACTIONS_SQL],
  how: 'v$transaction',
  privilege: 'SELECT ON V_$TRANSACTION, V_$SESSION',
  denied: /ORA-00942|ORA-01031/,
};

export function createOracleDialect(paging: OraclePaging): SqlDialect {
  return {
    kind: 'oracle',

    quoteIdentifier: quoteOracleIdentifier,

    placeholder,

    pageSql: (request) => pageSql(request, paging),

    columnsSql: (query) => columnsOnlySql(writer, query),

    // Text, not a TIMESTAMP: oracledb would build the Date in the gateway's own zone.
    clockSql: () => `SELECT TO_CHAR(SYS_EXTRACT_UTC(SYSTIMESTAMP), 'YYYY-MM-DD"T"HH24:MI:SS.FF3"Z"') AS "now" FROM DUAL`,

    factsSql: () => ({
      // V$VERSION needs a grant a read-only account often lacks; PRODUCT_COMPONENT_VERSION is public.
      version: `SELECT MAX(product || ' ' || version) AS version FROM product_component_version WHERE UPPER(product) LIKE 'ORACLE%'`,
      // The server's own offset, which SYSDATE and the applications' naive timestamps follow.
      // DBTIMEZONE only governs TIMESTAMP WITH LOCAL TIME ZONE storage; SESSIONTIMEZONE is the gateway's.
      timeZone: `SELECT TO_CHAR(SYSTIMESTAMP, 'TZR') AS time_zone FROM DUAL`,
      canWrite: CAN_WRITE_SQL,
    }),

    countSql: (request) => windowCountSql(typedWriter(request), request),

    // The login's own schema: where a job's unqualified `FROM t` reads.
    tablesSql: () => ({
      sql: `SELECT table_name AS "table_name", 'table' AS "table_type" FROM user_tables
        UNION ALL SELECT view_name, 'view' FROM user_views ORDER BY 1`,
      params: [],
    }),

    tableColumnsSql: (table) => ({
      sql: `SELECT c.column_name AS "column_name", c.data_type AS "data_type",
        CASE WHEN EXISTS (SELECT 1 FROM user_constraints k JOIN user_cons_columns kc ON kc.constraint_name = k.constraint_name
          WHERE k.table_name = c.table_name AND k.constraint_type = 'P' AND kc.column_name = c.column_name)
        THEN 1 ELSE 0 END AS "is_key"
        FROM user_tab_columns c WHERE c.table_name = :1 ORDER BY c.column_id`,
      params: [table],
    }),

    nullCountSql: (query, cursorColumns) => nullCountSql(writer, query, cursorColumns),

    openTransactionsSql: () => ORACLE_OPEN_TRANSACTIONS,

    sessionSql: () => oracleSessionSql(),

    naiveTime: (column) => column.type.toUpperCase() === 'DATE' || column.type.toUpperCase() === 'TIMESTAMP',

    normalise: (value: unknown, context: NormaliseContext): Value => normaliseOracleValue(value, context),

    cursorParam: (value: Value, context: CursorContext): unknown => oracleCursorParam(value, context),
  };
}

/**
 * '.' as the decimal point whatever the server's territory: TO_NUMBER of a
 * cursor value, and thick mode's NUMBER-as-text, read it. Oracle reads never
 * wait for row locks, so there is no lock timeout to set; the statement
 * timeout is the driver's callTimeout.
 */
export function oracleSessionSql(): string[] {
  return ["ALTER SESSION SET NLS_NUMERIC_CHARACTERS = '.,'"];
}
