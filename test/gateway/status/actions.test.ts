import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import pino from 'pino';
import t from 'tap';
import { RecentFiles } from '../../../gateway/files/recent-files.js';
import { acceptUpload, declareNoData, resendAfterFix, type ResendDeps } from '../../../gateway/status/actions.js';

const logger = pino({ level: 'silent' });
const now = () => new Date('2026-11-27T02:00:00.000Z');

function resendDeps(rows: Record<number, ReturnType<ResendDeps['getRejection']>>) {
  const calls = { requested: [] as number[], reread: [] as string[] };
  const deps: ResendDeps = {
    getRejection: (id) => rows[id] ?? null,
    requestResend: (id) => calls.requested.push(id),
    hasJob: (job) => job === 'penalties',
    reread: (job) => calls.reread.push(job),
    now, logger,
  };
  return { deps, calls };
}

t.test('resend after fix re-reads the whole job of a database row and marks the rejection', async (t) => {
  const { deps, calls } = resendDeps({ 7: { id: 7, job: 'penalties', source: 'platform', resolvedAt: null, category: 'P07-002' } });
  const result = await resendAfterFix(deps, 7, 'admin');
  t.equal(result.ok, true);
  t.match(result.message, /重新读取任务 penalties/);
  t.same(calls, { requested: [7], reread: ['penalties'] });
});

t.test('resend is refused, with what to do, for a file row, a resolved row, a gone job or an unknown id', async (t) => {
  const { deps, calls } = resendDeps({
    1: { id: 1, job: 'drop:folder', source: 'local', resolvedAt: null, category: 'P07-002' },
    2: { id: 2, job: 'penalties', source: 'local', resolvedAt: '2026-11-26T00:00:00.000Z', category: 'P07-002' },
    3: { id: 3, job: 'old-job', source: 'local', resolvedAt: null, category: 'P07-002' },
  });
  t.match(await resendAfterFix(deps, 1, null), { ok: false, code: 'RESEND_NEEDS_FILE', message: /重新上传/ });
  t.match(await resendAfterFix(deps, 2, null), { ok: false, code: 'REJECTION_RESOLVED' });
  t.match(await resendAfterFix(deps, 3, null), { ok: false, code: 'RESEND_JOB_GONE' });
  t.match(await resendAfterFix(deps, 99, null), { ok: false, code: 'REJECTION_UNKNOWN' });
  t.same(calls, { requested: [], reread: [] }, 'nothing was re-read');
});

t.test('a declaration of no data names the current period, and only for categories the department reports', async (t) => {
  const declared: unknown[] = [];
  const deps = { period: (c: string) => (c === 'P07-002' ? '2026-11' : null), declareNoData: (d: unknown) => declared.push(d), now, logger };
  t.match(declareNoData(deps, 'P07-002', 'admin', '  本月无处罚  '), { ok: true, message: /2026-11/ });
  t.same(declared, [{ category: 'P07-002', period: '2026-11', at: '2026-11-27T02:00:00.000Z', by: 'admin', note: '本月无处罚' }]);
  t.match(declareNoData(deps, 'P01-001', null, null), { ok: false, code: 'CATEGORY_NOT_REPORTED' });
  t.equal(declared.length, 1);
});

t.test('an upload lands in the folder\'s incoming/ and shows as waiting; a bad name is explained in Chinese', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'actions-'));
  const recent = new RecentFiles();
  const deps = { folder: { name: 'drop', job: 'drop:folder', root, incoming: join(root, 'incoming') }, recent, maxBytes: 1024, now, logger };
  const ok = await acceptUpload(deps, { filename: '十一月.csv', category: 'P07-002', stream: Readable.from([Buffer.from('x\n')]) }, 'admin');
  t.match(ok, { ok: true, file: 'P07-002_十一月.csv' });
  t.same(await readdir(join(root, 'incoming')), ['P07-002_十一月.csv']);
  t.match(recent.views(new Map()), [{ file: 'P07-002_十一月.csv', status: 'waiting' }]);
  const bad = await acceptUpload(deps, { filename: '处罚.doc', stream: Readable.from([Buffer.from('x')]) }, 'admin');
  t.match(bad, { ok: false, code: 'FILE_FORMAT_UNSUPPORTED', message: /\.xlsx/ });
  const unnamed = await acceptUpload(deps, { filename: '导出数据.xls', stream: Readable.from([Buffer.from('x')]) }, 'admin');
  t.match(unnamed, { ok: false, code: 'FILE_NAME_INVALID', message: /目录编码开头/ }, 'with no profile a name with no code is refused as before');
  const none = await acceptUpload({ ...deps, folder: null }, { filename: 'P07-002.csv', stream: Readable.from([Buffer.from('x')]) }, null);
  t.match(none, { ok: false, code: 'UPLOAD_NO_FOLDER' });
});

