/**
 * Template file names. The drop folder recognises a file's category by its
 * name, `<category code>[_<anything>].(csv|xlsx|ndjson)`, so a template must be
 * droppable as saved; and clerks save on Windows, where `/\:*?"<>|` and
 * trailing dots or spaces are not allowed in a name.
 */

export type TemplateFormat = 'xlsx' | 'csv';

// Control characters are refused by Windows too, and a tab or newline in a name only confuses.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[/\\:*?"<>|\u0000-\u001f]/g;

/** Well under the drop folder's limit, which leaves room for the prefixes it adds when it moves a file. */
export const MAX_BASE_NAME = 100;

/**
 * The text with every character Windows refuses replaced by `_`, no `..`
 * (the drop folder refuses it as a path trick), and no trailing dots or spaces.
 */
export function safeFileName(text: string): string {
  return text.replace(UNSAFE, '_').replace(/\.{2,}/g, '.').replace(/[. ]+$/, '');
}

/** `P07-002_行政处罚信息`: the code first, so the drop folder reads the category from the name. */
export function templateBaseName(category: { code: string; name: string }): string {
  const name = safeFileName(category.name);
  const base = name ? `${category.code}_${name}` : category.code;
  return base.length <= MAX_BASE_NAME ? base : safeFileName(base.slice(0, MAX_BASE_NAME));
}

export function templateFileName(category: { code: string; name: string }, format: TemplateFormat): string {
  return `${templateBaseName(category)}.${format}`;
}

/** Beside a CSV template, the notes a CSV cannot hold: `P07-002_行政处罚信息.说明.txt`. The drop folder ignores `.txt`. */
export function notesFileName(csvFile: string): string {
  return `${csvFile.replace(/\.csv$/i, '')}.说明.txt`;
}
