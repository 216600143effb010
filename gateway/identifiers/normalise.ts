/**
 * How an identifier typed by a clerk becomes comparable: Chinese input
 * methods often leave full-width letters, digits and spaces in a code, and a
 * lower-case `x` is common at the end of an ID number.
 */

/** Full-width ASCII (U+FF01–U+FF5E) and the ideographic space to their half-width forms. */
export function toHalfWidth(text: string): string {
  // Most texts have none: a scan of their codes costs a fraction of a replace that finds nothing.
  if (!hasFullWidth(text)) return text;
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

function hasFullWidth(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code >= 0xff01 && code <= 0xff5e) || code === 0x3000) return true;
  }
  return false;
}

/** Half-width, trimmed, upper-case: the form every identifier check works on. */
export function normaliseIdentifier(input: string): string {
  return toHalfWidth(input).trim().toUpperCase();
}
