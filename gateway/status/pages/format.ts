/** Small HTML pieces every status page uses. */
import { beijingTime } from '../../identifiers/calendar.js';
import { maskIdNumbersIn } from '../../identifiers/mask.js';
import { esc } from '../../i18n/escape.js';
import type { Translator } from '../../i18n/messages.js';
import type { ErrorInfo, WarningInfo } from '../snapshot.js';
import { warningSaid } from '../../i18n/warnings.js';

// Every page takes its escaping from here, with the rest of its small pieces.
export { esc };

/** Escapes and masks: for keys, subject codes and messages that may carry a person's identity number. */
export function escMasked(value: unknown): string {
  return esc(maskIdNumbersIn(String(value ?? '')));
}

/**
 * A moment as Beijing wall-clock time, `YYYY-MM-DD HH:mm:ss`, whatever the
 * machine's zone (China has kept UTC+8 without daylight saving since 1991):
 * a gateway on a UTC host must not show the month end as
 * `2026-12-31 16:00:00`. Plain text (it is also a message parameter); pages
 * say that their times are 北京时间. — when unknown.
 */
export function time(iso: string | null | undefined): string {
  if (!iso) return '—';
  return beijingTime(iso) ?? esc(iso);
}

/** How long ago, in words a person reads at a glance: 45 秒, 12 分钟, 3 小时 5 分钟, 2 天 4 小时. */
export function age(t: Translator, since: string | null, now: Date): string {
  if (!since) return t('common.none');
  const secs = Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 1000));
  if (secs < 60) return t('age.seconds', { n: secs });
  const mins = Math.floor(secs / 60);
  if (mins < 60) return t('age.minutes', { n: mins });
  const hours = Math.floor(mins / 60);
  if (hours < 24) return t('age.hours', { h: hours, m: mins % 60 });
  return t('age.days', { d: Math.floor(hours / 24), h: hours % 24 });
}

/** An error from a component: its code, its message as said there (data: not the page's words), what to do. */
export function errorCell(t: Translator, e: ErrorInfo | null | undefined): string {
  if (!e) return t('common.none');
  const action = e.action ? `<div class="action">${t('common.action', { action: { data: maskIdNumbersIn(e.action) } })}</div>` : '';
  return `<code>${esc(e.code)}</code> <span data-zh>${escMasked(e.message)}</span>${action}`;
}

export function warningsCell(t: Translator, warnings: WarningInfo[]): string {
  if (warnings.length === 0) return t('common.none');
  return warnings
    .map((w) => {
      const { message, action } = warningSaid(w);
      return `<div class="warn" data-code="${esc(w.code)}">${maskIdNumbersIn(t('common.said', { said: message }))}<div class="action">${maskIdNumbersIn(t('common.action', { action }))}</div></div>`;
    })
    .join('');
}

/** A form's hidden CSRF field: every action on the pages is a plain form post. */
export function csrfField(token: string): string {
  return `<input type="hidden" name="_csrf" value="${esc(token)}">`;
}

/** A plain table with a header row, or one row saying it is empty. */
export function table(id: string, headers: string[], rows: string[], empty: string): string {
  const head = `<tr>${headers.map((h) => `<th scope="col">${h}</th>`).join('')}</tr>`;
  const body = rows.length > 0 ? rows.join('\n') : `<tr><td colspan="${headers.length}" class="empty">${empty}</td></tr>`;
  // Wide tables scroll inside their box on a narrow screen instead of squeezing words into one character per line.
  return `<div class="table-wrap"><table id="${esc(id)}">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}
