import { join } from 'node:path';
import { Readable } from 'node:stream';
import t from 'tap';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { ActionResult, RejectionQuery, StatusDeps, UploadResult } from '../../../gateway/status/deps.js';
import { containsIdNumber } from '../../../gateway/identifiers/mask.js';
import { buildStatusApp, routeAccess } from '../../../gateway/status/app.js';
import { hashPassword } from '../../../gateway/status/security/password.js';
import { verdict, type RejectionView, type StatusSnapshot } from '../../../gateway/status/snapshot.js';

// A natural person's 居民身份证号码 with a valid check digit, and how it must be shown.
const ID = '420202199001011231';
const MASKED = '420202********1231';

const REJECTIONS: RejectionView[] = [
  {
    id: 7, at: '2026-11-26T07:58:00.000Z', source: 'local', job: 'penalties', category: 'P07-002', key: `XZCF-2026-0042|${ID}`, field: 'subject.code',
    code: 'ID_CHECK_DIGIT', message: `身份证号码 ${ID} 校验位错误`, subjectCode: ID, resendRequestedAt: null, resolvedAt: null,
  },
  {
    id: 8, at: '2026-11-26T07:30:00.000Z', source: 'platform', job: 'licences', category: 'P07-001', key: '=HYPERLINK("http://evil.example","点我")', field: 'decision.date',
    code: 'DATE_FUTURE', message: '决定日期晚于今天', subjectCode: '91420200MA4KXXXX0X', resendRequestedAt: '2026-11-26T07:40:00.000Z', resolvedAt: null,
  },
  {
    id: 9, at: '2026-11-25T10:00:00.000Z', source: 'local', job: 'penalties', category: 'P07-002', key: '103', field: 'decision.number',
    code: 'REQUIRED_MISSING', message: '必填项 决定文书号 为空', subjectCode: null, resendRequestedAt: null, resolvedAt: '2026-11-25T12:00:00.000Z',
  },
];

function snapshot(): StatusSnapshot {
  const base: Omit<StatusSnapshot, 'verdict'> = {
    generatedAt: '2026-11-26T08:00:00.000Z',
    gateway: { id: 'hs-rsj', department: '市人社局', provider: '11420200MB1234562N', softwareVersion: '0.1.0', startedAt: '2026-11-26T07:00:00.000Z', demo: false },
    platform: {
      url: 'https://platform.example/exchange',
      delivery: { status: 'idle', lastError: null, lastSuccessAt: '2026-11-26T07:59:00.000Z', nextAttemptAt: null },
      heartbeat: { lastSuccessAt: '2026-11-26T07:59:30.000Z', clockOffsetMs: 75_000, lastError: null },
    },
    queue: { pending: 12, oldestPendingAt: '2026-11-26T07:55:00.000Z', openBatches: 1, deliveredPerMinute: 3.5, delivered24h: 420, lastError: { code: 'PLATFORM_UNAVAILABLE', message: '平台暂时不可用', action: '稍后自动重试' } },
    totals: { read: 46, queued: 42, delivered: 42, rejectedLocal: 2, rejectedPlatform: 1 },
    sources: [
      { name: 'rsj', kind: 'postgres', state: 'ok', lastSuccessAt: '2026-11-26T07:59:00.000Z', lastError: null, warnings: [{ code: 'WRITABLE_ACCOUNT', message: '数据库账号具有写权限', action: '为网关创建只读账号' }] },
      { name: 'drop', kind: 'folder', state: 'attention', lastSuccessAt: null, lastError: null, warnings: [], files: { processed: 3, rejected: 1, left: 0, lastFileAt: null, rowsRead: 40, queued: 38, rejectedRows: 2 } },
    ],
    jobs: [{
      name: 'penalties', source: 'rsj', category: 'P07-002', categoryName: '行政处罚信息', mode: 'incremental', schedule: '每 10 秒',
      snapshotSchedule: 'cron 0 3 * * *', snapshotNextRunAt: '2026-11-27T03:00:00.000Z', running: false,
      nextRunAt: '2026-11-26T08:00:10.000Z', lastRunAt: '2026-11-26T07:59:00.000Z', lastSuccessAt: '2026-11-26T07:50:00.000Z',
      lastError: { code: 'SOURCE_TIMEOUT', message: '查询超时', action: '检查数据库负载或调大 timeoutSecs', at: '2026-11-26T07:59:00.000Z' },
      rowsRead: 22, queued: 18, unchanged: 0, rejected: 1, today: { rowsRead: 5, queued: 4, rejected: 1 }, warnings: [],
    }],
    rejections: { total: 3, recent: REJECTIONS.slice(0, 2) },
    coverage: [
      { code: 'P07-002', name: '行政处罚信息', frequency: '每日', infoType: '法人', fedBy: ['penalties'], lastDeliveredAt: '2026-11-26T07:59:00.000Z', period: '2026-11-26', dueAt: '2026-11-27T00:00:00.000Z', state: 'ok', declaration: null },
      { code: 'P07-001', name: '行政许可信息', frequency: '每月', infoType: '法人', fedBy: ['folder:drop'], lastDeliveredAt: '2026-09-30T10:00:00.000Z', period: '2026-11', dueAt: '2026-11-10T00:00:00.000Z', state: 'overdue', declaration: null },
      { code: 'P09-003', name: '社会保险缴费信息', frequency: '每季度', infoType: '自然人', fedBy: [], lastDeliveredAt: null, period: '2026-Q4', dueAt: '2027-01-10T00:00:00.000Z', state: 'declared', declaration: { period: '2026-Q4', at: '2026-11-20T09:00:00.000Z', by: 'wang', note: '本季度无新增' } },
      { code: 'P09-004', name: '职业资格信息', frequency: '每年', infoType: '自然人', fedBy: [], lastDeliveredAt: null, period: '2026', dueAt: null, state: 'unfed', declaration: null },
      { code: 'P09-005', name: '劳动保障监察信息', frequency: '每月', infoType: '法人', fedBy: ['penalties'], lastDeliveredAt: null, period: '2026-11', dueAt: '2026-12-10T00:00:00.000Z', state: 'waiting', declaration: null },
    ],
    config: {
      version: 3, source: 'bundle', appliedAt: '2026-11-20T08:00:00.000Z', issuedAt: '2026-11-19T08:00:00.000Z', publicKey: false,
      lastOutcome: { version: 4, status: 'rejected', message: '签名验证失败', at: '2026-11-25T08:00:00.000Z', via: 'heartbeat' },
      history: [
        { version: 4, status: 'rejected', message: '签名验证失败', at: '2026-11-25T08:00:00.000Z', via: 'heartbeat' },
        { version: 3, status: 'applied', message: '已应用', at: '2026-11-20T08:00:00.000Z', via: 'admin' },
        { version: 2, status: 'rolled_back', message: '新配置下任务无法启动，已回滚', at: '2026-11-10T08:00:00.000Z', via: 'folder' },
      ],
    },
    contacts: [{ name: '王工', role: '技术联系人', phone: '027-12345678', email: 'wang@rsj.example' }],
    uploads: [
      { file: 'P07-001_行政许可信息.xlsx', at: '2026-11-26T07:40:00.000Z', status: 'processed', rows: 10, queued: 9, rejected: 1, delivered: true, message: null,
        report: { source: 'drop', where: 'processed', name: '20261126-154000-000_P07-001_行政许可信息.xlsx.errors.csv' } },
      { file: 'P07-001_第二批.csv', at: '2026-11-26T07:45:00.000Z', status: 'waiting', rows: 0, queued: 0, rejected: 0, delivered: false, message: null },
      { file: 'bad.csv', at: '2026-11-26T07:46:00.000Z', status: 'rejected', rows: 0, queued: 0, rejected: 0, delivered: false, message: '表头无法识别' },
    ],
  };
  return { ...base, verdict: verdict(base, new Date('2026-11-26T08:00:00.000Z')) };
}

