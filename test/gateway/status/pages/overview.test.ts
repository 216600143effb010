import t from 'tap';
import { translator } from '../../../../gateway/i18n/messages.js';
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

t.test('disk pressure: the verdict names the disk and what to do, the job rows say "paused: disk", in either language', async (t) => {
  const MiB = 1024 * 1024;
  const job = {
    name: 'penalties', source: 'biz', category: 'P07-002', categoryName: '行政处罚信息', mode: 'incremental' as const, schedule: '每 10 秒',
    snapshotSchedule: null, snapshotNextRunAt: null, running: false, nextRunAt: null, lastRunAt: null, lastSuccessAt: null, lastError: null,
    rowsRead: 10, queued: 10, unchanged: 0, rejected: 0, warnings: [], pausedFor: 'disk' as const,
  };
  const paused = (reason: 'disk_full' | 'low_space' | 'size_cap'): StatusSnapshot => {
    const base = snapshot(0);
    const withDisk = {
      ...base,
      platform: { ...base.platform, delivery: { status: 'idle', lastError: null, lastSuccessAt: null, nextAttemptAt: null } },
      jobs: [job],
      disk: { paused: true, reason, code: 'STORE_X', freeBytes: 100 * MiB, storeBytes: 700 * MiB, minFreeBytes: 256 * MiB, maxStoreBytes: 700 * MiB },
    };
    return { ...withDisk, verdict: verdict(withDisk, new Date(base.generatedAt)) };
  };
  const full = paused('disk_full');
  t.equal(full.verdict.level, 'fault');
  t.match(full.verdict.reasons, [/磁盘已满.*已暂停读取数据源.*发送和平台确认照常进行.*请清理该磁盘空间/]);
  t.match(paused('low_space').verdict.reasons, [/仅剩 100 MiB，低于下限 store\.minFreeMiB（256 MiB）/]);
  t.match(paused('size_cap').verdict.reasons, [/本地存储已达上限 store\.maxSizeMiB（700 MiB）.*提高 store\.maxSizeMiB/]);

  const zh = renderOverview(ctx(), full);
  t.match(zh, /<tr data-job="penalties">[\s\S]*已暂停：磁盘空间不足/, 'the job row says why it does not read');
  t.match(zh, /<tr id="queue-disk">[\s\S]*磁盘已满[\s\S]*建议：清理数据目录所在磁盘的空间/);
  const en = renderOverview(ctx('en'), paused('size_cap'));
  t.match(en, /paused: disk/);
  t.match(en, /Local store at its cap \(700 MiB\)[\s\S]*raise store\.maxSizeMiB/);

  const ok = { ...snapshot(0), disk: { paused: false, reason: null, code: null, freeBytes: 5000 * MiB, storeBytes: 12 * MiB, minFreeBytes: 256 * MiB, maxStoreBytes: null } };
  t.match(renderOverview(ctx('en'), { ...ok, verdict: verdict(ok, new Date()) }), /<tr id="queue-disk">[\s\S]*5000 MiB free on disk · store uses 12 MiB/);
  t.notMatch(verdict(ok, new Date()).reasons.join(''), /磁盘/, 'room on disk is not a reason');
});

