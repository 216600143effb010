import t from 'tap';
import { buildStatusApp } from '../../../gateway/status/app.js';
import { verdict, type StatusSnapshot } from '../../../gateway/status/snapshot.js';

function snapshot(over: Partial<StatusSnapshot> = {}): StatusSnapshot {
  const base: Omit<StatusSnapshot, 'verdict'> = {
    generatedAt: '2026-11-26T08:00:00.000Z',
    gateway: { id: 'hs-rsj', department: '市人社局', softwareVersion: '0.1.0', startedAt: '2026-11-26T07:00:00.000Z', demo: false },
    platform: {
      url: 'https://platform.example/exchange',
      delivery: { status: 'idle', lastError: null, lastSuccessAt: '2026-11-26T07:59:00.000Z', nextAttemptAt: null },
      heartbeat: { lastSuccessAt: '2026-11-26T07:59:30.000Z', clockOffsetMs: 1200, lastError: null },
    },
    queue: { pending: 0, oldestPendingAt: null, openBatches: 0 },
    totals: { read: 46, queued: 42, delivered: 42, rejectedLocal: 1, rejectedPlatform: 0 },
    sources: [{ name: 'rsj', kind: 'sqlite', state: 'ok', lastSuccessAt: '2026-11-26T07:59:00.000Z', lastError: null, warnings: [] }],
    jobs: [{
      name: 'penalties', source: 'rsj', category: 'P07-002', categoryName: '行政处罚信息', mode: 'incremental', schedule: '每 10 秒',
      snapshotSchedule: null, snapshotNextRunAt: null, running: false,
      nextRunAt: null, lastRunAt: null, lastSuccessAt: '2026-11-26T07:59:00.000Z', lastError: null, rowsRead: 22, queued: 18, unchanged: 0, rejected: 1,
      warnings: [],
    }],
    rejections: {
      total: 1,
      recent: [{ at: '2026-11-26T07:58:00.000Z', source: 'local', job: 'penalties', category: 'P07-002', key: '101', field: 'subject.code', code: 'CREDIT_CODE_CHECK', message: '统一社会信用代码校验位错误：应为 C' }],
    },
  };
  const merged = { ...base, ...over };
  return { ...merged, verdict: verdict(merged, new Date('2026-11-26T08:00:00.000Z')) };
}

function app(s: StatusSnapshot, runs: string[] = []) {
  return buildStatusApp({
    snapshot: () => s,
    rejections: () => ({ total: s.rejections.total, items: s.rejections.recent }),
    runJob: (name) => {
      runs.push(name);
      return name === 'penalties';
    },
  });
}

