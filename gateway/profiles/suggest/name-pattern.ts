/**
 * What next month's export will be called: the sample's name with its dates,
 * numbers and copy marks (`(1)`, ` - 副本`) made `*`, so the same system's
 * export matches whatever day it was made. And a profile name (letters,
 * digits, `_ . -`) from the file name's Latin letters, else the category. Pure.
 */

/** Date-like runs first (2017年6月2日, 2017-06-02, 2017.6), then any digits. */
const VARYING = [
  /\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?/g,
  /\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?/g,
  /\d{4}[-_./]\d{1,2}(?:[-_./]\d{1,2})?/g,
  /\d+/g,
];

const COPY_MARK = /(?:\s*[(（]\s*\*\s*[)）]|\s*-\s*副本|\s*副本|\s*-\s*copy)+$/i;

/** The glob for files named like `fileName`; null when nothing but the extension would be left to match. */
export function namePattern(fileName: string): string | null {
  const base = fileName.normalize('NFKC');
  const dot = base.lastIndexOf('.');
  let stem = dot > 0 ? base.slice(0, dot) : base;
  const ext = dot > 0 ? base.slice(dot) : '';
  for (const pattern of VARYING) stem = stem.replace(pattern, '*');
  // Globs know only * and ?: a ? typed in a name stands for any one character, which still matches it.
  stem = stem.replace(COPY_MARK, '*').replace(/\*(?:[\s_\-.]*\*)+/g, '*');
  if (stem.replace(/[*\s_\-.]/g, '') === '') return null;
  return `${stem}${ext.toLowerCase()}`;
}

/** A profile name: the file name's Latin words (jszg-export), else `<category>-export`; never one of `taken`. */
export function profileName(fileName: string, category: string, taken: readonly string[] = []): string {
  const words = fileName.replace(/\.[^.]*$/, '').normalize('NFKC').match(/[A-Za-z]{2,}/g) ?? [];
  const base = (words.length > 0 ? words.join('-').toLowerCase() : `${category.toLowerCase()}-export`).slice(0, 56);
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}
