/**
 * Cutting the notice text into the parts the catalog is built from. The
 * annexes are headed by a line `附件N：` of their own; the body before them
 * states the notice's own total.
 */

/** One line of the notice with its 1-based line number, kept for reviewers. */
export interface NoticeLine {
  line: number;
  text: string;
}

function noticeLines(text: string): NoticeLine[] {
  return text.split('\n').map((raw, i) => ({ line: i + 1, text: raw.replace(/\r$/, '') }));
}

function headingIndex(lines: NoticeLine[], heading: string): number {
  const index = lines.findIndex((l) => l.text.trim() === heading);
  if (index < 0) throw new Error(`the notice has no line "${heading}"`);
  return index;
}

/**
 * The lines of annex `n`, between its heading and the next annex's heading
 * (both excluded). The list of annexes near the end of the body names them
 * too, but never as a line of its own ending in `：`, so headings are unambiguous.
 */
export function annexLines(text: string, n: number): NoticeLine[] {
  const lines = noticeLines(text);
  const start = headingIndex(lines, `附件${n}：`);
  const end = headingIndex(lines, `附件${n + 1}：`);
  if (end <= start) throw new Error(`附件${n + 1} comes before 附件${n}`);
  return lines.slice(start + 1, end);
}

/** The total the body announces: "确定第一批归集的504类信息". */
export function bodyCategoryTotal(text: string): number {
  const match = /归集的\s*(\d+)\s*类信息/.exec(text);
  if (!match) throw new Error('the notice body states no category total (…归集的N类信息)');
  return Number(match[1]);
}
