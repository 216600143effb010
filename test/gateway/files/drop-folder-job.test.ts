import t from 'tap';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, linkSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileLimits } from '../../../connectors/files/limits.js';
import type { FileOutcome } from '../../../gateway/files/drop-folder-job.js';
import { Store } from '../../../gateway/store/store.js';
import { filledTemplate } from '../../connectors/files/xlsx-workbooks.js';
import { zip } from '../../connectors/files/zip-writer.js';
import { drop, folders, GOOD, job, openStore, penaltiesCsv, readReport, testDir } from './helpers.js';

const posix = process.platform !== 'win32';
const processed = (o: FileOutcome) => o as Extract<FileOutcome, { status: 'processed' }>;
const rejected = (o: FileOutcome) => o as Extract<FileOutcome, { status: 'rejected' }>;

t.test('a good file is committed, then moved to processed/ under its drop time, with no report', async (t) => {
  const f = folders(t);
  const store = openStore(t);
  drop(f, 'P07-002_2026-11.csv', penaltiesCsv(GOOD));
  const outcome = processed(await job(store, f).process('P07-002_2026-11.csv'));
  t.match(outcome, { status: 'processed', category: 'P07-002', report: null, rows: 3, queued: 3, unchanged: 0, refused: 0, problems: 0 });
  t.match(outcome.movedTo, /processed\/\d{8}-\d{6}-\d{3}_P07-002_2026-11\.csv$/);
  t.same(readdirSync(f.incoming), []);
  t.same(readdirSync(f.processed), [outcome.movedTo.split('/').pop()]);
  t.equal(store.lastSeq(), 3);
  t.match(store.jobStates(), [{ job: 'drop-folder', lastError: null }]);
});

t.test('UTF-8, UTF-8 with BOM, GB18030 and GBK files give the same records', async (t) => {
  const names = new Map<string, unknown[]>();
  for (const name of ['P07-002_utf8.csv', 'P07-002_utf8-bom.csv', 'P07-002_gb18030.csv', 'P07-002_gbk.csv']) {
    await t.test(name, async (t) => {
      const f = folders(t);
      const store = openStore(t);
      drop(f, name, { fixture: name });
      t.match(await job(store, f).process(name), { status: 'processed', rows: 3, queued: 3, refused: 0 });
      const batch = store.nextBatch({ maxRecords: 10, maxBytes: 1e6 }, () => 'b')!;
      names.set(name, batch.records.map((r) => JSON.parse(r.line).data.CF_XDR_MC));
    });
  }
  t.same(names.get('P07-002_gb18030.csv'), names.get('P07-002_utf8.csv'), 'GB18030 keeps 𠮷');
  t.same(names.get('P07-002_utf8-bom.csv'), names.get('P07-002_utf8.csv'));
  t.match(names.get('P07-002_gbk.csv')![1], /吉祥/);
});

t.test('the same file dropped twice sends nothing new', async (t) => {
  const f = folders(t);
  const store = openStore(t);
  const j = job(store, f);
  drop(f, 'P07-002.csv', penaltiesCsv(GOOD));
  t.match(await j.process('P07-002.csv'), { status: 'processed', queued: 3 });
  const seq = store.lastSeq();
  drop(f, 'P07-002.csv', penaltiesCsv(GOOD));
  t.match(await j.process('P07-002.csv'), { status: 'processed', queued: 0, unchanged: 3 });
  t.equal(store.lastSeq(), seq, 'no new seq was handed out');
  t.equal(readdirSync(f.processed).length, 2, 'both drops are kept in processed/');
});

t.test('the same rows in another name and another format send nothing new; a changed row is sent again', async (t) => {
  const f = folders(t);
  const store = openStore(t);
  const j = job(store, f);
  drop(f, 'P07-002_utf8.csv', { fixture: 'P07-002_utf8.csv' });
  await j.process('P07-002_utf8.csv');
  drop(f, 'P07-002_again.csv', { fixture: 'P07-002_gb18030.csv' });
  t.match(await j.process('P07-002_again.csv'), { status: 'processed', queued: 0, unchanged: 3 });
  const changed = readFileSync(join(f.processed, readdirSync(f.processed)[0]!), 'utf8').replace('1.5', '2.5');
  drop(f, 'P07-002_fixed.csv', changed);
  t.match(await j.process('P07-002_fixed.csv'), { status: 'processed', queued: 1, unchanged: 2 });
});

