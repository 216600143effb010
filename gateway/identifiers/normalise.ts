/**
 * How an identifier typed by a clerk becomes comparable: Chinese input
 * methods often leave full-width letters, digits and spaces in a code, and a
 * lower-case `x` is common at the end of an ID number.
 */

/** Full-width ASCII (U+FF01–U+FF5E) and the ideographic space to their half-width forms. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

/** Half-width, trimmed, upper-case: the form every identifier check works on. */
export function normaliseIdentifier(input: string): string {
  return toHalfWidth(input).trim().toUpperCase();
}