t.test('deadlines and every time on the page are 北京时间, labelled, whatever the host zone', async (t) => {
  const base = snapshot(0);
  const withDue: StatusSnapshot = {
    ...base,
    coverage: [{
      code: 'P07-002', name: '行政处罚信息', frequency: '实时', infoType: '行政处罚', fedBy: ['penalties'], lastDeliveredAt: '2026-12-01T01:30:00.000Z',
      // The Beijing month end: midnight of 1 January in China is 16:00 UTC on 31 December.
      period: '2026-12', dueAt: '2026-12-31T16:00:00.000Z', state: 'waiting', declaration: null,
    }],
  };
  const zone = process.env.TZ;
  t.teardown(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });
  for (const host of ['UTC', 'America/New_York', 'Asia/Shanghai']) {
    process.env.TZ = host;
    t.equal(Intl.DateTimeFormat().resolvedOptions().timeZone, host, `the process now runs in ${host}`);
    const page = renderOverview({ ...ctx(), machineZone: host }, withDue);
    const row = /<tr data-code="P07-002"[\s\S]*?<\/tr>/.exec(page)?.[0] ?? '';
    t.match(row, /<td class="when">2027-01-01 00:00:00<\/td>/, `${host}: the deadline is Beijing midnight`);
    t.notMatch(row, /2026-12-31 16:00:00/, `${host}: never the UTC wall clock`);
    t.match(row, /2026-12-01 09:30:00/, `${host}: the last delivery in Beijing time too`);
    t.match(page, /截止时间（北京时间）/, 'the deadline column says its zone');
    t.match(page, new RegExp(`页面上的时间均为北京时间（UTC\\+8）；“今日”按本机时区（${host.replace('/', '\\/')}）的日期计`), 'the page says once which times are whose');
    t.match(page, /启动于 <b>2026-11-26 15:00:00<\/b>/, `${host}: the start time in Beijing time`);
  }
});

t.test('in English, reasons, schedules, warnings and states are English; only data stays Chinese', async (t) => {
  const { incrementalWarnings } = await import('../../../../gateway/jobs/warnings.js');
  const { readWindow } = await import('../../../../gateway/jobs/window.js');
  const { scheduleSaid } = await import('../../../../gateway/status/collect.js');
  const warnings = incrementalWarnings({
    cursor: ['updated_at', 'id'], probe: { nullCursorRows: 4, columnType: 'DATETIME', fractionalDigits: 0 }, kind: 'timestamp',
    window: readWindow({ columns: ['updated_at', 'id'], stored: null, kind: 'timestamp', databaseNow: '2026-11-26T08:00:00.000Z', fractionalDigits: 0, safetyLagSecs: 5, lookbackSecs: 0 }),
    lookbackSecs: 0, snapshotScheduled: false,
  });
  const base = snapshot(0);
  const facts = {
    ...base,
    platform: { ...base.platform, delivery: { status: 'idle', lastError: null, lastSuccessAt: null, nextAttemptAt: null } },
    jobs: [{
      name: 'penalties', source: 'biz', category: 'P07-002', categoryName: '行政处罚信息', mode: 'incremental' as const,
      schedule: '每 10 秒', scheduleSaid: scheduleSaid({ intervalSecs: 10 }, true), snapshotSchedule: 'cron 0 2 * * *', snapshotScheduleSaid: scheduleSaid({ cron: '0 2 * * *' }, false),
      snapshotNextRunAt: null, running: false, nextRunAt: null, lastRunAt: null, lastSuccessAt: null, lastError: null,
      rowsRead: 10, queued: 10, unchanged: 0, rejected: 0, warnings, pausedFor: null,
    }],
    sources: [{ name: 'drop', kind: 'folder', state: 'watching' as const, lastSuccessAt: null, lastError: null, warnings: [], files: { path: '/srv/drop', watchingSince: '2026-11-26T07:00:00.000Z', waiting: 2, processed: 0, rejected: 0, left: 0, lastFileAt: null, rowsRead: 0, queued: 0, rejectedRows: 0 } }],
    totals: { ...base.totals, rejectedLocal: 2 },
  };
  const s: StatusSnapshot = { ...facts, verdict: verdict(facts, new Date(base.generatedAt)) };
  t.match(s.verdict.reasons, [/^任务 penalties：有 4 行的游标列（updated_at、id）为空/], 'the API keeps its Chinese sentences');

  const en = renderOverview(ctx('en'), s);
  t.match(en, /<li>Job <span data-zh>penalties<\/span>: Rows with an empty cursor column \(updated_at, id\): 4\./, 'the verdict reason in English');
  t.match(en, /<li>Records rejected: 2;/);
  t.match(en, /every 10 s \(from the catalog frequency\)/, 'the schedule in English');
  t.match(en, /complete read: cron 0 2 \* \* \*/);
  t.match(en, /Cursor column updated_at has whole seconds only[\s\S]*?What to do: Keep safetyLagSecs at 1/, 'the warning and what to do in English');
  t.match(en, /watching \(since 2026-11-26 15:00:00\)/, 'a drop folder without files is watched, not "not run"');
  t.match(en, /Folder <code data-zh>\/srv\/drop<\/code> · files waiting: 2/);
  const words = en.replace(/<span data-zh>[^<]*<\/span>|<(\w+)[^>]*\sdata-zh[^>]*>[^<]*<\/\1>/g, '').replace(/<title>[\s\S]*?<\/title>/, '');
  t.notMatch(words, /\p{Script=Han}/u, 'no Chinese outside data');

  const zh = renderOverview(ctx(), s);
  t.match(zh, /监视中（自 2026-11-26 15:00:00 起）/);
  t.match(zh, /每 10 秒（按目录频率）/);
});