interface Calls {
  rejections: RejectionQuery[];
  runs: string[];
  resends: [number, string | null][];
  declares: [string, string | null, string | null][];
  uploads: { filename: string; content: string; by: string | null; category?: string }[];
  bundles: [unknown, string | null][];
}

function fakeDeps(s: StatusSnapshot, calls: Calls, security: StatusDeps['security']): StatusDeps {
  return {
    snapshot: () => s,
    rejections: (q) => {
      calls.rejections.push(q);
      const all = q.openOnly ? REJECTIONS.filter((r) => !r.resolvedAt) : REJECTIONS;
      return { total: all.length, items: all.slice(q.offset, q.offset + q.limit) };
    },
    runJob: (name) => {
      calls.runs.push(name);
      return name === 'penalties';
    },
    resend: async (id, by): Promise<ActionResult> => {
      calls.resends.push([id, by]);
      return id === 7 ? { ok: true, message: '已请求重新读取该记录' } : { ok: false, code: 'REJECTION_UNKNOWN', message: '没有这条拒收记录' };
    },
    declareNoData: (category, by, note) => {
      calls.declares.push([category, by, note]);
      return category === 'P07-001' ? { ok: true, message: '已声明 P07-001 本期无数据' } : { ok: false, code: 'CATEGORY_UNKNOWN', message: '不是本部门的信息类' };
    },
    upload: async (file: { filename: string; stream: Readable; category?: string }, by): Promise<UploadResult> => {
      let content = '';
      for await (const chunk of file.stream) content += String(chunk);
      calls.uploads.push({ filename: file.filename, content, by, ...(file.category ? { category: file.category } : {}) });
      return { ok: true, message: '已放入文件目录，等待处理', file: '20261126-080000-P07-001.csv' };
    },
    report: async (source, where, name) =>
      source === 'drop' && where === 'processed' && name === '20261126-154000-000_P07-001_行政许可信息.xlsx.errors.csv'
        // Chunks cut inside the ID number and inside a character: masking must see whole lines.
        ? Readable.from([Buffer.from(`\uFEFF工作表,行号,字段,原因代码,原因\r\n,3,证件号码,ID_CHECK_DIGIT,证件号码 ${ID.slice(0, 9)}`), Buffer.from(`${ID.slice(9)} 校验位错误\r\n`)])
        : null,
    template: async (code) => (code === 'P07-001' ? { filename: 'P07-001_行政许可信息.xlsx', body: Buffer.from('PK-xlsx') } : null),
    putBundle: async (envelope, by) => {
      calls.bundles.push([envelope, by]);
      return (envelope as { version?: number }).version === 5
        ? { ok: true, message: '配置版本 5 已应用' }
        : { ok: false, code: 'BUNDLE_SIGNATURE', message: '签名验证失败' };
    },
    metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: '' }),
    ready: () => [{ name: 'store', ok: true, message: 'open' }],
    security,
  };
}

