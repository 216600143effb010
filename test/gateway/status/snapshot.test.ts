/**
 * The verdict on the platform's clock: beyond the signing window, or refused
 * for the timestamp, it is a fault with what to do, even while signing on the
 * platform's time keeps delivery going.
 */
import t from 'tap';
import type { PlatformClockView } from '../../../gateway/delivery/platform-clock.js';
import { translator } from '../../../gateway/i18n/messages.js';
import { renderOverview } from '../../../gateway/status/pages/overview.js';
import { verdict, type StatusSnapshot } from '../../../gateway/status/snapshot.js';

function snapshot(clock: PlatformClockView | undefined, delivery = 'idle'): StatusSnapshot {
  const base: Omit<StatusSnapshot, 'verdict'> = {
    generatedAt: '2026-11-26T08:00:00.000Z',
    gateway: { id: 'hs-rsj', department: '市人社局', provider: null, softwareVersion: '0.1.0', startedAt: '2026-11-26T07:00:00.000Z', demo: false },
    platform: {
      url: 'https://platform.example/exchange',
      delivery: { status: delivery, lastError: null, lastSuccessAt: '2026-11-26T07:59:00.000Z', nextAttemptAt: null },
      heartbeat: { lastSuccessAt: null, clockOffsetMs: clock?.offsetMs ?? null, lastError: null },
      ...(clock ? { clock } : {}),
    },
    queue: { pending: 0, oldestPendingAt: null, openBatches: 0, deliveredPerMinute: 0, delivered24h: 0, lastError: null },
    totals: { read: 0, queued: 0, delivered: 0, rejectedLocal: 0, rejectedPlatform: 0 },
    sources: [], jobs: [], rejections: { total: 0, recent: [] }, coverage: [],
    config: { version: 0, source: 'file', appliedAt: null, issuedAt: null, publicKey: true, lastOutcome: null, history: [] },
    contacts: [], uploads: [],
  };
  return { ...base, verdict: verdict(base, new Date(base.generatedAt)) };
}

const clock = (offsetMs: number | null, extra: Partial<PlatformClockView> = {}): PlatformClockView => ({
  offsetMs, from: offsetMs === null ? null : 'date_header', measuredAt: offsetMs === null ? null : '2026-11-26T07:59:59.000Z', correctionMs: 0, refusal: null, ...extra,
});
const ctx = (lang: 'zh' | 'en') => ({ t: translator(lang), viewer: { name: null, role: 'viewer' as const }, csrfToken: 'x', path: '/', query: new URLSearchParams(), notice: null, now: new Date('2026-11-26T08:00:00.000Z') });
const clockRow = (page: string) => /<tr id="clock-offset">[\s\S]*?<\/tr>/.exec(page)?.[0] ?? '';

t.test('a machine clock 600 s slow, corrected for signing: a fault with the action, and the page says delivery goes on', async (t) => {
  const s = snapshot(clock(600_000, { from: 'error_body', correctionMs: 600_000 }));
  t.equal(s.verdict.level, 'fault');
  t.match(s.verdict.reasons[0], /本机时钟比平台慢 600 秒，超过平台 300 秒的签名时限：请校正本机时间并启用 NTP 自动对时（Linux：timedatectl set-ntp true；Windows：w32tm \/resync）/);
  t.match(s.verdict.reasons[0], /网关按平台时间签名，发送未中断/);
  const zh = clockRow(renderOverview(ctx('zh'), s));
  t.match(zh, /<span class="bad">600 秒<\/span>/);
  t.match(zh, /依据平台拒收应答中的 serverTime/);
  t.match(zh, /网关已按平台时间签名（本机时间 \+ 600 秒）/);
  const en = clockRow(renderOverview(ctx('en'), s));
  t.match(en, /the serverTime of a platform refusal/);
  t.match(en, /signs with the platform&#39;s time \(this clock \+ 600 s\)/);
});

t.test('a refusal for the timestamp is a clock fault, not a secret one', async (t) => {
  const s = snapshot(clock(-600_000, { refusal: { code: 'AUTH_TIMESTAMP', message: 'timestamp is 600 s away', at: '2026-11-26T07:59:59.000Z' } }), 'paused_auth');
  t.equal(s.verdict.level, 'fault');
  t.match(s.verdict.reasons, [/^平台以时间戳超出时限为由拒收本网关的请求（AUTH_TIMESTAMP），本机时钟比平台快 600 秒：请校正本机时间/]);
  t.notMatch(s.verdict.reasons.join('\n'), /平台密钥/, 'the secret is not blamed');
  t.match(clockRow(renderOverview(ctx('zh'), s)), /<span class="bad">平台以时间戳超出时限为由拒收（AUTH_TIMESTAMP）/);
  t.match(clockRow(renderOverview(ctx('en'), s)), /The platform refuses the request timestamp \(AUTH_TIMESTAMP\)/);
});

t.test('a refusal whose answer carried no time still names the clock', async (t) => {
  const s = snapshot(clock(null, { refusal: { code: 'AUTH_TIMESTAMP', message: 'x', at: '2026-11-26T07:59:59.000Z' } }), 'paused_auth');
  t.match(s.verdict.reasons, [/^平台以时间戳超出时限为由拒收本网关的请求（AUTH_TIMESTAMP）：请校正本机时间/]);
});

t.test('drift under the window needs attention; a clock in step says nothing; a paused delivery for another reason blames the secret', async (t) => {
  const drift = snapshot(clock(-90_000));
  t.equal(drift.verdict.level, 'attention');
  t.match(drift.verdict.reasons, [/本机时钟比平台快 90 秒，接近平台 300 秒的签名时限：请校正本机时间/]);
  t.equal(snapshot(clock(1_200)).verdict.level, 'ok');
  t.match(snapshot(clock(1_200), 'paused_auth').verdict.reasons, [/平台拒绝了本网关的签名：请核对平台密钥/]);
});
