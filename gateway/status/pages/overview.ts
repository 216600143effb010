/**
 * The overview: is this department's data arriving, and if not, what to do.
 * Refreshed by the browser every few seconds; no script.
 */
import type { CoverageRow, DiskView, JobReadBound, JobStatus, SourceStatus, StatusSnapshot, UploadView } from '../snapshot.js';
import { MESSAGES, type MessageKey, type Param, type Said } from '../../i18n/messages.js';
import { maskIdNumbersIn } from '../../identifiers/mask.js';
import { verdictSaid } from '../verdict.js';
import { boundWords } from '../../probe/bound.js';
import { age, csrfField, errorCell, esc, escMasked, table, time, warningsCell } from './format.js';
import { isAdmin, layout, type PageContext } from './layout.js';
import { offerLink } from './profile-offer.js';
import { rejectionRow, rejectionHeaders, categoryNames } from './rejections.js';

export const OVERVIEW_REFRESH_SECS = 10;

/** The platform refuses signatures beyond 300 s of clock offset (platform-api.md); warn well before. */
const CLOCK_FAULT_SECS = 300;
const CLOCK_WARN_SECS = 60;

export function renderOverview(ctx: PageContext, s: StatusSnapshot): string {
  const { t } = ctx;
  const body = [
    identity(ctx, s),
    verdictBox(ctx, s),
    cards(ctx, s),
    platform(ctx, s),
    coverage(ctx, s.coverage),
    `<h2>${t('sources.title')}</h2>`,
    table('sources', [t('sources.name'), t('sources.kind'), t('sources.state'), t('sources.lastSuccess'), t('sources.lastError'), t('sources.warnings')],
      s.sources.map((src) => sourceRow(ctx, src)), t('sources.empty')),
    `<h2>${t('jobs.title')}</h2>`,
    table('jobs', [t('jobs.name'), t('jobs.category'), t('jobs.source'), t('jobs.mode'), t('jobs.schedule'), t('jobs.state'), t('jobs.lastSuccess'), t('jobs.nextRun'), t('jobs.read'), t('jobs.queued'), t('jobs.rejected'), t('jobs.lastError'), t('jobs.warnings'), ...(isAdmin(ctx) ? [''] : [])],
      s.jobs.map((j) => jobRow(ctx, j)), t('jobs.empty')),
    queue(ctx, s),
    `<h2>${t('uploads.title')}</h2>`,
    table('uploads', [t('uploads.file'), t('uploads.at'), t('uploads.status'), t('uploads.rows'), t('uploads.queued'), t('uploads.rejected'), t('uploads.message')],
      s.uploads.map((u) => uploadRow(ctx, u)), t('uploads.empty')),
    `<h2>${t('rejections.recentTitle', { total: s.rejections.total })}</h2><p><a href="/rejections">${t('rejections.all')}</a></p>`,
    table('rejections', rejectionHeaders(ctx, false), s.rejections.recent.map((r) => rejectionRow(ctx, r, categoryNames(s), false)), t('rejections.empty')),
    `<h2>${t('contacts.title')}</h2>`,
    table('contacts', [t('contacts.name'), t('contacts.role'), t('contacts.phone'), t('contacts.email')],
      s.contacts.map((c) => `<tr><td data-zh>${esc(c.name)}</td><td data-zh>${esc(c.role ?? '')}</td><td>${esc(c.phone ?? '')}</td><td>${c.email ? `<a href="mailto:${esc(c.email)}">${esc(c.email)}</a>` : ''}</td></tr>`),
      t('contacts.empty')),
    configSummary(ctx, s),
    `<p class="sub foot">${t('common.refreshNote', { secs: OVERVIEW_REFRESH_SECS, time: time(s.generatedAt) })} · ${t('common.machine')}<a href="/api/status">/api/status</a></p>`,
  ].join('\n');
  return layout(ctx, { title: t('nav.overview'), heading: `${t('app.title')} · <span data-zh>${esc(s.gateway.department)}</span>`, body, refreshSecs: OVERVIEW_REFRESH_SECS });
}

/** The verdict in the reader's language: its reasons are decided again from the same snapshot (verdict.ts). */
function verdictBox(ctx: PageContext, s: StatusSnapshot): string {
  const { t } = ctx;
  const { reasons } = verdictSaid(s, new Date(s.generatedAt));
  const items = reasons.map((r) => `<li>${maskIdNumbersIn(t(r.key, r.params))}</li>`).join('');
  return `<div class="verdict ${s.verdict.level}" id="verdict"><span class="word">${t(`verdict.${s.verdict.level}` as MessageKey)}</span><ul>${items}</ul></div>`;
}