const LOOPBACK: StatusDeps['security'] = { exposed: false, requireLogin: false, users: [], sessionMinutes: 30 };

// Every body answered in this file, scanned at the end for an unmasked identity number.
const bodies: { url: string; body: string }[] = [];

async function setup(security = LOOPBACK, s = snapshot()) {
  const calls: Calls = { rejections: [], runs: [], resends: [], declares: [], uploads: [], bundles: [] };
  const app = await buildStatusApp(fakeDeps(s, calls, security));
  const call = async (opts: InjectOptions & { url: string }): Promise<LightMyRequestResponse> => {
    const res = await app.inject(opts);
    bodies.push({ url: opts.url, body: res.body });
    return res;
  };
  /** A page's CSRF token and the cookie it is bound to, as a browser would hold them. */
  const csrf = async (url = '/') => {
    const res = await call({ method: 'GET', url });
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? /_csrf=([^"&]+)/.exec(res.body)?.[1];
    const cookies = Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
    return { token: decodeURIComponent(token ?? ''), cookies };
  };
  return { app, calls, call, csrf, s };
}

async function withUsers() {
  return setup({
    exposed: true, requireLogin: true, sessionMinutes: 30,
    users: [
      { name: 'li', role: 'admin', hash: await hashPassword('admin-token') },
      { name: 'wang', role: 'viewer', hash: await hashPassword('viewer-token') },
    ],
  });
}
const ADMIN = { authorization: 'Bearer admin-token' };
const VIEWER = { authorization: 'Bearer viewer-token' };

t.test('the overview speaks Chinese and says whether data is arriving, with what to do', async (t) => {
  const { call } = await setup();
  const res = await call({ method: 'GET', url: '/' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /text\/html; charset=utf-8/);
  const page = res.body;
  t.match(page, /<html lang="zh-CN">/);
  t.match(page, /<meta http-equiv="refresh" content="10">/, 'the overview refreshes itself');
  t.notMatch(page, /<script/i, 'works without scripts');
  t.match(page, /<span class="word">故障<\/span>/, 'the verdict in large plain words');
  t.match(page, /任务 <span data-zh>penalties<\/span> 最近一次运行失败：<span data-zh>查询超时<\/span>/, 'with its reason, names and quoted messages marked as data');
  t.match(page, /网关编号 <b>hs-rsj<\/b>/);
  t.match(page, /<span data-zh>市人社局<\/span>（11420200MB1234562N）/, 'department with provider code');
  t.match(page, /配置版本 <b>3（平台下发的配置包）<\/b>/);
  t.match(page, /<tr id="clock-offset">[\s\S]*?<span class="warn">75 秒<\/span>[\s\S]*?请校准本机时钟/, 'a clock 75 s off is flagged amber');
  t.match(page, /<table id="jobs">[\s\S]*<code>SOURCE_TIMEOUT<\/code> <span data-zh>查询超时<\/span><div class="action">建议：<span data-zh>检查数据库负载或调大 timeoutSecs/);
  t.match(page, /全量比对：<span data-zh>cron 0 3 \* \* \*<\/span>/, 'a schedule that came as words only is shown as it came');
  t.match(page, /读取行数（今日 \/ 累计）[\s\S]*<td class="num">5 \/ 22<\/td><td class="num">4 \/ 18<\/td><td class="num">1 \/ 1<\/td>/, 'rows read, sent and rejected today beside the totals');
  t.match(page, /数据库账号具有写权限[\s\S]*建议：<span data-zh>为网关创建只读账号/);
  t.match(page, /文件：已处理 3，整体拒收 1/);
  t.match(page, /<tr id="queue-oldest"><th scope="row">最早一条已等待<\/th><td>5 分钟/, 'oldest pending age in words');
  t.match(page, /每分钟 3\.5 条/);
  t.match(page, /<code>PLATFORM_UNAVAILABLE<\/code> <span data-zh>平台暂时不可用/);
  t.match(page, /P07-001_行政许可信息\.xlsx[\s\S]*?已处理 · <span class="good">已送达<\/span>/, 'an upload that was delivered says so');
  t.match(page, /P07-001_第二批\.csv[\s\S]*?等待处理/);
  t.match(page, /bad\.csv[\s\S]*?已拒收[\s\S]*?表头无法识别/);
  t.match(page, /王工[\s\S]*027-12345678/, 'contacts');
  t.match(page, /<a href="\/config">查看配置详情与历史<\/a>/);
  t.match(page, /<form method="post" action="\/jobs\/penalties\/run"><input type="hidden" name="_csrf" value="[^"]+"><button type="submit">立即运行<\/button>/);
  t.match(page, /<a href="\/\?lang=en" id="lang-switch"/, 'a visible switch to English');
});

t.test('coverage shows the fed categories with their state in words, the unfed ones folded into one line', async (t) => {
  const { call } = await setup();
  const page = (await call({ method: 'GET', url: '/' })).body;
  const fed = /<table id="coverage">[\s\S]*?<\/table>/.exec(page)?.[0] ?? '';
  const folded = /<details id="coverage-unfed">[\s\S]*?<\/details>/.exec(page)?.[0] ?? '';
  const row = (code: string) => new RegExp(`<tr data-code="${code}"[\\s\\S]*?</tr>`).exec(fed)?.[0] ?? '';
  t.match(row('P07-002'), /正常/);
  t.match(row('P07-001'), /<td class="state bad">逾期未报送/, 'an overdue category stands out');
  t.match(row('P07-001'), /folder:drop/);
  t.match(row('P09-003'), /本期已声明无数据[\s\S]*由 <span data-zh>wang<\/span> 声明；说明：<span data-zh>本季度无新增/, 'who declared it and their note, as data');
  t.match(row('P09-005'), /等待本期数据/);
  t.equal(row('P09-004'), '', 'an unfed category is not a row of the table');
  t.match(folded, /<summary>未对接的信息类 1 个/, 'unfed categories are one line, opened on demand (no script)');
  t.match(folded, /<tr data-code="P09-004" data-state="unfed">/, 'the unfed category is inside');
  t.notMatch(folded, /<button/, 'nothing to declare for a category nothing feeds');

  t.match(row('P07-001'), /action="\/coverage\/P07-001\/declare"[\s\S]*声明本期无数据/, 'an overdue category can be declared empty');
  t.match(row('P09-005'), /action="\/coverage\/P09-005\/declare"/, 'so can one waiting for this period');
  t.notMatch(row('P09-003'), /<button/, 'nothing to declare once declared');
  t.notMatch(row('P07-002'), /<button/, 'nor for a category already on time');
});

t.test('?lang=en switches the words to English, keeps the data as it is, and is remembered', async (t) => {
  const { call } = await setup();
  const res = await call({ method: 'GET', url: '/?lang=en' });
  t.match(res.headers['set-cookie'], /lang=en; Path=\/; Max-Age=31536000; SameSite=Lax/);
  t.match(res.body, /<html lang="en">/);
  t.match(res.body, /<span class="word">Failing<\/span>/);
  t.match(res.body, /overdue/);
  t.match(res.body, /Run now/);
  t.notMatch(res.body, /立即运行|逾期未报送/, 'no Chinese interface words left');
  t.match(res.body, /行政处罚信息/, 'catalog names are data, shown as they are');
  t.match(res.body, /市人社局/);
  t.match(res.body, /The last run of job <span data-zh>penalties<\/span> failed: <span data-zh>查询超时<\/span>/, 'the reason in English, the message it quotes as it came');
  t.match(res.body, /<a href="\/\?lang=zh" id="lang-switch"[^>]*>中文<\/a>/);

  const remembered = await call({ method: 'GET', url: '/rejections', cookies: { lang: 'en' } });
  t.match(remembered.body, /Rejected records/);
  const back = await call({ method: 'GET', url: '/?lang=zh', cookies: { lang: 'en' } });
  t.match(back.body, /<html lang="zh-CN">/);
  t.match(back.headers['set-cookie'], /lang=zh/);
});

t.test('a recent export read by profiles shows the profile, the system its data comes from, and the sheets read, in either language', async (t) => {
  const base = snapshot();
  const s: StatusSnapshot = {
    ...base,
    uploads: [
      {
        file: '教师资格认定2017.xls', at: '2026-11-26T07:50:00.000Z', status: 'processed', rows: 40, queued: 38, rejected: 2, delivered: false, message: null,
        readWith: { profiles: ['全国教师资格信息系统 认定导出'], provenance: [{ kind: 'system', system: '全国教师资格信息系统', profile: 'jszg-rd' }], sheets: ['2017年1月', '2017年2月'] },
      },
      {
        file: '返还数据.csv', at: '2026-11-26T07:55:00.000Z', status: 'processed', rows: 3, queued: 3, rejected: 0, delivered: true, message: null,
        readWith: { profiles: ['省局返还'], provenance: [{ kind: 'returned', system: '湖北省市场监督管理局', profile: 'fh' }], sheets: [''] },
      },
      ...base.uploads,
    ],
  };
  const { call } = await setup(LOOPBACK, s);
  const zh = (await call({ method: 'GET', url: '/' })).body;
  t.match(zh, /教师资格认定2017\.xls<\/span><div class="sub read-with">导出方案：<span data-zh>全国教师资格信息系统 认定导出<\/span>（<span data-zh>全国教师资格信息系统<\/span>）<\/div><div class="sub read-sheets">读取的工作表：<span data-zh>2017年1月、2017年2月<\/span><\/div>/);
  t.match(zh, /返还数据\.csv<\/span><div class="sub read-with">导出方案：<span data-zh>省局返还<\/span>（上级部门返还：<span data-zh>湖北省市场监督管理局<\/span>）<\/div><\/td>/, 'a CSV has no sheet to name');
  t.match(zh, /P07-001_行政许可信息\.xlsx<\/span><\/td>/, 'a template file names no profile');
  const en = (await call({ method: 'GET', url: '/?lang=en' })).body;
  t.match(en, /Export profile: <span data-zh>全国教师资格信息系统 认定导出<\/span> \(<span data-zh>全国教师资格信息系统<\/span>\)[\s\S]*Sheets read: <span data-zh>2017年1月, 2017年2月<\/span>/);
  t.match(en, /\(returned by <span data-zh>湖北省市场监督管理局<\/span>\)/);
  t.notMatch(en, /导出方案|读取的工作表|上级部门返还/, 'no Chinese interface words left');
});

t.test('the rejections page searches with the filters it is given and offers resend and export', async (t) => {
  const { call, calls } = await setup();
  const res = await call({ method: 'GET', url: '/rejections?category=P07-002&code=ID_CHECK_DIGIT&source=local&from=2026-11-01&to=2026-11-30&q=XZCF&open=1&page=1' });
  t.equal(res.statusCode, 200);
  t.same(calls.rejections.at(-1), {
    category: 'P07-002', code: 'ID_CHECK_DIGIT', source: 'local', from: '2026-11-01', to: '2026-11-30', q: 'XZCF', openOnly: true, limit: 50, offset: 0,
  });
  const page = res.body;
  t.match(page, /<option value="P07-002" selected data-zh>P07-002 行政处罚信息<\/option>/, 'the form keeps the search');
  t.match(page, /<input type="checkbox" name="open" value="1" checked>/);
  t.match(page, /href="\/rejections\.csv\?category=P07-002&#38;code=ID_CHECK_DIGIT&#38;source=local&#38;from=2026-11-01&#38;to=2026-11-30&#38;q=XZCF&#38;open=1" id="export"/);
  const row7 = /<tr data-id="7"[\s\S]*?<\/tr>/.exec(page)?.[0] ?? '';
  t.match(row7, /待修正/);
  t.match(row7, new RegExp(`XZCF-2026-0042\\|${MASKED.replace(/\*/g, '\\*')}`), 'the key is shown with the identity number masked');
  t.match(row7, /<code>ID_CHECK_DIGIT<\/code> <span data-zh>身份证号码 420202\*{8}1231 校验位错误/, 'reason code and the Chinese message');
  t.match(row7, /penalties<\/span><div class="sub">本地校验/);
  t.match(row7, /<form method="post" action="\/rejections\/7\/resend">[\s\S]*修正后重发/);
  t.match(page, /<tr data-id="8" data-state="requested"[\s\S]*?已请求重发/);
  t.match(page, /共 2 条，第 1 \/ 1 页/);
  const all = (await call({ method: 'GET', url: '/rejections' })).body;
  t.match(all, /<tr data-id="9" data-state="resolved"[\s\S]*?已解决<\/td><td class="act"><\/td><\/tr>/, 'a resolved row has no resend button');

  await call({ method: 'GET', url: '/rejections?source=bogus&from=yesterday&page=2' });
  t.same(calls.rejections.at(-1), { limit: 50, offset: 50 }, 'malformed filters are left out, pages become offsets');

  // The link `credit-gateway run` prints after a run: one job's rejections.
  const job = (await call({ method: 'GET', url: '/rejections?job=penalties' })).body;
  t.same(calls.rejections.at(-1), { job: 'penalties', limit: 50, offset: 0 });
  t.match(job, /<input type="hidden" name="job" value="penalties">/, 'the form keeps the job');
  t.match(job, /href="\/rejections\.csv\?job=penalties" id="export"/, 'and so does the export');
});

t.test('the CSV export is what a spreadsheet opens safely: BOM, Chinese headers, CRLF, defused formulas, masked identity numbers', async (t) => {
  const { call, calls } = await setup();
  const res = await call({ method: 'GET', url: '/rejections.csv?category=P07-002&open=1' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/csv; charset=utf-8/);
  t.match(res.headers['content-disposition'], /^attachment; filename="rejections-hs-rsj-\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''rejections-hs-rsj-/);
  t.same(calls.rejections.at(-1), { category: 'P07-002', openOnly: true, limit: 1000, offset: 0 }, 'the same filters, in chunks of 1000');
  const body = res.rawPayload.toString('utf8');
  t.ok(body.startsWith('\uFEFF时间（北京时间）,环节,任务,信息类代码,信息类名称,记录主键,字段,原因代码,原因,主体代码（脱敏）,状态'), 'BOM and Chinese headers');
  const lines = body.slice(1).split('\r\n');
  t.equal(lines.at(-1), '', 'every line ends with CRLF');
  t.equal(lines.length - 2, 2, 'header and both open rows');
  t.match(lines[1], `XZCF-2026-0042|${MASKED}`);
  t.match(lines[1], /,待修正,/);
  t.match(lines[2], /,"'=HYPERLINK\(""http:\/\/evil\.example"",""点我""\)",/, 'a formula is defused and quoted');
  t.notOk(containsIdNumber(body));
});

t.test('the upload page lists the department\'s categories, and an upload goes to the drop folder then back to the overview', async (t) => {
  const { call, calls, csrf } = await setup();
  const page = await call({ method: 'GET', url: '/upload' });
  t.match(page.body, /<form method="post" action="\/upload\?_csrf=[^"]+" enctype="multipart\/form-data"/);
  t.match(page.body, /P07-001<\/code><\/td><td data-zh>行政许可信息[\s\S]*<a href="\/templates\/P07-001\.xlsx">下载 XLSX 模板<\/a>/);
  t.match(page.body, /<select name="category">[\s\S]*<option value="P07-001" data-zh>P07-001 行政许可信息<\/option>/, 'the category can be chosen when the file name lacks it');

  const { token, cookies } = await csrf('/upload');
  const boundary = '----cg-test-boundary';
  const content = `决定文书号,行政相对人名称,证件号码\r\nXK-1,张三,${ID}\r\n`;
  const payload = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="P07-001_行政许可信息.csv"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`);
  const res = await call({ method: 'POST', url: `/upload?_csrf=${encodeURIComponent(token)}`, cookies, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  t.equal(res.statusCode, 303);
  t.match(res.headers.location, /^\/\?notice=[\w-]+$/);
  t.same(calls.uploads, [{ filename: 'P07-001_行政许可信息.csv', content, by: null }], 'the file reaches the drop folder whole');
  const after = await call({ method: 'GET', url: res.headers.location as string });
  t.match(after.body, /<div class="notice ok" id="notice" role="status"><b>操作成功<\/b>：20261126-080000-P07-001\.csv：已接收，正在校验；结果见概览页“最近上报的文件”<\/div>/, 'the notice names the section the result shows in');
  t.notMatch(after.body, /XK-1|张三/, 'the file\'s content is never rendered');

  const named = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="category"\r\n\r\nP07-001\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="十一月.csv"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`);
  await call({ method: 'POST', url: `/upload?_csrf=${encodeURIComponent(token)}`, cookies, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: named });
  t.match(calls.uploads[1], { filename: '十一月.csv', category: 'P07-001' }, 'the category chosen on the form travels with the file');
});

t.test('a processed file with refused rows links its error report, which downloads masked; anything else is 404', async (t) => {
  const { call } = await setup();
  const page = (await call({ method: 'GET', url: '/' })).body;
  const href = '/reports/drop/processed/' + encodeURIComponent('20261126-154000-000_P07-001_行政许可信息.xlsx.errors.csv');
  t.match(page, /P07-001_行政许可信息\.xlsx[\s\S]*?1 行未通过校验 <a href="([^"]+)" class="report" download>下载错误报告<\/a>/, 'the recent file says how many rows failed and links the report');
  t.ok(page.includes(`href="${href}"`), 'to the report by source, folder and name');
  const res = await call({ method: 'GET', url: href });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/csv; charset=utf-8/);
  t.match(res.headers['content-disposition'], /^attachment; .*filename\*=UTF-8''20261126-154000-000_P07-001_/);
  t.ok(res.body.includes(`证件号码 ${MASKED} 校验位错误`), 'the identity number quoted in the report is masked');
  t.notOk(res.body.includes(ID), 'and nowhere whole');
  t.equal((await call({ method: 'GET', url: '/reports/drop/processed/..%2F..%2Fgateway.sqlite' })).statusCode, 404, 'a path is no report');
  t.equal((await call({ method: 'GET', url: '/reports/other/processed/x.errors.csv' })).statusCode, 404, 'nor another source');
});

t.test('an empty template of a category downloads as XLSX; an unknown code is 404', async (t) => {
  const { call } = await setup();
  const res = await call({ method: 'GET', url: '/templates/P07-001.xlsx' });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  t.match(res.headers['content-disposition'], /attachment; .*filename\*=UTF-8''P07-001_/);
  t.equal(res.body, 'PK-xlsx');
  t.equal((await call({ method: 'GET', url: '/templates/P99-999.xlsx' })).statusCode, 404);
  t.equal((await call({ method: 'GET', url: '/templates/..%2Fetc.xlsx' })).statusCode, 404);
});

t.test('form buttons act through StatusDeps and come back with a notice', async (t) => {
  const { call, calls, csrf } = await setup();
  const { token, cookies } = await csrf('/');
  const form = (url: string, fields: Record<string, string>) =>
    call({ method: 'POST', url, cookies, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: token, ...fields }).toString() });

  const run = await form('/jobs/penalties/run', {});
  t.equal(run.statusCode, 303);
  t.match(run.headers.location, /^\/\?notice=/);
  t.match((await call({ method: 'GET', url: run.headers.location as string })).body, /已开始运行任务 penalties/);
  const unknown = await form('/jobs/nope/run', {});
  t.match((await call({ method: 'GET', url: unknown.headers.location as string })).body, /notice fault[\s\S]*没有名为 nope 的任务/);
  t.same(calls.runs, ['penalties', 'nope']);

  const resend = await form('/rejections/7/resend', { back: '/rejections?open=1&page=1' });
  t.equal(resend.statusCode, 303);
  t.match(resend.headers.location, /^\/rejections\?open=1&page=1&notice=/, 'back to the search the button was on');
  t.match((await call({ method: 'GET', url: resend.headers.location as string })).body, /已请求重新读取该记录/);
  const offsite = await form('/rejections/7/resend', { back: '//evil.example/' });
  t.match(offsite.headers.location, /^\/rejections\?notice=/, 'never back to another site');
  t.same(calls.resends, [[7, null], [7, null]]);

  const declarePage = await call({ method: 'GET', url: '/coverage/P07-001/declare', cookies });
  t.match(declarePage.body, /确认本部门在 2026-11 期间没有 <span data-zh>行政许可信息<\/span>（P07-001）的数据/);
  t.match(declarePage.body, /<form method="post" action="\/coverage\/P07-001\/declare" id="declare-form"><input type="hidden" name="_csrf"/);
  t.notMatch(declarePage.body, /http-equiv="refresh"/, 'no refresh while a note is being typed');
  const declare = await form('/coverage/P07-001/declare', { note: '  本月无新增许可  ' });
  t.equal(declare.statusCode, 303);
  t.same(calls.declares, [['P07-001', null, '本月无新增许可']]);
  await form('/coverage/P07-002/declare', { note: '' });
  t.same(calls.declares.at(-1), ['P07-002', null, null], 'an empty note is no note');
});

