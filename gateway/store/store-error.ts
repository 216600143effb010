/**
 * A caller handed the store something it must not commit. Distinct from the
 * gateway catalogue's STORE_OPEN_FAILED / STORE_MIGRATION_FAILED, which are
 * about the file; branch on `code`.
 */
import type { GatewayErrorCode } from '../errors.js';

export type StoreErrorCode = Extract<GatewayErrorCode, 'STORE_PAGE_INVALID'>;

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
  }
}