t.test('a crash between commit and move resends nothing: the file is read again and every record is unchanged', async (t) => {
  const dir = testDir(t);
  const f = folders(t);
  const bad = [...GOOD[1]!];
  bad[2] = '9142020010UP4A1B0X';
  drop(f, 'P07-002.csv', penaltiesCsv([GOOD[0]!, bad, GOOD[2]!]));
  const before = Store.open({ file: join(dir, 'gateway.sqlite') });
  const crashed = await job(before, f, { move: async () => { throw Object.assign(new Error('power cut'), { code: 'EIO' }); } }).process('P07-002.csv');
  t.match(crashed, { status: 'left', code: 'EIO' });
  const seq = before.lastSeq();
  t.equal(seq, 2, 'the good records were committed before the move');
  before.close();
  t.ok(existsSync(join(f.incoming, 'P07-002.csv')), 'the file is still in incoming/');
  t.same(readdirSync(f.processed), [], 'and no report sits in processed/ without its file');

  const after = openStore(t, dir);
  t.match(await job(after, f).process('P07-002.csv'), { status: 'processed', queued: 0, unchanged: 2, refused: 1 });
  t.equal(after.lastSeq(), seq);
  t.equal(after.nextBatch({ maxRecords: 100, maxBytes: 1e6 }, () => 'b1')!.records.length, 2, 'the outbox holds the two records once');
  t.equal(readdirSync(f.processed).filter((n) => n.endsWith('.errors.csv')).length, 1, 'one report, beside the moved file');
});

t.test('rows with problems: good rows are committed, the file goes to processed/ with a report beside it, the rest waits in the store', async (t) => {
  const f = folders(t);
  const store = openStore(t);
  const bad = [...GOOD[1]!];
  bad[2] = '9142020010UP4A1B0X';
  const ragged = [...GOOD[2]!, 'extra'];
  drop(f, 'P07-002_mixed.csv', penaltiesCsv([GOOD[0]!, bad, ragged]));
  const outcome = processed(await job(store, f).process('P07-002_mixed.csv'));
  t.match(outcome, { status: 'processed', rows: 3, queued: 1, refused: 2, problems: 2 });
  t.equal(outcome.report, `${outcome.movedTo}.errors.csv`);
  t.same(readReport(outcome.report!), [
    ['工作表', '行号', '字段', '原因代码', '原因'],
    ['', '3', '统一社会信用代码', 'CREDIT_CODE_CHECK', '统一社会信用代码校验位错误：应为 7'],
    ['', '4', '', 'FILE_ROW_RAGGED', '此行有 8 个单元格，表头有 7 列：常见原因是值中的逗号没有加引号'],
  ]);
  t.same(store.listRejections().map((r) => r.code).sort(), ['CREDIT_CODE_CHECK', 'FILE_ROW_RAGGED'], 'the status page sees them too');
});

t.test('a filled-in XLSX template: dates and rich text read, formulas and over-long numbers refused per row', async (t) => {
  const f = folders(t);
  const store = openStore(t);
  drop(f, 'P07-002_2026-11.xlsx', await filledTemplate());
  const category = (await import('./helpers.js')).penaltyCategory();
  const narrow = { ...category, requiredFields: ['CF_WSH', 'CF_XDR_MC', 'CF_XDR_SHXYM', 'CF_JDRQ'] };
  const outcome = processed(await job(store, f, { category: () => narrow }).process('P07-002_2026-11.xlsx'));
  t.match(outcome, { status: 'processed', rows: 4, queued: 2, refused: 2 });
  t.same(readReport(outcome.report!).slice(1).map((r) => r.slice(1, 4)), [
    ['4', '罚款金额（万元）', 'FILE_FORMULA_CELL'],
    ['6', '统一社会信用代码', 'FILE_NUMBER_PRECISION'],
    ['6', '罚款金额（万元）', 'FILE_CELL_ERROR'],
  ]);
  const batch = store.nextBatch({ maxRecords: 10, maxBytes: 1e6 }, () => 'b')!;
  t.same(batch.records.map((r) => JSON.parse(r.line).data.CF_JDRQ), ['2026-11-05', '2026-11-06']);
});