t.test('each timestamp-cursor job says what its last read was bounded by, and which grant makes reads fresher; a numeric cursor says nothing', async (t) => {
  const { readWindow } = await import('../../../../gateway/jobs/window.js');
  const { readBoundView } = await import('../../../../gateway/status/collect.js');
  const at = '2026-11-26T07:59:58.000Z';
  const windowWith = (open: Parameters<typeof readWindow>[0]['open'], extra: Partial<Parameters<typeof readWindow>[0]> = {}) => readWindow({
    columns: ['updated_at', 'id'], stored: null, kind: 'timestamp', databaseNow: '2026-11-26T08:00:00.000Z', fractionalDigits: 3, safetyLagSecs: 5, lookbackSecs: 0, open, ...extra,
  });
  const last = (w: ReturnType<typeof readWindow>) => readBoundView(w.bound ? { bound: w.bound, lagSecs: w.lagSecs, at } : undefined);
  const watched = last(windowWith({ visible: true, oldestStart: null, how: 'innodb_trx' }));
  const blind = last(windowWith({ visible: false, oldestStart: null, how: 'innodb_trx', blind: { reason: 'privilege', detail: 'PROCESS' } }));
  const stamped = last(windowWith({ visible: true, oldestStart: null, how: 'pg_stat_activity' }, { cursorClock: 'application' }));
  const numeric = last(windowWith(null, { kind: 'number' }));
  t.equal(numeric, null, 'a numeric cursor has no bound to show');
  t.match(blind, { bound: { kind: 'fixed-lag', why: 'privilege' }, lagSecs: 5, grant: 'PROCESS', text: '读取上界：固定延迟 5 秒：数据库账号缺少 PROCESS 权限，看不到其他会话的事务；授予该权限后读取会更及时，无需其他更改' }, 'the API names the grant');
  t.match(watched, { bound: { kind: 'open-transactions' }, grant: null, text: /^读取上界：按源库未结束事务（由 innodb_trx 看到）/ });

  const row = (name: string, readBound: typeof blind) => ({
    name, source: 'biz', category: 'P07-002', categoryName: '行政处罚信息', mode: 'incremental' as const, schedule: '每 10 秒',
    snapshotSchedule: null, snapshotNextRunAt: null, running: false, nextRunAt: null, lastRunAt: at, lastSuccessAt: at, lastError: null,
    rowsRead: 10, queued: 10, unchanged: 0, rejected: 0, warnings: [], pausedFor: null, readBound,
  });
  const base = snapshot(0);
  const facts = { ...base, jobs: [row('watched', watched), row('blind', blind), row('stamped', stamped), row('numbered', numeric)] };
  const s: StatusSnapshot = { ...facts, verdict: verdict(facts, new Date(base.generatedAt)) };
  const jobRow = (page: string, name: string) => new RegExp(`<tr data-job="${name}">[\\s\\S]*?</tr>`).exec(page)?.[0] ?? '';
  const plain = (html: string) => html.replace(/<[^>]+>/g, '');

  const zh = renderOverview(ctx(), s);
  t.match(plain(jobRow(zh, 'watched')), /读取上界：按源库未结束事务（由 innodb_trx 看到）：每次读到仍未结束的最早事务开始之前（没有时为数据库时钟）再留一点余量（比数据库时钟晚 0\.25 秒）/);
  t.match(jobRow(zh, 'blind'), /<div class="sub warn" data-bound="fixed-lag" data-grant="PROCESS">/, 'a bound a grant would lift stands out');
  t.match(plain(jobRow(zh, 'blind')), /读取上界：固定延迟 5 秒：数据库账号缺少 PROCESS 权限，看不到其他会话的事务；授予该权限后读取会更及时/);
  t.match(plain(jobRow(zh, 'stamped')), /读取上界：固定延迟 5 秒：游标列由应用程序的时钟填写（cursorClock: application）.*删去 cursorClock: application 可读得更及时，否则无需更改/);
  t.notMatch(jobRow(zh, 'stamped'), /data-grant/, 'no grant helps a column the application stamps');
  t.notMatch(jobRow(zh, 'numbered'), /读取上界|data-bound/);

  const en = renderOverview(ctx('en'), s);
  t.match(plain(jobRow(en, 'blind')), /read bound: fixed lag 5 s: the account lacks PROCESS and cannot see other sessions&#39; transactions; grant it for fresher reads/);
  t.match(plain(jobRow(en, 'watched')), /read bound: open-transaction bound \(innodb_trx\)/);
});

t.test('every fixed-lag reason says what it means for freshness and what, if anything, to grant or change', async (t) => {
  const { readWindow } = await import('../../../../gateway/jobs/window.js');
  const { readBoundView } = await import('../../../../gateway/status/collect.js');
  const at = '2026-11-26T07:59:58.000Z';
  const bound = (open: Parameters<typeof readWindow>[0]['open']) => {
    const w = readWindow({ columns: ['updated_at', 'id'], stored: null, kind: 'timestamp', databaseNow: '2026-11-26T08:00:00.000Z', fractionalDigits: 3, safetyLagSecs: 5, lookbackSecs: 0, open });
    return readBoundView({ bound: w.bound!, lagSecs: w.lagSecs, at })!;
  };
  const blind = (reason: 'privilege' | 'replica' | 'unsupported' | 'failed', detail: string, how = 'innodb_trx') => bound({ visible: false, oldestStart: null, how, blind: { reason, detail } });

  // What SqlSource.openTransactions answers for a SQLite file: the dialect has no such view.
  const sqlite = blind('unsupported', 'sqlite', 'sqlite');
  t.equal(sqlite.text, '读取上界：固定延迟 5 秒：SQLite 同一时间只有一个写入者，也不提供查看其他连接未提交事务的方式，网关因此按固定延迟读取，写入在这段时间内提交的行不会漏读；无需授权或更改');
  t.notMatch(sqlite.text, /不显示其他会话的事务/, 'not the old words an IT person could not act on');
  t.equal(sqlite.grant, null);
  t.match(blind('unsupported', 'informix').text, /informix 不提供查看其他会话事务的方式，网关因此按固定延迟读取；无需授权或更改/);
  t.match(blind('failed', 'ORA-00942: table or view does not exist').text, /本次查询源库的未结束事务失败（ORA-00942: table or view does not exist），按固定延迟读取；下次运行会再查/);
  t.match(blind('replica', 'innodb_trx').text, /该库是另一台服务器的副本.*如能改连主库/);
  t.match(bound(null).text, /这类数据源不提供查看未结束事务的方式，网关因此按固定延迟读取；无需授权或更改/);
  const privilege = blind('privilege', 'VIEW SERVER STATE');
  t.match(privilege, { grant: 'VIEW SERVER STATE', text: /缺少 VIEW SERVER STATE 权限，看不到其他会话的事务；授予该权限后读取会更及时/ });

  const { boundWords } = await import('../../../../gateway/probe/bound.js');
  const en = translator('en');
  const say = (b: typeof sqlite) => en.text('common.said', { said: boundWords(b).said });
  t.match(say(sqlite), /SQLite has one writer at a time and no way to see another connection's uncommitted transaction, so the gateway keeps the fixed lag.*nothing to grant or change/);
  t.match(say(blind('failed', 'timeout')), /asking the source for its open transactions failed this time \(timeout\), so this run kept the fixed lag/);
  t.notMatch(say(sqlite), /\p{Script=Han}/u);
});