t.test('the JSON API gives the same data and actions to scripts with a token', async (t) => {
  const { call, calls } = await withUsers();
  const status = await call({ method: 'GET', url: '/api/status', headers: VIEWER });
  t.equal(status.statusCode, 200);
  t.equal(status.json().coverage[1].state, 'overdue');
  t.equal(status.json().verdict.text, '故障');

  const list = await call({ method: 'GET', url: '/api/rejections?code=DATE_FUTURE&source=platform&limit=5000&offset=2', headers: VIEWER });
  t.equal(list.statusCode, 200);
  t.same(calls.rejections.at(-1), { code: 'DATE_FUTURE', source: 'platform', limit: 1000, offset: 2 });

  t.equal((await call({ method: 'POST', url: '/api/jobs/penalties/run', headers: ADMIN })).statusCode, 202);
  const missing = await call({ method: 'POST', url: '/api/jobs/nope/run', headers: ADMIN });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().code, 'JOB_UNKNOWN');

  const resent = await call({ method: 'POST', url: '/api/rejections/7/resend', headers: ADMIN });
  t.equal(resent.statusCode, 200);
  t.equal(resent.json().ok, true);
  const notThere = await call({ method: 'POST', url: '/api/rejections/99/resend', headers: ADMIN });
  t.equal(notThere.statusCode, 422);
  t.same(notThere.json(), { code: 'REJECTION_UNKNOWN', message: '没有这条拒收记录' });
  t.same(calls.resends, [[7, 'li'], [99, 'li']], 'who asked is passed on');

  const declared = await call({ method: 'POST', url: '/api/coverage/P07-001/declare', headers: ADMIN, payload: { note: '无数据' } });
  t.equal(declared.statusCode, 200);
  t.same(calls.declares, [['P07-001', 'li', '无数据']]);

  const envelope = { version: 5, bundle: 'eyJ2ZXJzaW9uIjo1fQ', signature: 'c2ln' };
  const applied = await call({ method: 'PUT', url: '/api/config/bundle', headers: ADMIN, payload: envelope });
  t.equal(applied.statusCode, 200);
  t.same(applied.json(), { ok: true, message: '配置版本 5 已应用' });
  const refused = await call({ method: 'PUT', url: '/api/config/bundle', headers: ADMIN, payload: { ...envelope, version: 6 } });
  t.equal(refused.statusCode, 422);
  t.same(refused.json(), { code: 'BUNDLE_SIGNATURE', message: '签名验证失败' });
  t.same(calls.bundles, [[envelope, 'li'], [{ ...envelope, version: 6 }, 'li']]);
});