t.test('a retired column is read past with a notice in the report; the file is processed', async (t) => {
  const f = folders(t);
  const store = openStore(t);
  drop(f, 'P07-002.csv', penaltiesCsv(GOOD).replace('处罚机关\r\n', '处罚机关,地方编码\r\n').replace(/社会保障局\r\n/g, '社会保障局,420200\r\n'));
  const outcome = processed(await job(store, f).process('P07-002.csv'));
  t.match(outcome, { status: 'processed', queued: 3, refused: 0, problems: 1 });
  t.match(readReport(outcome.report!)[1], ['', '1', '地方编码', 'FILE_COLUMN_RETIRED', /已停用/]);
});

t.test('file-level problems: moved to rejected/ with the reason beside it, nothing committed', async (t) => {
  const cases: { name: string; content: string | Buffer | { fixture: string }; code: string; reason: RegExp }[] = [
    { name: 'P07-002..csv', content: penaltiesCsv(GOOD), code: 'FILE_NAME_INVALID', reason: /类别代码_任意说明/ },
    { name: '..\\P07-002.csv', content: penaltiesCsv(GOOD), code: 'FILE_NAME_INVALID', reason: /文件名不符合规则/ },
    { name: 'P07-002.xls', content: 'old excel', code: 'FILE_XLS_INVALID', reason: /不是 Excel 97-2003 工作簿/ },
    { name: 'P07-002.doc', content: 'old word', code: 'FILE_FORMAT_UNSUPPORTED', reason: /另存为/ },
    { name: 'P99-999_x.csv', content: penaltiesCsv(GOOD), code: 'FILE_CATEGORY_UNKNOWN', reason: /P99-999.*不在信息目录中/ },
    { name: 'P07-002_bytes.csv', content: { fixture: 'invalid-bytes.csv' }, code: 'FILE_ENCODING_INVALID', reason: /既不是有效的 UTF-8（第 2 行起）/ },
    { name: 'P07-002_damaged.csv', content: { fixture: 'damaged-utf8.csv' }, code: 'FILE_ENCODING_INVALID', reason: /UTF-8 编码，但第 4 行/ },
    { name: 'P07-002_u16.csv', content: { fixture: 'utf16.csv' }, code: 'FILE_ENCODING_INVALID', reason: /UTF-16/ },
    { name: 'P07-002_empty.csv', content: '', code: 'FILE_EMPTY', reason: /没有表头/ },
    { name: 'P07-002_cols.csv', content: penaltiesCsv(GOOD).replace('处罚机关', '处罚机关名称'), code: 'FILE_COLUMN_UNKNOWN', reason: /列“处罚机关名称”（第 G 列）不是 P07-002/ },
    { name: 'P07-002_dup.csv', content: 'a,b,a\r\n1,2,3\r\n', code: 'FILE_HEADER_DUPLICATE', reason: /重复：a/ },
    { name: 'P07-002_bomb.xlsx', content: zip([{ name: 'xl/sharedStrings.xml', data: Buffer.alloc(300 * 1024 * 1024 / 64, 0x20) }]), code: 'FILE_ZIP_BOMB', reason: /压缩炸弹/ },
    { name: 'P07-002_notzip.xlsx', content: penaltiesCsv(GOOD), code: 'FILE_XLSX_INVALID', reason: /已损坏/ },
  ];
  const f = folders(t);
  const store = openStore(t);
  const j = job(store, f, { limits: fileLimits({ zip: { maxUncompressedBytes: 1024 * 1024 } }) });
  for (const c of cases) {
    drop(f, c.name, c.content);
    const outcome = rejected(await j.process(c.name));
    t.match(outcome, { status: 'rejected', code: c.code }, c.name);
    t.match(outcome.movedTo, /rejected\/\d{8}-\d{6}-\d{3}(-\d+)?_/);
    const report = readReport(outcome.report);
    t.equal(report[1]![3], c.code);
    t.match(report[1]![4], c.reason, `${c.name}: ${report[1]![4]}`);
  }
  t.same(readdirSync(f.incoming), []);
  t.equal(store.lastSeq(), 0, 'nothing of any of them was committed');
});

