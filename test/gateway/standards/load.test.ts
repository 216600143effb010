import { mkdtempSync, writeFileSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { seedsPath } from '../../../gateway/paths.js';
import { createStandards, loadStandards, standardFor, StandardsError, type SeedFile } from '../../../gateway/standards/index.js';
import { describeError } from '../../../gateway/errors.js';

const shipped = loadStandards();

/** The shipped seed files as data, to break one member at a time. */
function seeds(): SeedFile[] {
  const tables = { file: 'code-tables.json', content: { tables: structuredClone(shipped.codeTables) } };
  tables.content.tables = Object.values(tables.content.tables) as never;
  return [tables, ...shipped.list.map(({ codeTables: _tables, ...file }) => ({ file: `${file.code}.json`, content: structuredClone(file) as unknown }))];
}

function problemsOf(files: SeedFile[]): { file: string; path: string; message: string }[] {
  try {
    createStandards(files);
  } catch (err) {
    if (err instanceof StandardsError) return [...err.problems];
    throw err;
  }
  return [];
}

function edit(file: string, change: (content: any) => void): SeedFile[] {
  const files = seeds();
  change(files.find((f) => f.file === file)!.content);
  return files;
}

t.test('the shipped seeds load once per folder, frozen', async (t) => {
  t.equal(loadStandards(), shipped, 'the same object the second time');
  t.ok(Object.isFrozen(shipped.list[0]!.fields[0]));
  t.equal(standardFor({ infoType: '行政处罚' }).code, 'xzcf');
  t.equal(shipped.byCode('xzxk')!.infoType, '行政许可');
  t.equal(shipped.byCode('nonsense'), undefined);
});

t.test('a loaded standard carries the code tables its fields refer to, and only those', async (t) => {
  const xzcf = shipped.byCode('xzcf')!;
  t.same(Object.keys(xzcf.codeTables).sort(), ['cflb', 'gs-zt', 'xdr-lb', 'zjlx']);
  t.equal(xzcf.codeTables.cflb, shipped.codeTables.cflb, 'the same table object');
});

t.test('the seeds rebuilt from their own data load again', async (t) => {
  t.same(problemsOf(seeds()), []);
});

t.test('a misspelt member is named with its file and path', async (t) => {
  const problems = problemsOf(edit('xzcf.json', (s) => { s.fields[3].requried = true; }));
  t.same(problems.map((p) => [p.file, p.path]), [['xzcf.json', 'fields[3].requried']]);
});

t.test('a wrong type is named with its file and path', async (t) => {
  const problems = problemsOf(edit('xzxk.json', (s) => { s.fields[0].type = 'text'; }));
  t.same(problems.map((p) => [p.file, p.path]), [['xzxk.json', 'fields[0].type']]);
});

t.test('a field referring to a code table that does not exist', async (t) => {
  const problems = problemsOf(edit('xzcf.json', (s) => { s.fields.find((f: any) => f.code === 'CF_CFLB').codeTable = 'cflb-2017'; }));
  t.equal(problems.length, 1);
  t.match(problems[0], { file: 'xzcf.json', path: /^fields\[\d+\]\.codeTable$/, message: 'no code table cflb-2017' });
});

t.test('two fields with one code, and an alias naming another field', async (t) => {
  const dup = problemsOf(edit('xzxk.json', (s) => { s.fields[1].code = s.fields[0].code; }));
  t.ok(dup.some((p) => p.path === 'fields[1].code' && /repeats/.test(p.message)), JSON.stringify(dup));
  const alias = problemsOf(edit('xzxk.json', (s) => { s.fields[2].aliases = ['行政相对人名称']; }));
  t.match(alias, [{ file: 'xzxk.json', path: 'fields[2]', message: /"行政相对人名称" also names XK_XDR_MC/ }]);
});

t.test('a rule over a field that does not exist, or of the wrong type', async (t) => {
  const missing = problemsOf(edit('xzcf.json', (s) => { s.rules.push({ kind: 'notFuture', fields: ['CF_XXX'], message: '不能晚于今天' }); }));
  t.match(missing, [{ file: 'xzcf.json', path: /^rules\[\d+\]\.fields\[0\]$/, message: 'no field CF_XXX' }]);
  const typed = problemsOf(edit('xzcf.json', (s) => { s.rules.push({ kind: 'dateOrder', fields: ['CF_WSH', 'CF_JDRQ'], message: '顺序' }); }));
  t.match(typed, [{ message: 'dateOrder applies to dates only' }]);
  const when = problemsOf(edit('xzcf.json', (s) => { s.rules.push({ kind: 'allOf', fields: ['CF_NR_FK'], when: { field: 'CF_CFLB', in: ['罚金'] }, message: '罚款必填' }); }));
  t.match(when, [{ path: /^rules\[\d+\]\.when\.in\[0\]$/, message: '"罚金" is not in code table cflb' }]);
});

t.test('a code table spelling one value twice, or two values alike', async (t) => {
  const files = seeds();
  const tables = (files[0]!.content as any).tables;
  tables.find((tb: any) => tb.code === 'zt').values[1].aliases = ['有效'];
  t.match(problemsOf(files), [{ file: 'code-tables.json', path: /^tables\[\d+\]\.values\[1\]$/, message: '"有效" also spells 1' }]);
});

t.test('a status table that lacks a value the publication status rule derives', async (t) => {
  const files = seeds();
  const tables = (files[0]!.content as any).tables;
  tables.find((tb: any) => tb.code === 'gs-zt').values.pop();
  t.match(problemsOf(files), [{ file: 'xzcf.json', path: /^rules\[\d+\]\.fields\[1\]$/, message: 'its code table lacks 公示期满' }]);
});

t.test('an information type left without a standard, or served twice', async (t) => {
  const without = seeds().filter((f) => f.file !== 'nsxy.json');
  t.match(problemsOf(without), [{ message: 'no standard for information type 纳税信用' }]);
  const twice = edit('qfwy.json', (s) => { s.infoType = '纳税信用'; });
  const problems = problemsOf(twice);
  t.ok(problems.some((p) => /纳税信用 already has its standard/.test(p.message)));
  t.ok(problems.some((p) => /no standard for information type 欠费违约/.test(p.message)));
});

t.test('a standard whose code is not its file name', async (t) => {
  t.match(problemsOf(edit('zz.json', (s) => { s.code = 'zizhi'; })), [{ file: 'zz.json', path: 'code', message: 'is zizhi, the file is zz.json' }]);
});

t.test('a folder with a broken file fails with the file named, and the error says what to do', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'standards-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(seedsPath('standards'), dir, { recursive: true });
  writeFileSync(join(dir, 'hmd.json'), '{ "infoType": ');
  const err = t.throws(() => loadStandards(dir)) as unknown as StandardsError;
  t.equal(err.code, 'STANDARDS_INVALID');
  t.equal(err.problems[0]!.file, 'hmd.json');
  t.match(err.message, /hmd\.json: not readable JSON/);
  t.match(describeError(err), { code: 'STANDARDS_INVALID', action: /seeds\/standards/ });
});