t.test('a viewer sees the pages without action buttons and cannot act', async (t) => {
  const { call, calls } = await withUsers();
  const page = await call({ method: 'GET', url: '/', headers: VIEWER });
  t.equal(page.statusCode, 200);
  t.notMatch(page.body, /立即运行|声明本期无数据<\/button>/);
  t.match(page.body, /已登录：<span data-zh>wang<\/span>（只读）[\s\S]*action="\/logout"[\s\S]*退出登录/, 'logout button when logged in');
  t.notMatch((await call({ method: 'GET', url: '/rejections', headers: VIEWER })).body, /修正后重发<\/button>/);
  t.match((await call({ method: 'GET', url: '/upload', headers: VIEWER })).body, /只有管理员可以上传文件/);
  const refused = await call({ method: 'POST', url: '/api/jobs/penalties/run', headers: VIEWER });
  t.equal(refused.statusCode, 403);
  t.same(calls.runs, []);
});

t.test('every route declares its access: pages for viewers, actions for admins', async (t) => {
  const { app } = await setup();
  await app.ready();
  const routes = routeAccess(app).filter((r) => r.method !== 'HEAD');
  t.same(routes.filter((r) => r.access === undefined), [], 'no route without access');
  const access = (method: string, url: string) => routes.find((r) => r.method === method && r.url === url)?.access;
  for (const url of ['/', '/rejections', '/rejections.csv', '/upload', '/templates/:code', '/reports/:source/:where/:name', '/config', '/api/status', '/api/rejections']) t.equal(access('GET', url), 'viewer', `GET ${url}`);
  for (const [method, url] of [
    ['POST', '/jobs/:name/run'], ['POST', '/rejections/:id/resend'], ['POST', '/coverage/:code/declare'], ['GET', '/coverage/:code/declare'], ['POST', '/upload'],
    ['POST', '/api/jobs/:name/run'], ['POST', '/api/rejections/:id/resend'], ['POST', '/api/coverage/:code/declare'], ['PUT', '/api/config/bundle'],
  ] as const) t.equal(access(method, url), 'admin', `${method} ${url}`);
  t.equal(access('GET', '/static/status.css'), 'public');
  t.equal(access('GET', '/healthz'), 'public', 'the operator endpoints are on the same app');
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  const css = await app.inject({ method: 'GET', url: '/static/status.css' });
  t.equal(css.statusCode, 200);
  t.match(css.headers['content-type'], /text\/css/);
  t.match(css.body, /@media print/);
});