t.test('the page is in Chinese and shows what was read, delivered and rejected, with reasons', async (t) => {
  const res = await app(snapshot()).inject({ method: 'GET', url: '/' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /text\/html; charset=utf-8/);
  t.match(res.body, /<html lang="zh-CN">/);
  t.match(res.body, /已读取<b id="total-read">46<\/b>行/);
  t.match(res.body, /已送达<b id="total-delivered">42<\/b>条/);
  t.match(res.body, /统一社会信用代码校验位错误：应为 C/);
  t.match(res.body, /需关注/, 'rejected rows need attention');
  t.notMatch(res.body, /<script/, 'works without scripts');
});

t.test('text from the data is escaped on the page', async (t) => {
  const s = snapshot();
  s.rejections.recent[0]!.key = '<img src=x onerror=alert(1)>';
  const res = await app(s).inject({ method: 'GET', url: '/' });
  t.notMatch(res.body, /<img src=x/);
  t.match(res.body, /&#60;img src=x/);
});

t.test('/api/status is the same snapshot as JSON', async (t) => {
  const res = await app(snapshot()).inject({ method: 'GET', url: '/api/status' });
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.equal(body.totals.delivered, 42);
  t.equal(body.verdict.text, '需关注');
});

t.test('run-now works as an API call and as a plain form post', async (t) => {
  const runs: string[] = [];
  const a = app(snapshot(), runs);
  t.equal((await a.inject({ method: 'POST', url: '/api/jobs/penalties/run' })).statusCode, 202);
  const missing = await a.inject({ method: 'POST', url: '/api/jobs/nope/run' });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().code, 'JOB_UNKNOWN');
  const form = await a.inject({ method: 'POST', url: '/jobs/penalties/run' });
  t.equal(form.statusCode, 303);
  t.equal(form.headers.location, '/');
  t.same(runs, ['penalties', 'nope', 'penalties']);
});

t.test('the verdict says whether data is arriving, not whether the process runs', async (t) => {
  const now = new Date('2026-11-26T08:00:00.000Z');
  const ok = snapshot({ totals: { read: 1, queued: 1, delivered: 1, rejectedLocal: 0, rejectedPlatform: 0 } });
  t.equal(verdict(ok, now).text, '正常');
  const paused = snapshot();
  paused.platform.delivery.status = 'paused_auth';
  t.equal(verdict(paused, now).level, 'fault');
  t.match(verdict(paused, now).reasons.join(), /签名/);
  const stuck = snapshot({ queue: { pending: 500, oldestPendingAt: '2026-11-26T07:00:00.000Z', openBatches: 1 }, totals: { read: 1, queued: 1, delivered: 0, rejectedLocal: 0, rejectedPlatform: 0 } });
  t.equal(verdict(stuck, now).level, 'attention');
  t.match(verdict(stuck, now).reasons.join(), /500 条记录等待发送超过 15 分钟/);
  const broken = snapshot();
  broken.sources[0] = { ...broken.sources[0]!, state: 'error', lastError: { code: 'SOURCE_UNAVAILABLE', message: '无法连接' } };
  t.equal(verdict(broken, now).text, '故障');
});

t.test('warnings about a source or a job are on the page and in /api/status, each with what to do, and need attention', async (t) => {
  const s = snapshot({ totals: { read: 1, queued: 1, delivered: 1, rejectedLocal: 0, rejectedPlatform: 0 } });
  s.sources[0]!.warnings = [{ code: 'WRITABLE_ACCOUNT', message: '数据库账号具有写权限，建议改用只读账号', action: '为网关创建只读账号' }];
  s.jobs[0]!.warnings = [{ code: 'NULL_CURSOR_ROWS', message: '有 3 行的游标列（updated_at、id）为空', action: '补上游标列的值' }];
  s.jobs[0]!.snapshotSchedule = 'cron 0 3 * * *';
  const withVerdict = { ...s, verdict: verdict(s, new Date('2026-11-26T08:00:00.000Z')) };
  t.equal(withVerdict.verdict.level, 'attention');
  t.match(withVerdict.verdict.reasons.join('；'), /数据源 rsj：数据库账号具有写权限/);
  t.match(withVerdict.verdict.reasons.join('；'), /任务 penalties：有 3 行的游标列/);

  const page = (await app(withVerdict).inject({ method: 'GET', url: '/' })).body;
  t.match(page, /<table id="sources">[\s\S]*数据库账号具有写权限，建议改用只读账号[\s\S]*建议：为网关创建只读账号/);
  t.match(page, /<table id="jobs">[\s\S]*有 3 行的游标列（updated_at、id）为空[\s\S]*建议：补上游标列的值/);
  t.match(page, /全量比对：cron 0 3 \* \* \*/, 'the snapshot schedule is shown beside the regular one');

  const json = (await app(withVerdict).inject({ method: 'GET', url: '/api/status' })).json();
  t.same(json.sources[0].warnings.map((w: { code: string }) => w.code), ['WRITABLE_ACCOUNT']);
  t.same(json.jobs[0].warnings[0], { code: 'NULL_CURSOR_ROWS', message: '有 3 行的游标列（updated_at、id）为空', action: '补上游标列的值' });
});
