import t from 'tap';
import { RecentFiles } from '../../../gateway/files/recent-files.js';

const counts = { rows: 3, queued: 2, unchanged: 0, refused: 1, problems: 1 };

t.test('an uploaded file shows as waiting, then processed, then delivered once its folder has nothing pending', async (t) => {
  const recent = new RecentFiles();
  recent.received('upload', 'upload:folder', 'P07-002_a.csv', '2026-11-27T01:00:00.000Z');
  t.match(recent.views(new Map()), [{ file: 'P07-002_a.csv', status: 'waiting', delivered: false }]);
  recent.outcome('upload', 'upload:folder', { status: 'processed', file: 'P07-002_a.csv', category: 'P07-002', movedTo: 'x', report: 'r', ...counts }, '2026-11-27T01:00:05.000Z');
  const waiting = recent.views(new Map([['upload:folder', 2]]));
  t.equal(waiting.length, 1, 'the waiting entry is replaced, not doubled');
  t.match(waiting[0], { status: 'processed', rows: 3, queued: 2, rejected: 1, delivered: false });
  t.match(waiting[0]!.message, /1 行未通过校验/);
  t.equal(recent.views(new Map([['upload:folder', 0]]))[0]!.delivered, true);
});

t.test('a file rejected as a whole carries its code and is never shown as delivered', async (t) => {
  const recent = new RecentFiles();
  recent.outcome('upload', 'upload:folder', { status: 'rejected', file: 'P99-001.csv', code: 'FILE_CATEGORY_UNKNOWN', movedTo: 'x', report: 'r', ...counts }, '2026-11-27T01:00:00.000Z');
  t.match(recent.views(new Map()), [{ status: 'rejected', delivered: false, message: 'FILE_CATEGORY_UNKNOWN' }]);
});

t.test('only the newest files are kept', async (t) => {
  const recent = new RecentFiles(2);
  for (const f of ['a', 'b', 'c']) recent.received('upload', 'upload:folder', `P07-002_${f}.csv`, '2026-11-27T01:00:00.000Z');
  t.same(recent.views(new Map()).map((v) => v.file), ['P07-002_c.csv', 'P07-002_b.csv']);
});

t.test('an export read by profiles carries the profile, where its data comes from and the sheets read to the page', async (t) => {
  const recent = new RecentFiles();
  recent.received('upload', 'upload:folder', '教师资格认定2017.xls', '2026-11-27T01:00:00.000Z');
  const readWith = { profiles: ['全国教师资格信息系统 认定导出'], provenance: [{ kind: 'system' as const, system: '全国教师资格信息系统', profile: 'jszg-rd' }], sheets: ['2017年1月'] };
  recent.outcome('upload', 'upload:folder', { status: 'processed', file: '教师资格认定2017.xls', category: 'P03-005', movedTo: 'x', report: null, readWith, ...counts }, '2026-11-27T01:00:05.000Z');
  t.same(recent.views(new Map())[0]!.readWith, readWith);
  recent.outcome('upload', 'upload:folder', { status: 'processed', file: 'P07-002_a.csv', category: 'P07-002', movedTo: 'x', report: null, ...counts }, '2026-11-27T01:00:06.000Z');
  t.notOk('readWith' in recent.views(new Map())[0]!, 'a template file has none');
});
