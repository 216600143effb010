/**
 * The commonest rejection reasons in a few lines, for the command line
 * (`run` after each run): counts, the code, the field, one example message,
 * masked, and where to see every rejection.
 */
import { maskIdNumbersIn } from '../identifiers/mask.js';
import type { RejectionReason } from '../store/store.js';

/** How long an example message may be in one line. */
const EXAMPLE_CHARS = 120;

export function formatReasons(reasons: readonly RejectionReason[], total: number, seeAll: readonly string[]): string {
  if (total === 0) return '';
  const width = String(reasons[0]?.count ?? total).length;
  const lines = [`top rejection reasons (${total} ${total === 1 ? 'finding' : 'findings'}; a row may have several):`];
  for (const r of reasons) {
    const example = maskIdNumbersIn(r.example.replace(/\s+/g, ' ').trim());
    const shown = [...example].length > EXAMPLE_CHARS ? `${[...example].slice(0, EXAMPLE_CHARS - 1).join('')}…` : example;
    const where = [r.source === 'platform' ? 'platform' : null, r.field].filter(Boolean).join(' ');
    lines.push(`  ${String(r.count).padStart(width)}  ${r.code}${where ? ` (${where})` : ''}: ${shown}`);
  }
  const listed = reasons.reduce((n, r) => n + r.count, 0);
  if (listed < total) lines.push(`  ${String(total - listed).padStart(width)}  other reasons`);
  lines.push(...seeAll.map((s, i) => `${i === 0 ? 'all of them: ' : '         or: '}${s}`));
  return `${lines.join('\n')}\n`;
}
