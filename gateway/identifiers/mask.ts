/**
 * Identity numbers are shown masked everywhere (pages, APIs, exports, logs):
 * the first 6 characters (the region), `********`, the last 4. Enough for a
 * contact to find the row in the source system, not enough to identify a
 * person.
 */

/** An 18-character 居民身份证号码 shape: region, birth date, sequence, check character. */
const ID_NUMBER = /(?<![0-9A-Za-z])([1-9]\d{5})(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}([\dXx])(?![0-9A-Za-z])/g;

/** The masked form of one identity number; anything of another length is masked the same way, keeping at most a third of it. */
export function maskIdNumber(value: string): string {
  if (value.length === 18) return `${value.slice(0, 6)}********${value.slice(14)}`;
  if (value.length <= 4) return '*'.repeat(value.length);
  const keep = Math.floor(value.length / 6);
  return `${value.slice(0, keep)}${'*'.repeat(value.length - 2 * keep)}${value.slice(value.length - keep)}`;
}

/** Masks every identity number inside free text (keys, messages, CSV, HTML, JSON). */
export function maskIdNumbersIn(text: string): string {
  return text.replace(ID_NUMBER, (whole) => maskIdNumber(whole));
}

/** True when the text still holds an unmasked identity number (for tests and checks). */
export function containsIdNumber(text: string): boolean {
  ID_NUMBER.lastIndex = 0;
  const found = ID_NUMBER.test(text);
  ID_NUMBER.lastIndex = 0;
  return found;
}
