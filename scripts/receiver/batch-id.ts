// Crockford base32 without I, L, O, U; a leading digit above 7 would overflow 128 bits.
const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** X-Batch-Id must be a 26-char ULID or a UUID (spec section 2). */
export function isBatchId(value: string | undefined): value is string {
  return value !== undefined && (ULID.test(value) || UUID.test(value));
}
