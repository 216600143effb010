import t from 'tap';
import { translator } from '../../../../gateway/status/i18n.js';
import type { PageContext } from '../../../../gateway/status/pages/layout.js';
import { renderOverview } from '../../../../gateway/status/pages/overview.js';
import { verdict, type StatusSnapshot } from '../../../../gateway/status/snapshot.js';

function snapshot(clockOffsetMs: number | null): StatusSnapshot {
  const base: Omit<StatusSnapshot, 'verdict'> = {
    generatedAt: '2026-11-26T08:00:00.000Z',
    gateway: { id: 'hs-rsj', department: '市人社局', provider: null, softwareVersion: '0.1.0', startedAt: '2026-11-26T07:00:00.000Z', demo: true },
    platform: {
      url: 'https://platform.example/exchange',
      delivery: { status: 'paused_auth', lastError: { code: 'AUTH_SIGNATURE', message: '签名被拒' }, lastSuccessAt: null, nextAttemptAt: null },
      heartbeat: { lastSuccessAt: null, clockOffsetMs, lastError: null },
    },
    queue: { pending: 0, oldestPendingAt: null, openBatches: 0, deliveredPerMinute: 0, delivered24h: 0, lastError: null },
    totals: { read: 0, queued: 0, delivered: 0, rejectedLocal: 0, rejectedPlatform: 0 },
    sources: [], jobs: [], rejections: { total: 0, recent: [] }, coverage: [],
    config: { version: 0, source: 'file', appliedAt: null, issuedAt: null, publicKey: true, lastOutcome: null, history: [] },
    contacts: [], uploads: [],
  };
  return { ...base, verdict: verdict(base, new Date(base.generatedAt)) };
}

function ctx(lang: 'zh' | 'en' = 'zh'): PageContext {
  return { t: translator(lang), viewer: { name: null, role: 'viewer' }, csrfToken: 'tok', path: '/', query: new URLSearchParams(), notice: null, now: new Date('2026-11-26T08:00:00.000Z') };
}

const clockCell = (page: string) => /<tr id="clock-offset">[\s\S]*?<\/tr>/.exec(page)?.[0] ?? '';

t.test('a clock offset that breaks signing is red, one that is drifting is amber, a small one is plain', async (t) => {
  t.match(clockCell(renderOverview(ctx(), snapshot(-301_000))), /<span class="bad">-301 秒<\/span><div class="bad">超过 300 秒：平台将拒绝本网关的签名/);
  t.match(clockCell(renderOverview(ctx(), snapshot(61_000))), /<span class="warn">61 秒<\/span>/);
  t.match(clockCell(renderOverview(ctx(), snapshot(2_000))), /<td>2 秒<\/td>/);
  t.match(clockCell(renderOverview(ctx(), snapshot(null))), /尚未测得/);
});

t.test('an empty gateway still reads as sentences, in either language', async (t) => {
  const zh = renderOverview(ctx(), snapshot(0));
  t.match(zh, /<span class="word">故障<\/span>[\s\S]*平台拒绝了本网关的签名/);
  t.match(zh, /演示模式/);
  t.match(zh, /已暂停（签名被拒）/);
  t.match(zh, /目录中没有分配给本部门的信息类/);
  t.match(zh, /未配置任务/);
  t.match(zh, /暂无上报的文件/);
  t.match(zh, /尚未收到过配置包/);
  t.notMatch(zh, /立即运行|name="_csrf"/, 'a viewer gets no forms');
  const en = renderOverview(ctx('en'), snapshot(0));
  t.match(en, /paused \(signature refused\)/);
  t.match(en, /No job configured/);
});
