/** A probe report for a terminal: the outline's lines, indented, marked by tone. */
import type { Lang } from '../status/i18n.js';
import { probeOutline, type Tone } from './outline.js';
import type { ProbeReport } from './report.js';

const MARK: Record<Tone, string> = { good: '✓ ', bad: '✗ ', warn: '! ', plain: '' };

/** Chinese unless asked otherwise, as doctor speaks: the people who run it are a department's IT staff. */
export function formatProbeReport(report: ProbeReport, lang: Lang = 'zh'): string {
  const out: string[] = [];
  for (const line of probeOutline(report, lang)) {
    if (line.heading && out.length > 0) out.push('');
    out.push(`${'  '.repeat(line.depth)}${line.depth > 0 ? MARK[line.tone] : ''}${line.text}`);
  }
  return `${out.join('\n')}\n`;
}