t.test('an export with no code in its name is taken when the folder has profiles, and the clerk is told how it will be read', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'actions-'));
  const recent = new RecentFiles();
  const profiles = () => [
    { label: '全国教师资格信息系统 认定导出', category: 'P07-001', matchesName: (f: string) => f.startsWith('教师资格认定'), signature: ['证书号码', '姓名'] },
  ];
  const deps = { folder: { name: 'drop', job: 'drop:folder', root, incoming: join(root, 'incoming') }, recent, profiles, maxBytes: 1024, now, logger };
  const byName = await acceptUpload(deps, { filename: '教师资格认定2017.xls', stream: Readable.from([Buffer.from('x')]) }, 'admin');
  t.match(byName, { ok: true, file: '教师资格认定2017.xls', way: 'profile', profile: '全国教师资格信息系统 认定导出', message: /按导出方案“全国教师资格信息系统 认定导出”读取/ });
  const bySignature = await acceptUpload(deps, { filename: '导出数据.xls', stream: Readable.from([Buffer.from('x')]) }, 'admin');
  t.match(bySignature, { ok: true, way: 'signature', message: /按表头与已配置的导出方案比对[\s\S]*找不到则拒收/ });
  t.same((await readdir(join(root, 'incoming'))).sort(), ['导出数据.xls', '教师资格认定2017.xls']);
});

t.test('an export a profile takes by its name is not renamed by the form\'s category; a category the profile does not report is refused with both named', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'actions-'));
  const recent = new RecentFiles();
  const profiles = () => [{ label: '全国行政许可系统 导出', category: 'P07-001', matchesName: (f: string) => f.startsWith('行政许可信息导出'), signature: [] }];
  const deps = { folder: { name: 'drop', job: 'drop:folder', root, incoming: join(root, 'incoming') }, recent, profiles, maxBytes: 1024, now, logger };
  const same = await acceptUpload(deps, { filename: '行政许可信息导出_20261201.xlsx', category: 'P07-001', stream: Readable.from([Buffer.from('x')]) }, 'admin');
  t.match(same, { ok: true, file: '行政许可信息导出_20261201.xlsx', way: 'profile', profile: '全国行政许可系统 导出', message: /按导出方案“全国行政许可系统 导出”读取/ });
  const other = await acceptUpload(deps, { filename: '行政许可信息导出_20261202.xlsx', category: 'P07-002', stream: Readable.from([Buffer.from('x')]) }, 'admin');
  t.match(other, {
    ok: false,
    code: 'FILE_CATEGORY_MISMATCH',
    params: { profile: '全国行政许可系统 导出', profileCategory: 'P07-001', category: 'P07-002' },
    message: /导出方案“全国行政许可系统 导出”[\s\S]*P07-001[\s\S]*P07-002/,
  });
  const coded = await acceptUpload(deps, { filename: 'P07-002_十二月.xlsx', category: 'P07-001', stream: Readable.from([Buffer.from('x')]) }, 'admin');
  t.match(coded, { ok: false, code: 'FILE_NAME_CATEGORY_MISMATCH', message: /以目录编码 P07-002 开头，与表单中选择的目录 P07-001 不同，未接收/ }, 'nor a name starting with another category\'s code');
  t.same(await readdir(join(root, 'incoming')), ['行政许可信息导出_20261201.xlsx'], 'the refused files never reach incoming/, under either name');
  t.match(recent.views(new Map()), [{ file: '行政许可信息导出_20261201.xlsx', status: 'waiting' }]);
});
