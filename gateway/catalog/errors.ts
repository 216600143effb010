import type { GatewayErrorCode } from '../errors.js';

/** Errors of the catalog. Branch on `err.code`; codes and actions are in gateway/errors.ts. */
export type CatalogErrorCode = Extract<GatewayErrorCode, 'CATALOG_UNKNOWN_PROVIDER' | 'CATALOG_INVALID' | 'CATALOG_DEPARTMENTS_INVALID'>;

export class CatalogError extends Error {
  readonly code: CatalogErrorCode;
  /** For CATALOG_UNKNOWN_PROVIDER: names of the closest providers, best first. */
  readonly suggestions: readonly string[];
  constructor(code: CatalogErrorCode, message: string, suggestions: readonly string[] = []) {
    super(message);
    this.name = 'CatalogError';
    this.code = code;
    this.suggestions = suggestions;
  }
}

/** "unknown provider 市建设局; close matches: 市城乡建设委员会 (市建委), …" */
export function unknownProvider(query: string, suggestions: readonly string[]): CatalogError {
  const hint = suggestions.length > 0
    ? `; close matches: ${suggestions.join(', ')}`
    : '; list providers with `credit-gateway catalog`';
  return new CatalogError('CATALOG_UNKNOWN_PROVIDER', `unknown provider "${query}"${hint}`, suggestions);
}
