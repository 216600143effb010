/**
 * The connectors' error catalogue. Connectors throw ConnectorError with one
 * of these codes; the gateway shows the code and the action.
 */
export const CONNECTOR_ERRORS = {
  SOURCE_UNAVAILABLE: { message: 'the source database cannot be opened', action: 'check that the database is running and the path/host, user and password are right' },
  SOURCE_QUERY_FAILED: { message: 'the job query failed on the source database', action: 'run the job query by hand on the database and fix the SQL or the grants' },
  SOURCE_CURSOR_COLUMN_MISSING: { message: 'a cursor or key column is not in the query result', action: 'select the column in the job query or fix the job cursor/key' },
  SOURCE_BINARY_COLUMN: { message: 'a binary column cannot be sent as a record value', action: 'leave the column out of the job query or convert it in SQL' },
  SOURCE_VALUE_UNREADABLE: { message: 'a value cannot be read as a record value (unsupported type or invalid value)', action: 'convert the column in the job query (e.g. CAST/TO_CHAR), or fix the value in the source row' },
  SOURCE_NOT_OPEN: { message: 'the source was used before it was opened', action: 'report this as a bug' },
  // --- files ---
  FILE_FOLDER_UNAVAILABLE: { message: 'the drop folder cannot be created or watched', action: 'check that the folder exists on a local disk and the gateway user may read and write it' },
  FILE_NAME_INVALID: { message: 'the file name does not follow the drop-folder rule', action: 'name the file <category code>[_<anything>].csv|xlsx|xls|ndjson, e.g. P07-002_2026-11.xlsx, with no path characters' },
  FILE_FORMAT_UNSUPPORTED: { message: 'the file is not CSV, XLSX, XLS or NDJSON', action: 'save it from the template as .xlsx, or as CSV (UTF-8), and drop it again' },
  FILE_NOT_REGULAR: { message: 'the entry is not a plain file (a symbolic or hard link, a folder or a device)', action: 'copy the file itself into the drop folder instead of linking to it' },
  FILE_OUTSIDE_FOLDER: { message: 'the file resolves to a place outside the drop folder', action: 'copy the file itself into the drop folder' },
  FILE_TOO_LARGE: { message: 'the file is larger than the drop folder accepts', action: 'split it into several files of the same category, or raise the size limit' },
  FILE_EMPTY: { message: 'the file has no header row', action: 'put the column names (from the template) in the first row' },
  FILE_ENCODING_INVALID: { message: 'the text is neither valid UTF-8 nor valid GB18030/GBK', action: 'save the file again as CSV (UTF-8) from the template, or fix the damaged line named in the report' },
  FILE_ZIP_BOMB: { message: 'the XLSX file unpacks to far more data than a spreadsheet holds', action: 'open the workbook in Excel, save it again and drop the new file; if it really is that large, send it as CSV' },
  FILE_XLSX_INVALID: { message: 'the XLSX file is damaged or not a workbook', action: 'open it in Excel or WPS, save it again as .xlsx and drop the new file' },
  FILE_XLS_INVALID: { message: 'the .xls file is damaged or not an Excel 97-2003 workbook (e.g. a web page or text saved under an .xls name)', action: 'open it in Excel or WPS, save it again as .xlsx and drop the new file' },
  FILE_XLS_ENCRYPTED: { message: 'the workbook is protected by a password (encrypted)', action: 'open it in Excel or WPS, remove the password (or the workbook protection), save it again and drop the new file' },
  FILE_XLS_TOO_COMPLEX: { message: 'reading the .xls file needed more memory or time than allowed', action: 'open it in Excel or WPS, save it again as .xlsx (read row by row) or split it, and drop the new file' },
  FILE_CSV_MALFORMED: { message: 'the CSV text cannot be read as rows (e.g. a quote is never closed)', action: 'open the file in Excel, fix the row named in the report and save it again as CSV' },
  FILE_ROW_TOO_LARGE: { message: 'a row is longer than the drop folder accepts', action: 'check the row named in the report: it usually means a quote was never closed' },
  FILE_HEADER_EMPTY: { message: 'a column in the header row has no name', action: 'give every column a name from the template, or delete the empty column' },
  FILE_HEADER_DUPLICATE: { message: 'two columns in the header row have the same name', action: 'keep one column per name' },
  FILE_TOO_MANY_COLUMNS: { message: 'the header row has more columns than the drop folder accepts', action: 'use the template: it has one column per field of the data standard' },
  FILE_ROW_RAGGED: { message: 'a row has a different number of cells than the header', action: 'fix the row named in the report (often a comma inside a value that was not quoted)' },
  FILE_CELL_TOO_LARGE: { message: 'a cell holds more text than the drop folder accepts', action: 'shorten the cell named in the report' },
  FILE_FORMULA_CELL: { message: 'a cell holds a formula; formulas are never evaluated', action: 'copy the cells and paste them as values only, then save and drop the file again' },
  FILE_CELL_ERROR: { message: 'a cell holds a spreadsheet error value or something that is not a value', action: 'replace the cell named in the report with the value itself' },
  FILE_JSON_INVALID: { message: 'an NDJSON line is not one JSON object', action: 'fix the line named in the report: one JSON object per line' },
  FILE_CELL_NOT_SCALAR: { message: 'an NDJSON value is an object or array, not text, number, true/false or null', action: 'flatten the value into one field per column' },
  FILE_NUMBER_PRECISION: { message: 'a number has more digits than a spreadsheet or JSON number keeps exactly', action: 'store codes and identity numbers as text (format the column as text, or quote the value) and enter them again' },
  FILE_CHANGED_WHILE_READING: { message: 'the file changed while it was being read', action: 'none: it is read again once it stops changing; write files under a temporary name and rename them when complete' },
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