t.test('the configuration page shows the version, whether bundles can be verified, and the history in words', async (t) => {
  const { call } = await setup();
  const page = (await call({ method: 'GET', url: '/config' })).body;
  t.match(page, /<tr id="config-version"><th scope="row">当前版本<\/th><td>3<\/td>/);
  t.match(page, /平台下发的配置包/);
  t.match(page, /未配置：所有配置包都会被拒绝。请向信用中心索取公钥/, 'what to do without a public key');
  t.match(page, /<table id="config-history">[\s\S]*<td>4<\/td><td class="bad">已拒绝<\/td><td>心跳下发<\/td>[\s\S]*<td>3<\/td><td class="good">已应用<\/td><td>管理接口<\/td>[\s\S]*已回滚/);
  t.notMatch(page, /http-equiv="refresh"/, 'only the overview refreshes');
});

t.test('an identity number that slipped into any text is masked on its way out', async (t) => {
  const s = snapshot();
  s.gateway.department = `市人社局 ${ID}`;
  s.verdict.reasons = [`主体 ${ID} 的记录被拒收`];
  const { call } = await setup(LOOPBACK, s);
  const page = await call({ method: 'GET', url: '/' });
  t.notOk(containsIdNumber(page.body));
  t.match(page.body, `市人社局 ${MASKED}`);
  const json = await call({ method: 'GET', url: '/api/status' });
  t.notOk(containsIdNumber(json.body));
  t.equal(json.json().gateway.department, `市人社局 ${MASKED}`);
});