function identity(ctx: PageContext, s: StatusSnapshot): string {
  const { t } = ctx;
  const g = s.gateway;
  const item = (label: string, value: string, id: string) => `<span id="${id}">${label} <b>${value}</b></span>`;
  return `<p class="identity">${[
    item(t('overview.gatewayId'), esc(g.id), 'gateway-id'),
    item(t('overview.department'), `<span data-zh>${esc(g.department)}</span>${g.provider ? `（${esc(g.provider)}）` : ''}`, 'department'),
    item(t('overview.software'), esc(g.softwareVersion), 'software-version'),
    item(t('overview.configVersion'), t('overview.configVersionOf', { version: s.config.version, source: { key: `configSource.${s.config.source}` as MessageKey } }), 'config-version'),
    item(t('overview.startedAt'), time(g.startedAt), 'started-at'),
  ].join(' · ')}${g.demo ? ` · <b>${t('overview.demo')}</b>` : ''}</p>`;
}

function cards(ctx: PageContext, s: StatusSnapshot): string {
  const { t } = ctx;
  const card = (label: string, value: number, id: string) => `<div class="card">${label}<b id="${id}">${value}</b></div>`;
  return `<div class="cards">
${card(t('overview.totalRead'), s.totals.read, 'total-read')}
${card(t('overview.totalDelivered'), s.totals.delivered, 'total-delivered')}
${card(t('overview.queuePending'), s.queue.pending, 'queue-pending')}
${card(t('overview.rejectedLocal'), s.totals.rejectedLocal, 'total-rejected-local')}
${card(t('overview.rejectedPlatform'), s.totals.rejectedPlatform, 'total-rejected-platform')}
</div>`;
}

function platform(ctx: PageContext, s: StatusSnapshot): string {
  const { t } = ctx;
  const d = s.platform.delivery;
  const hb = s.platform.heartbeat;
  const row = (label: string, value: string, id?: string) => `<tr${id ? ` id="${id}"` : ''}><th scope="row">${label}</th><td>${value}</td></tr>`;
  return `<h2>${t('platform.title')}</h2>
<table id="platform" class="kv">
${row(t('platform.url'), esc(s.platform.url))}
${row(t('platform.delivery'), isDeliveryStatus(d.status) ? t(`delivery.${d.status}`) : esc(d.status), 'delivery-status')}
${row(t('platform.lastSuccess'), time(d.lastSuccessAt))}
${row(t('platform.lastError'), `${errorCell(t, d.lastError)}${d.nextAttemptAt ? `<div class="sub">${t('platform.nextAttempt', { time: time(d.nextAttemptAt) })}</div>` : ''}`)}
${row(t('platform.heartbeat'), `${time(hb.lastSuccessAt)}${hb.lastError ? `<div>${errorCell(t, hb.lastError)}</div>` : ''}`)}
${row(t('platform.clock'), `${clockOffset(ctx, hb.clockOffsetMs)}${clockDetail(ctx, s.platform.clock)}`, 'clock-offset')}
</table>`;
}

function isDeliveryStatus(status: string): status is 'idle' | 'sending' | 'backing_off' | 'paused_auth' {
  return status === 'idle' || status === 'sending' || status === 'backing_off' || status === 'paused_auth';
}

function clockOffset(ctx: PageContext, offsetMs: number | null): string {
  const { t } = ctx;
  if (offsetMs === null) return t('platform.clockUnknown');
  const secs = Math.round(offsetMs / 1000);
  const words = t('platform.clockSeconds', { secs });
  if (Math.abs(secs) > CLOCK_FAULT_SECS) return `<span class="bad">${words}</span><div class="bad">${t('platform.clockBad')}</div>`;
  if (Math.abs(secs) > CLOCK_WARN_SECS) return `<span class="warn">${words}</span><div class="warn">${t('platform.clockWarn')}</div>`;
  return words;
}

/** Where the offset was learnt, and whether signing already runs on the platform's time. */
function clockDetail(ctx: PageContext, clock: StatusSnapshot['platform']['clock']): string {
  const { t } = ctx;
  if (!clock || clock.offsetMs === null || clock.from === null) return '';
  const lines = [t('platform.clockFrom', { from: t.text(`clockFrom.${clock.from}` as MessageKey), time: time(clock.measuredAt) })];
  if (clock.refusal) lines.push(`<span class="bad">${t('platform.clockRefused', { code: clock.refusal.code })}</span>`);
  else if (clock.correctionMs !== 0) lines.push(t('platform.clockCorrected', { secs: Math.round(clock.correctionMs / 1000) }));
  return lines.map((l) => `<div class="sub">${l}</div>`).join('');
}

