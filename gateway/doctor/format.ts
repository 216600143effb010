import type { DoctorReport } from './doctor.js';
import { say, type Lang } from './messages.js';

/** The report for people: one line per check with its state, the fix indented under anything not passing. */
export function formatReport(report: DoctorReport, lang: Lang): string {
  const lines: string[] = [];
  const count = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of report.checks) {
    count[c.state] += 1;
    const params = { ...c.params, subject: c.subject ?? '' };
    lines.push(`[${say(lang, `state.${c.state}`)}] ${say(lang, c.title, params)}: ${say(lang, c.message, params)}`);
    if (c.fix && c.state !== 'pass') lines.push(`    ${say(lang, 'label.fix')}: ${say(lang, c.fix, params)}`);
  }
  lines.push('', say(lang, report.ok ? 'summary.ok' : 'summary.failed', count));
  return `${lines.join('\n')}\n`;
}

/** The report for scripts: every check with id, state, message and fix, in the chosen language. */
export function reportJson(report: DoctorReport, lang: Lang): string {
  const checks = report.checks.map((c) => {
    const params = { ...c.params, subject: c.subject ?? '' };
    return {
      id: c.id,
      state: c.state,
      title: say(lang, c.title, params),
      message: say(lang, c.message, params),
      fix: c.fix && c.state !== 'pass' ? say(lang, c.fix, params) : null,
    };
  });
  return `${JSON.stringify({ ok: report.ok, checks }, null, 2)}\n`;
}