t.test('no response in this file carried an unmasked identity number', async (t) => {
  t.ok(bodies.length > 20, 'many responses were scanned');
  t.same(bodies.filter((b) => containsIdNumber(b.body)).map((b) => b.url), []);
});

t.test('an action\'s outcome is said in the reader\'s language; a message from elsewhere is quoted as it came', async (t) => {
  const { declareNoData } = await import('../../../gateway/status/actions.js');
  const { default: pino } = await import('pino');
  const calls: Calls = { rejections: [], runs: [], resends: [], declares: [], uploads: [], bundles: [] };
  const deps = fakeDeps(snapshot(), calls, LOOPBACK);
  deps.declareNoData = (category, by, note) =>
    declareNoData({ period: (c) => (c === 'P07-001' ? '2026-11' : null), declareNoData: () => undefined, now: () => new Date(), logger: pino({ level: 'silent' }) }, category, by, note);
  deps.resend = async () => ({ ok: false, code: 'SOMETHING_NEW', message: '某个组件的说明' });
  const app = await buildStatusApp(deps);
  const page = await app.inject({ method: 'GET', url: '/' });
  const token = decodeURIComponent(/name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '');
  const cookies = Object.fromEntries(page.cookies.map((c) => [c.name, c.value]));
  const post = async (url: string, lang: 'zh' | 'en') => {
    const res = await app.inject({ method: 'POST', url, cookies: { ...cookies, lang }, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: token }).toString() });
    return (await app.inject({ method: 'GET', url: res.headers.location as string, cookies: { ...cookies, lang } })).body;
  };
  t.match(await post('/coverage/P07-001/declare', 'en'), /<b>Done<\/b>: Declared no P07-001 data for 2026-11<\/div>/);
  t.match(await post('/coverage/P07-001/declare', 'zh'), /<b>操作成功<\/b>：已声明 P07-001 在 2026-11 期间无数据<\/div>/);
  t.match(await post('/coverage/P99-001/declare', 'en'), /<b>Not done<\/b>: Category P99-001 is not one this department reports<\/div>/);
  t.match(await post('/rejections/7/resend', 'en'), /<b>Not done<\/b>: <span data-zh>某个组件的说明<\/span><\/div>/, 'an outcome the tables do not know is quoted, marked as data');
  await app.close();
});