/** Only a category someone should report now can be declared empty: not one already on time, nor one nothing feeds. */
function declarable(c: CoverageRow): boolean {
  return c.state === 'overdue' || c.state === 'waiting';
}

/**
 * Fed categories in the table (overdue first, as computed); the department's
 * unfed ones, often most of its catalog, folded into one line that opens
 * without a script (<details>), so they do not bury what needs doing.
 */
function coverage(ctx: PageContext, rows: readonly CoverageRow[]): string {
  const { t } = ctx;
  const fed = rows.filter((c) => c.state !== 'unfed');
  const unfed = rows.filter((c) => c.state === 'unfed');
  const withAction = isAdmin(ctx) && fed.some(declarable);
  const head = `<h2>${t('coverage.title')}</h2><p class="sub">${t('coverage.note')}</p>`;
  const fedTable = table('coverage', [t('coverage.code'), t('coverage.name'), t('coverage.frequency'), t('coverage.fedBy'), t('coverage.lastDelivered'), t('coverage.period'), t('coverage.state'), t('coverage.due'), ...(withAction ? [''] : [])],
    fed.map((c) => coverageRow(ctx, c, withAction)), rows.length === 0 ? t('coverage.empty') : t('coverage.noneFed'));
  const folded = unfed.length === 0 ? '' : `<details id="coverage-unfed"><summary>${t('coverage.unfedSummary', { n: unfed.length })}</summary>
${table('coverage-unfed-list', [t('coverage.code'), t('coverage.name'), t('coverage.frequency')],
    unfed.map((c) => `<tr data-code="${esc(c.code)}" data-state="unfed"><td><code>${esc(c.code)}</code></td><td data-zh>${esc(c.name)}</td><td>${frequency(ctx, c.frequency)}</td></tr>`), '')}
</details>`;
  return `${head}\n${fedTable}\n${folded}`;
}

/** The catalog's frequencies are a closed vocabulary: said in the page's language; anything else shown as written. */
function frequency({ t }: PageContext, f: string): string {
  const key = `frequency.${f}` as MessageKey;
  return key in MESSAGES.zh ? t(key) : `<span data-zh>${esc(f)}</span>`;
}

function coverageRow(ctx: PageContext, c: CoverageRow, withAction: boolean): string {
  const { t } = ctx;
  const stateClass = c.state === 'overdue' ? 'bad' : c.state === 'unfed' || c.state === 'waiting' ? 'warn' : 'good';
  const decl = c.declaration
    ? `<div class="sub">${t('coverage.declaredBy', { time: time(c.declaration.at), by: { data: c.declaration.by ?? '—' } })}${c.declaration.note ? `${t('notice.separator')}${t('coverage.declaredNote', { note: { data: c.declaration.note } })}` : ''}</div>`
    : '';
  const action = withAction
    ? `<td class="act">${declarable(c) ? `<form method="get" action="/coverage/${encodeURIComponent(c.code)}/declare"><button type="submit">${t('coverage.declare')}</button></form>` : ''}</td>`
    : '';
  return `<tr data-code="${esc(c.code)}" data-state="${esc(c.state)}"><td><code>${esc(c.code)}</code></td><td><span data-zh>${esc(c.name)}</span><div class="sub" data-zh>${esc(c.infoType)}</div></td><td>${frequency(ctx, c.frequency)}</td>
<td>${c.fedBy.length > 0 ? c.fedBy.map((b) => `<span data-zh>${esc(b)}</span>`).join('<br>') : t('coverage.unfed')}</td><td>${time(c.lastDeliveredAt)}</td><td>${esc(c.period)}</td>
<td class="state ${stateClass}">${t(`coverageState.${c.state}` as MessageKey)}${decl}</td><td class="when">${time(c.dueAt)}</td>${action}</tr>`;
}