t.test('unknown and missing columns are all listed at once, on the header row', async (t) => {
  const f = folders(t);
  const store = openStore(t);
  drop(f, 'P07-002.csv', '行政处罚决定书文号,名称,=HYPERLINK("http://evil"),处罚决定日期\r\n1,2,3,4\r\n');
  const outcome = rejected(await job(store, f).process('P07-002.csv'));
  t.same(readReport(outcome.report).slice(1).map((r) => r.slice(1, 4)), [
    ['1', '名称', 'FILE_COLUMN_UNKNOWN'],
    ['1', `'=HYPERLINK("http://evil")`, 'FILE_COLUMN_UNKNOWN'],
    ['1', '统一社会信用代码（CF_XDR_SHXYM）', 'FILE_COLUMN_MISSING'],
    ['1', '相对人名称（CF_XDR_MC）', 'FILE_COLUMN_MISSING'],
  ], 'and a header that is a formula reaches the report as text');
});

t.test('a file over the size limit is refused unread', async (t) => {
  const f = folders(t);
  const store = openStore(t);
  const text = penaltiesCsv(GOOD);
  drop(f, 'P07-002.csv', text);
  const limit = Buffer.byteLength(text) - 1;
  const outcome = rejected(await job(store, f, { limits: fileLimits({ maxFileBytes: limit }) }).process('P07-002.csv'));
  t.match(outcome, { code: 'FILE_TOO_LARGE' });
  t.match(readReport(outcome.report)[1]![4], new RegExp(`超过上限 ${limit} 字节`));
});

t.test('links and devices are refused without being read, and moved aside (the link, not its target)', { skip: !posix }, async (t) => {
  const f = folders(t);
  const store = openStore(t);
  const secret = join(testDir(t), 'secret.csv');
  writeFileSync(secret, penaltiesCsv(GOOD));
  symlinkSync(secret, join(f.incoming, 'P07-002_link.csv'));
  linkSync(secret, join(f.incoming, 'P07-002_hard.csv'));
  execFileSync('mkfifo', [join(f.incoming, 'P07-002_fifo.csv')]);
  const j = job(store, f);
  for (const [name, kind] of [['P07-002_link.csv', '符号链接'], ['P07-002_hard.csv', '硬链接'], ['P07-002_fifo.csv', '管道']] as const) {
    const outcome = rejected(await j.process(name));
    t.match(outcome, { status: 'rejected', code: 'FILE_NOT_REGULAR' }, name);
    t.match(readReport(outcome.report)[1]![4], new RegExp(kind));
  }
  t.equal(store.lastSeq(), 0);
  t.ok(existsSync(secret), 'the target of the link is where it was');
});

t.test('a file that cannot be read to its end: rows before the break are committed, the file is rejected saying where it stopped', async (t) => {
  const f = folders(t);
  const store = openStore(t);
  drop(f, 'P07-002.csv', `${penaltiesCsv(GOOD)}"黄人社监罚〔2026〕14号,never closed\r\n`);
  const outcome = rejected(await job(store, f).process('P07-002.csv'));
  t.match(outcome, { status: 'rejected', code: 'FILE_CSV_MALFORMED', rows: 3, queued: 3 });
  const [, line] = readReport(outcome.report);
  t.equal(line![1], '5');
  t.match(line![4], /引号没有闭合.*此前的 3 行已处理/);
});

t.test('a store failure leaves the file in incoming/, with no report and nothing moved', async (t) => {
  const f = folders(t);
  drop(f, 'P07-002.csv', penaltiesCsv(GOOD));
  const failing = { commitPage: () => { throw Object.assign(new Error('database is locked'), { code: 'STORE_BUSY' }); } };
  t.match(await job(failing, f).process('P07-002.csv'), { status: 'left', code: 'STORE_BUSY' });
  t.same(readdirSync(f.incoming), ['P07-002.csv']);
  t.same(readdirSync(f.processed), [], 'the temporary report was removed');
  t.same(readdirSync(f.rejected), []);
});

t.test('a file that changes while it is read is left for its next turn', async (t) => {
  const f = folders(t);
  const store = openStore(t);
  const path = drop(f, 'P07-002.csv', penaltiesCsv(GOOD));
  const appending = {
    commitPage: (page: Parameters<Store['commitPage']>[0]) => {
      appendFileSync(path, `${GOOD[0]!.join(',')}\r\n`);
      return store.commitPage(page);
    },
  };
  t.match(await job(appending, f).process('P07-002.csv'), { status: 'left', code: 'FILE_CHANGED_WHILE_READING' });
  t.ok(existsSync(path));
});

t.test('a file gone before its turn is simply gone', async (t) => {
  const f = folders(t);
  t.same(await job(openStore(t), f).process('P07-002.csv'), { status: 'gone', file: 'P07-002.csv' });
});
