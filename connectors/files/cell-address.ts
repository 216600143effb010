/** A1-style cell addresses. Pure. */

/** 'AB12' → { row: 12 (1-based), column: 27 (0-based) }; null when not an address. */
export function decodeAddress(address: string): { row: number; column: number } | null {
  const match = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(address.trim());
  if (!match) return null;
  let column = 0;
  for (const letter of match[1]!.toUpperCase()) column = column * 26 + (letter.charCodeAt(0) - 64);
  const row = Number(match[2]);
  return row >= 1 ? { row, column: column - 1 } : null;
}