function sourceRow(ctx: PageContext, src: SourceStatus): string {
  const { t } = ctx;
  const f = src.files;
  const where = f?.path ? `${t('sources.folder')} <code data-zh>${esc(f.path)}</code> · ${t('sources.waiting', { n: f.waiting ?? 0 })}<br>` : '';
  const files = f ? `<div class="sub files">${where}${t('sources.files', { ...f })}</div>` : '';
  const kind = src.kind === 'folder' ? t('kind.folder') : esc(src.kind);
  const cls = src.state === 'error' ? 'bad' : src.state === 'attention' ? 'warn' : src.state === 'watching' ? 'good' : '';
  const state = src.state === 'watching' ? t('sourceState.watching', { time: time(f?.watchingSince) }) : t(`sourceState.${src.state}` as MessageKey);
  return `<tr data-source="${esc(src.name)}"><td data-zh>${esc(src.name)}</td><td>${kind}${files}</td><td class="${cls}">${state}</td><td class="when">${time(src.lastSuccessAt)}</td><td>${errorCell(t, src.lastError)}</td><td>${warningsCell(t, src.warnings)}</td></tr>`;
}

function jobFailed(j: JobStatus): boolean {
  return j.lastError !== null && (!j.lastSuccessAt || (j.lastError.at ?? '') > j.lastSuccessAt);
}

function jobRow(ctx: PageContext, j: JobStatus): string {
  const { t } = ctx;
  const state = j.pausedFor === 'disk' ? `<span class="warn">${t('jobs.pausedDisk')}</span>` : j.running ? t('jobs.running') : jobFailed(j) ? `<span class="bad">${t('jobs.failed')}</span>` : t('jobs.ok');
  // A snapshot from an older gateway has only the Chinese words: shown as they are.
  const said = (words: Said | undefined, chinese: string | null): Param => words ?? { data: chinese ?? '' };
  const snapshot = j.snapshotSchedule
    ? `<div class="sub">${t('jobs.snapshotSchedule', { schedule: said(j.snapshotScheduleSaid, j.snapshotSchedule) })}${j.snapshotNextRunAt ? t('jobs.snapshotNext', { time: time(j.snapshotNextRunAt) }) : ''}</div>`
    : '';
  const bound = j.readBound ? boundLine(ctx, j.readBound) : '';
  const run = isAdmin(ctx)
    ? `<td class="act"><form method="post" action="/jobs/${encodeURIComponent(j.name)}/run">${csrfField(ctx.csrfToken)}<button type="submit">${t('jobs.runNow')}</button></form></td>`
    : '';
  return `<tr data-job="${esc(j.name)}">
<td data-zh>${esc(j.name)}</td><td><span data-zh>${esc(j.categoryName)}</span><div class="sub">${esc(j.category)}</div></td>
<td data-zh>${esc(j.source)}</td><td>${j.mode === 'incremental' || j.mode === 'snapshot' ? t(`mode.${j.mode}`) : esc(j.mode)}</td>
<td>${t('common.said', { said: said(j.scheduleSaid, j.schedule) })}${snapshot}${bound}</td><td class="state">${state}</td>
<td class="when">${time(j.lastSuccessAt)}</td><td class="when">${time(j.nextRunAt)}</td>
<td class="num">${todayAndTotal(j.today?.rowsRead, j.rowsRead)}</td><td class="num">${todayAndTotal(j.today?.queued, j.queued)}</td><td class="num">${todayAndTotal(j.today?.rejected, j.rejected)}</td>
<td>${errorCell(t, j.lastError)}</td><td>${warningsCell(t, j.warnings)}</td>${run}
</tr>`;
}

/** What the last run read up to, and the grant that would make it fresher: said as the probe says it. */
function boundLine({ t }: PageContext, b: JobReadBound): string {
  const { said, tone, grant } = boundWords(b);
  const cls = tone === 'warn' ? 'sub warn' : 'sub';
  return `<div class="${cls}" data-bound="${esc(b.bound?.kind ?? 'none')}"${grant ? ` data-grant="${esc(grant)}"` : ''}>${t('common.said', { said })}</div>`;
}

function queue(ctx: PageContext, s: StatusSnapshot): string {
  const { t } = ctx;
  const q = s.queue;
  const row = (label: string, value: string, id: string) => `<tr id="${id}"><th scope="row">${label}</th><td>${value}</td></tr>`;
  return `<h2>${t('queue.title')}</h2>
<table id="queue" class="kv">
${row(t('queue.pending'), String(q.pending), 'queue-pending-row')}
${row(t('queue.oldest'), q.oldestPendingAt ? `${age(t, q.oldestPendingAt, new Date(s.generatedAt))} <span class="sub">（${time(q.oldestPendingAt)}）</span>` : t('queue.empty'), 'queue-oldest')}
${row(t('queue.rate'), t('queue.ratePerMinute', { n: Math.round(q.deliveredPerMinute * 10) / 10 }), 'queue-rate')}
${row(t('queue.delivered24h'), String(q.delivered24h), 'queue-delivered-24h')}
${row(t('queue.lastError'), errorCell(t, q.lastError), 'queue-last-error')}
${row(t('queue.platformRejections'), `<a href="/rejections?source=platform">${s.totals.rejectedPlatform}</a>`, 'queue-platform-rejections')}
${s.disk ? row(t('disk.title'), diskCell(ctx, s.disk), 'queue-disk') : ''}
</table>`;
}

