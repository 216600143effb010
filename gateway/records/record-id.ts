import type { Value } from '../../connectors/contract.js';
import { sha256Hex } from './serialize.js';

/** Separator between key values (spec section 2). */
export const KEY_SEPARATOR = '\u001f';

/** The source key values of one row as the spec's `key` string. */
export function joinKey(values: readonly Value[]): string {
  return values.map((v) => (v === null ? '' : String(v))).join(KEY_SEPARATOR);
}

/** Stable record id: lowercase hex SHA-256 of gatewayId \n category \n key. */
export function recordId(gatewayId: string, category: string, key: string): string {
  return sha256Hex(`${gatewayId}\n${category}\n${key}`);
}
