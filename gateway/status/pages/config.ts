/** The configuration in effect, whether bundles can be verified, and what became of each bundle. */
import type { ConfigOutcomeView, StatusSnapshot } from '../snapshot.js';
import type { MessageKey, Translator } from '../../i18n/messages.js';
import { esc, escMasked, table, time } from './format.js';
import { layout, type PageContext } from './layout.js';
import { renderProbe, type ProbeView } from './probe.js';

function via(t: Translator, v: string): string {
  return v === 'heartbeat' || v === 'admin' || v === 'folder' ? t(`via.${v}`) : esc(v);
}

function outcomeRow(t: Translator, o: ConfigOutcomeView): string {
  const cls = o.status === 'applied' ? 'good' : 'bad';
  return `<tr><td>${o.version}</td><td class="${cls}">${t(`configStatus.${o.status}` as MessageKey)}</td><td>${via(t, o.via)}</td><td class="when">${time(o.at)}</td><td data-zh>${escMasked(o.message)}</td></tr>`;
}

export function renderConfig(ctx: PageContext, s: StatusSnapshot, probe: ProbeView | null = null): string {
  const { t } = ctx;
  const c = s.config;
  const row = (label: string, value: string, id: string) => `<tr id="${id}"><th scope="row">${label}</th><td>${value}</td></tr>`;
  const headers = [t('config.colVersion'), t('config.colStatus'), t('config.colVia'), t('config.colAt'), t('config.colMessage')];
  const body = `<table id="config" class="kv">
${row(t('config.version'), String(c.version), 'config-version')}
${row(t('config.source'), t(`configSource.${c.source}` as MessageKey), 'config-source')}
${row(t('config.appliedAt'), time(c.appliedAt), 'config-applied')}
${row(t('config.issuedAt'), time(c.issuedAt), 'config-issued')}
${row(t('config.publicKey'), c.publicKey ? `<span class="good">${t('config.publicKeyYes')}</span>` : `<span class="bad">${t('config.publicKeyNo')}</span>`, 'config-public-key')}
</table>
<h2>${t('config.lastOutcome')}</h2>
${table('config-last', headers, c.lastOutcome ? [outcomeRow(t, c.lastOutcome)] : [], t('config.historyEmpty'))}
<h2>${t('config.history')}</h2>
${table('config-history', headers, c.history.map((o) => outcomeRow(t, o)), t('config.historyEmpty'))}
${probe ? renderProbe(ctx, probe) : ''}`;
  return layout(ctx, { title: t('config.title'), heading: t('config.title'), body });
}