t.test('an export a profile of another category reads by its name is refused with the profile and both categories named, in the reader\'s language', async (t) => {
  const { acceptUpload } = await import('../../../gateway/status/actions.js');
  const { RecentFiles } = await import('../../../gateway/files/recent-files.js');
  const { default: pino } = await import('pino');
  const root = t.testdir({});
  const calls: Calls = { rejections: [], runs: [], resends: [], declares: [], uploads: [], bundles: [] };
  const deps = fakeDeps(snapshot(), calls, LOOPBACK);
  const profiles = () => [{ label: '全国行政许可系统 导出', category: 'P07-001', matchesName: (f: string) => f.startsWith('行政许可信息导出'), signature: [] }];
  deps.upload = (file, by) =>
    acceptUpload({ folder: { name: 'drop', job: 'drop:folder', root, incoming: join(root, 'incoming') }, recent: new RecentFiles(), profiles, maxBytes: 1024, now: () => new Date(), logger: pino({ level: 'silent' }) }, file, by);
  const app = await buildStatusApp(deps);
  const page = await app.inject({ method: 'GET', url: '/upload' });
  const token = decodeURIComponent(/_csrf=([^"&]+)/.exec(page.body)?.[1] ?? '');
  const cookies = Object.fromEntries(page.cookies.map((c) => [c.name, c.value]));
  const boundary = '----cg-test-boundary';
  const post = async (category: string, lang: 'zh' | 'en') => {
    const payload = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="category"\r\n\r\n${category}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="行政许可信息导出_20261201.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\nPK\r\n--${boundary}--\r\n`);
    const res = await app.inject({ method: 'POST', url: `/upload?_csrf=${encodeURIComponent(token)}`, cookies: { ...cookies, lang }, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    return (await app.inject({ method: 'GET', url: res.headers.location as string, cookies: { ...cookies, lang } })).body;
  };
  t.match(await post('P07-002', 'zh'), /<b>操作未完成<\/b>：[^<]*导出方案“全国行政许可系统 导出”[^<]*目录 P07-001[^<]*目录 P07-002/);
  t.match(await post('P07-002', 'en'), /<b>Not done<\/b>: [^<]*export profile &#34;全国行政许可系统 导出&#34;, which reports category P07-001, not the category P07-002/);
  t.match(await post('P07-001', 'en'), /<b>Done<\/b>: 行政许可信息导出_20261201\.xlsx: received; it will be read by the export profile/, 'with the profile\'s own category it is taken under its own name');
  await app.close();
});
