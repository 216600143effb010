import t from 'tap';
import { fileLimits } from '../../../connectors/files/limits.js';
import { judgeZip } from '../../../connectors/files/zip-guard.js';
import { folderWith, refusal, table } from './helpers.js';
import { workbook } from './xlsx-workbooks.js';
import { zip } from './zip-writer.js';

const limits = fileLimits({ zip: { maxEntries: 10, maxUncompressedBytes: 8 * 1024 * 1024, maxRatio: 100, ratioFloorBytes: 64 * 1024 } });
const entry = (name: string, compressedSize: number, uncompressedSize: number) => ({ name, compressedSize, uncompressedSize, encrypted: false, method: 8 });

t.test('judgeZip: entry count, declared total and ratio, from the central directory alone', async (t) => {
  t.equal(judgeZip([entry('xl/workbook.xml', 400, 700)], limits.zip), null);
  t.match(judgeZip(Array.from({ length: 11 }, (_, i) => entry(`e${i}`, 1, 1)), limits.zip), { code: 'FILE_ZIP_BOMB', params: { entries: 11 } });
  t.match(judgeZip([entry('a', 4_000_000, 5_000_000), entry('b', 4_000_000, 5_000_000)], limits.zip), { code: 'FILE_ZIP_BOMB', params: { entry: 'b', limit: 8 * 1024 * 1024 } });
  t.match(judgeZip([entry('xl/sharedStrings.xml', 1000, 1_000_000)], limits.zip), { code: 'FILE_ZIP_BOMB', params: { ratio: 1000 } });
  t.equal(judgeZip([entry('xl/styles.xml', 10, 60_000)], limits.zip), null, 'a small part may compress as well as it likes');
  t.match(judgeZip([{ ...entry('x', 1, 1), encrypted: true }], limits.zip), { code: 'FILE_XLSX_INVALID', params: { problem: 'encrypted' } });
  t.match(judgeZip([{ ...entry('x', 1, 1), method: 14 }], limits.zip), { code: 'FILE_XLSX_INVALID' });
});

t.test('a zip bomb is refused before any XML is parsed', async (t) => {
  const bomb = zip([
    { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
    { name: 'xl/sharedStrings.xml', data: Buffer.alloc(20 * 1024 * 1024, 0x20) },
  ]);
  t.ok(bomb.length < 100 * 1024, `20 MiB packed into ${bomb.length} bytes`);
  const dir = folderWith(t, { 'bomb.xlsx': bomb });
  t.match(await refusal(table(t, dir, 'bomb.xlsx', 'xlsx', { limits })), { code: 'FILE_ZIP_BOMB' });
});

t.test('a part that lies about its size is stopped as soon as it inflates past what it declared', async (t) => {
  const liar = zip([
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>') },
    { name: 'xl/workbook.xml', data: Buffer.from('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>') },
    // Declares 1 KiB, holds 16 MiB: the directory passes every check, the inflater does not.
    { name: 'xl/sharedStrings.xml', data: Buffer.alloc(16 * 1024 * 1024, 0x20), declaredSize: 1024 },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<worksheet/>') },
  ]);
  const dir = folderWith(t, { 'liar.xlsx': liar });
  t.match(await refusal(table(t, dir, 'liar.xlsx', 'xlsx', { limits: fileLimits() })), { code: 'FILE_ZIP_BOMB', params: { problem: 'a part inflates beyond its declared size' } });
});

t.test('an archive that is not a workbook, or not an archive, is a damaged XLSX', async (t) => {
  const dir = folderWith(t, {
    'nowb.xlsx': zip([{ name: 'hello.txt', data: Buffer.from('hi') }]),
    'trunc.xlsx': (await workbook({ 数据: [['a'], [1]] })).subarray(0, 200),
    'slip.xlsx': zip([{ name: '../../etc/passwd', data: Buffer.from('x') }]),
  });
  t.match(await refusal(table(t, dir, 'nowb.xlsx', 'xlsx')), { code: 'FILE_XLSX_INVALID', params: { problem: 'no workbook part' } });
  t.match(await refusal(table(t, dir, 'trunc.xlsx', 'xlsx')), { code: 'FILE_XLSX_INVALID' });
  t.match(await refusal(table(t, dir, 'slip.xlsx', 'xlsx')), { code: 'FILE_XLSX_INVALID' }, 'an entry named outside the archive is refused by yauzl (nothing is ever extracted anyway)');
});

t.test('broken sheet XML refuses the file, from the row where it breaks', async (t) => {
  const rels = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>';
  const book = '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>';
  const sheet = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    + '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
    + '<row r="2"><c r="A2"><v>1</v></c></row>'
    + '<row r="3"><c r="A3"><v>2</v></c></row><row r="4"><c r="A4"><v>3</v></x></row></sheetData></worksheet>';
  const dir = folderWith(t, { 'broken.xlsx': zip([
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(rels) },
    { name: 'xl/workbook.xml', data: Buffer.from(book) },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(sheet) },
  ]) });
  const seen: number[] = [];
  const failure = await refusal((async () => {
    // exceljs parses a chunk of XML at a time: a break may surface while the header is read, or later.
    const x = await table(t, dir, 'broken.xlsx', 'xlsx', { pageSize: 1 });
    for await (const page of x.pages()) seen.push(...page.map((r) => r.rowNumber));
  })());
  t.match(failure, { code: 'FILE_XLSX_INVALID', params: { row: Number } });
  t.ok(seen.every((n, i) => n === i + 2 && n < 4), `rows before the break may have been read (${seen.join(', ')}), none from it on`);
});