/** Room for the store, and when reading is paused for lack of it, why and what to do. */
function diskCell({ t }: PageContext, d: DiskView): string {
  const mib = (n: number) => Math.floor(n / 1048576);
  const size = t('disk.usage', { free: mib(d.freeBytes), store: mib(d.storeBytes) });
  if (!d.reason) return size;
  const params = { free: mib(d.freeBytes), min: mib(d.minFreeBytes), cap: mib(d.maxStoreBytes ?? 0) };
  return `<span class="bad">${t(`disk.${d.reason}` as MessageKey, params)}</span><div class="sub">${size}</div><div class="sub">${t('common.action', { action: t(`disk.${d.reason}.action` as MessageKey) })}</div>`;
}

/** Where a file's error report downloads from (app.ts serves it, masked). */
export function reportHref(r: NonNullable<UploadView['report']>): string {
  return `/reports/${encodeURIComponent(r.source)}/${r.where}/${encodeURIComponent(r.name)}`;
}

function uploadRow(ctx: PageContext, u: UploadView): string {
  const { t } = ctx;
  const cls = u.status === 'rejected' ? 'bad' : u.status === 'waiting' ? 'warn' : '';
  const delivered = u.delivered ? ` · <span class="good">${t('uploads.delivered')}</span>` : '';
  // A refused file's message is its reason code; a processed one's is said here from its counts.
  const said = u.status === 'processed' && u.rejected > 0 ? t('uploads.rowsRefused', { n: u.rejected }) : u.message ? `<span data-zh>${escMasked(u.message)}</span>` : '';
  const report = u.report ? ` <a href="${esc(reportHref(u.report))}" class="report" download>${t('uploads.report')}</a>` : '';
  return `<tr><td><span data-zh>${esc(u.file)}</span>${readWith(ctx, u.readWith)}</td><td class="when">${time(u.at)}</td><td class="state ${cls}">${t(`uploadStatus.${u.status}` as MessageKey)}${delivered}</td>
<td class="num">${u.rows}</td><td class="num">${u.queued}</td><td class="num">${u.rejected}</td><td>${said}${report}${offerLink(ctx, u)}</td></tr>`;
}

/** An export read by profiles: the profile (and the system its data comes from) and the sheets read, under the file's name. */
function readWith(ctx: PageContext, r: UploadView['readWith']): string {
  if (!r) return '';
  const { t } = ctx;
  const by = r.profiles.map((label, i) => {
    const from = r.provenance[i];
    const params = { profile: { data: label }, system: { data: from?.system ?? '' } };
    return `<div class="sub read-with">${t(`uploads.readBy.${from?.kind ?? 'own'}` as MessageKey, params)}</div>`;
  });
  const sheets = r.sheets.filter((s) => s !== '');
  const read = sheets.length > 0 ? `<div class="sub read-sheets">${t('uploads.sheets', { sheets: { data: sheets.join(t.lang === 'zh' ? '、' : ', ') } })}</div>` : '';
  return by.join('') + read;
}

function configSummary(ctx: PageContext, s: StatusSnapshot): string {
  const { t } = ctx;
  const c = s.config;
  const last = c.lastOutcome
    ? `${t('config.colVersion')} ${c.lastOutcome.version} · ${t(`configStatus.${c.lastOutcome.status}` as MessageKey)} · ${time(c.lastOutcome.at)} · <span data-zh>${escMasked(c.lastOutcome.message)}</span>`
    : t('config.historyEmpty');
  return `<h2>${t('configSummary.title')}</h2>
<table id="config-summary" class="kv">
<tr><th scope="row">${t('config.version')}</th><td>${c.version}</td></tr>
<tr><th scope="row">${t('config.source')}</th><td>${t(`configSource.${c.source}` as MessageKey)}</td></tr>
<tr><th scope="row">${t('config.lastOutcome')}</th><td>${last}</td></tr>
</table>
<p><a href="/config">${t('configSummary.details')}</a></p>`;
}

/** "today / total", so a contact sees at a glance whether anything moved today. */
function todayAndTotal(today: number | undefined, total: number): string {
  return today === undefined ? String(total) : `${today} / ${total}`;
}
