/**
 * Name patterns of profiles (file names, sheet names): `*` for any run of
 * characters, `?` for one, nothing else special, compared whole and without
 * regard to case or character width (a clerk's ＊ and a system's full-width
 * digits are the same pattern). Pure.
 */

/** Why a pattern is not one, or null. Brackets and path separators are refused: they would mean something else to a reader of the configuration. */
export function globProblem(pattern: string): string | null {
  if (pattern.trim() === '') return 'is empty';
  if (/[/\\]/.test(pattern)) return 'contains a path separator: patterns match the file name only';
  if (/[[\]{}]/.test(pattern)) return 'uses [ ] or { }: only * and ? are wildcards';
  return null;
}

function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

export function globRegExp(pattern: string): RegExp {
  const body = [...fold(pattern)].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^$()|\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 's');
}

/** Whether `name` fits any of `patterns`; false for none. */
export function globMatcher(patterns: readonly string[] | undefined): (name: string) => boolean {
  const compiled = (patterns ?? []).map(globRegExp);
  return (name) => {
    const folded = fold(name);
    return compiled.some((re) => re.test(folded));
  };
}
