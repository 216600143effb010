/** A probe report for a terminal: the outline's lines, indented, marked by tone. */
import { text, type Lang } from '../i18n/messages.js';
import { probeOutline, type OutlineOptions, type Tone } from './outline.js';
import type { ProbeReport } from './report.js';

const MARK: Record<Tone, string> = { good: '✓ ', bad: '✗ ', warn: '! ', plain: '' };

/** English unless asked otherwise, as the rest of `config check` speaks; `--lang zh` for the page's Chinese. */
export function formatProbeReport(report: ProbeReport, lang: Lang = 'en', options: OutlineOptions = {}): string {
  const out: string[] = [];
  for (const line of probeOutline(report, options)) {
    if (line.heading && out.length > 0) out.push('');
    out.push(`${'  '.repeat(line.depth)}${line.depth > 0 ? MARK[line.tone] : ''}${text(lang, line.said.key, line.said.params ?? {})}`);
  }
  return `${out.join('\n')}\n`;
}
