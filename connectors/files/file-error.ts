/**
 * A file refused by a reader. The code is one of the catalogue's FILE_*
 * codes; `params` carries the facts (a line, a column, a limit) as values,
 * so the gateway can word its report in Chinese without parsing English.
 */
import { ConnectorError, type ConnectorErrorCode } from '../errors.js';

export type FileErrorCode = Extract<ConnectorErrorCode, `FILE_${string}`>;
export type FileErrorParams = Readonly<Record<string, string | number>>;

export class FileError extends ConnectorError {
  readonly params: FileErrorParams;
  constructor(code: FileErrorCode, params: FileErrorParams = {}, options?: { cause?: unknown }) {
    const detail = Object.entries(params).map(([k, v]) => `${k} ${v}`).join(', ');
    super(code, detail || undefined, options);
    this.params = params;
  }
}
