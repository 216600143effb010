/**
 * 附件3 as a list of providers, each with its category rows in document
 * order, exactly as the notice lists them (repeats included; deciding what a
 * repeat means is duplicates.ts's job).
 */
import { readAnnex3Line } from './annex3-lines.js';
import type { CategoryCell } from './annex3-lines.js';
import { annexLines } from './notice-sections.js';
import type { NoticeLine } from './notice-sections.js';

export interface Annex3Row extends CategoryCell {
  /** 1-based line of the row in the notice. */
  line: number;
}

export interface Annex3Provider {
  /** The number in the 序号 column; equals the provider's position. */
  seq: number;
  name: string;
  line: number;
  rows: Annex3Row[];
}

/** Groups 附件3's lines into providers; checks the numbering runs 1, 2, 3 … without gaps. */
export function parseAnnex3Lines(lines: readonly NoticeLine[]): Annex3Provider[] {
  const providers: Annex3Provider[] = [];
  for (const noticeLine of lines) {
    const read = readAnnex3Line(noticeLine);
    if (read.kind === 'skip') continue;
    if (read.kind === 'provider') {
      const expected = providers.length + 1;
      if (read.seq !== expected) {
        throw new Error(`附件3 line ${read.line}: provider number ${read.seq}, expected ${expected}`);
      }
      const previous = providers.at(-1);
      if (previous && previous.rows.length === 0) {
        throw new Error(`附件3 line ${previous.line}: provider ${previous.name} has no categories`);
      }
      providers.push({ seq: read.seq, name: read.name, line: read.line, rows: [] });
      if (read.category) providers.at(-1)!.rows.push({ line: read.line, ...read.category });
      continue;
    }
    const current = providers.at(-1);
    if (!current) throw new Error(`附件3 line ${read.line}: a category before any provider`);
    current.rows.push({ line: read.line, ...read.category });
  }
  const last = providers.at(-1);
  if (!last) throw new Error('附件3 lists no provider');
  if (last.rows.length === 0) throw new Error(`附件3 line ${last.line}: provider ${last.name} has no categories`);
  return providers;
}

/** Parses 附件3 out of the whole notice text. */
export function parseAnnex3(noticeText: string): Annex3Provider[] {
  return parseAnnex3Lines(annexLines(noticeText, 3));
}
