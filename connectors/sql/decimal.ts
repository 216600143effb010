/**
 * Exact numbers as text. A DECIMAL read into a JavaScript number is already
 * wrong (12345678901234.5678 becomes …4.568), so drivers are told to hand
 * decimals and big integers over as strings or bigints; these helpers only
 * bring that text into one canonical spelling, so every database yields the
 * same bytes for the same value.
 */

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Canonical decimal text: no '+', no superfluous leading zeros, '0.5' not
 * '.5', no exponent, and exactly `scale` fraction digits when the column's
 * scale is known (as the database itself prints it); otherwise the digits
 * given, trailing zeros kept. Null when the text is not a number.
 */
export function canonicalDecimal(text: string, scale?: number | null): string | null {
  const m = DECIMAL.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  let whole = m[2] || '0';
  let fraction = m[3] ?? '';
  const exponent = Number(m[4] ?? 0);
  if (exponent > 0) {
    fraction = fraction.padEnd(exponent, '0');
    whole += fraction.slice(0, exponent);
    fraction = fraction.slice(exponent);
  } else if (exponent < 0) {
    whole = whole.padStart(-exponent + 1, '0');
    fraction = whole.slice(whole.length + exponent) + fraction;
    whole = whole.slice(0, whole.length + exponent);
  }
  whole = whole.replace(/^0+(?=\d)/, '');
  if (scale !== undefined && scale !== null && scale >= 0) {
    // Digits beyond the declared scale cannot come from the column; cut, never round.
    fraction = fraction.padEnd(scale, '0').slice(0, scale);
  }
  const zero = /^0*$/.test(whole) && /^0*$/.test(fraction);
  const sign = m[1] === '-' && !zero ? '-' : '';
  return fraction === '' ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
}

/** Integers stay numbers while exact, and become decimal text beyond 2^53. */
export function exactInteger(value: bigint | number | string): number | string {
  const big = typeof value === 'bigint' ? value : BigInt(typeof value === 'number' ? Math.trunc(value) : value.trim());
  return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(big) : big.toString();
}
