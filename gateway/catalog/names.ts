/**
 * How names from the notice are normalised, in one place, so that the build
 * (which writes seeds/catalog.json) and lookups (`--provider 市建委`) agree.
 *
 * The notice was extracted from a PDF: cells that wrapped in the table come
 * out with spaces where the line broke (`地税税务 登记(变更)信息`,
 * `中石油昆仑城投 燃气公司`), and brackets are half-width in some rows and
 * full-width in others. Chinese text is otherwise kept as it is.
 */

const ASCII_WORD = /[A-Za-z0-9]/;

/**
 * Whitespace is dropped unless it separates two ASCII words: line breaks fall
 * anywhere inside Chinese text, and `药品经营企业 GSP 认证` means
 * `药品经营企业GSP认证`.
 */
export function removeBreakSpaces(text: string): string {
  return text.trim().replace(/\s+/g, (space, offset: number, whole: string) => {
    const before = whole[offset - 1] ?? '';
    const after = whole[offset + space.length] ?? '';
    return ASCII_WORD.test(before) && ASCII_WORD.test(after) ? ' ' : '';
  });
}

/** Brackets become full-width （）: the form most of the notice uses in Chinese text. */
export function fullWidthBrackets(text: string): string {
  return text.replace(/\(/g, '（').replace(/\)/g, '）');
}

/** The catalog form of a provider or category name. */
export function normaliseName(text: string): string {
  return fullWidthBrackets(removeBreakSpaces(text));
}

/** The key names are looked up by: spaces, bracket widths and the case of `p07` do not matter. */
export function lookupKey(text: string): string {
  return normaliseName(text).toUpperCase();
}
