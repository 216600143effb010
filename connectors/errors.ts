/**
 * The connectors' error catalogue. Connectors throw ConnectorError with one
 * of these codes; the gateway shows the code and the action.
 */
export const CONNECTOR_ERRORS = {
  SOURCE_UNAVAILABLE: { message: 'the source database cannot be opened', action: 'check that the database is running and the path/host, user and password are right' },
  SOURCE_QUERY_FAILED: { message: 'the job query failed on the source database', action: 'run the job query by hand on the database and fix the SQL or the grants' },
  SOURCE_CURSOR_COLUMN_MISSING: { message: 'a cursor or key column is not in the query result', action: 'select the column in the job query or fix the job cursor/key' },
  SOURCE_BINARY_COLUMN: { message: 'a binary column cannot be sent as a record value', action: 'leave the column out of the job query or convert it in SQL' },
  SOURCE_NOT_OPEN: { message: 'the source was used before it was opened', action: 'report this as a bug' },
  SOURCE_CONNECTION_LOST: { message: 'the connection to the source database was lost', action: 'nothing to do if it recovers: the job resumes from its last committed cursor; otherwise check that the database is running and reachable' },
  SOURCE_QUERY_TIMEOUT: { message: 'the job query ran longer than the source allows and was cancelled', action: 'add an index on the cursor columns, simplify the query, or raise queryTimeoutMs' },
  SOURCE_STATEMENT_REFUSED: { message: 'the job query is not a single read-only SELECT/WITH statement', action: 'rewrite the job query as one SELECT (or WITH … SELECT) that changes nothing' },
  SOURCE_OPTIONS_INVALID: { message: 'the source options are not usable', action: 'fix the source entry in the configuration' },
} as const;

export type ConnectorErrorCode = keyof typeof CONNECTOR_ERRORS;

export class ConnectorError extends Error {
  readonly code: ConnectorErrorCode;
  readonly action: string;
  constructor(code: ConnectorErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${CONNECTOR_ERRORS[code].message}: ${detail}` : CONNECTOR_ERRORS[code].message, options);
    this.name = 'ConnectorError';
    this.code = code;
    this.action = CONNECTOR_ERRORS[code].action;
  }
}
