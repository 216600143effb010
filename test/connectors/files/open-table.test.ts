import t from 'tap';
import { fileLimits } from '../../../connectors/files/limits.js';
import { folderWith, refusal, table } from './helpers.js';

t.test('a file over the size limit is refused before a byte is parsed', async (t) => {
  const limit = 1000;
  const dir = folderWith(t, { 'big.csv': Buffer.concat([Buffer.from('a\n'), Buffer.alloc(limit - 1, 0x31)]) });
  t.same(await refusal(table(t, dir, 'big.csv', 'csv', { limits: fileLimits({ maxFileBytes: limit }) })), {
    code: 'FILE_TOO_LARGE', params: { bytes: limit + 1, limit },
  });
});

t.test('a text file in no known encoding is refused whole, naming the line', async (t) => {
  const dir = folderWith(t, { 'bad.csv': { fixture: 'invalid-bytes.csv' }, 'bad.ndjson': { fixture: 'invalid-bytes.csv' }, 'u16.csv': { fixture: 'utf16.csv' } });
  t.same(await refusal(table(t, dir, 'bad.csv', 'csv')), {
    code: 'FILE_ENCODING_INVALID', params: { reason: 'neither', line: 2, byte: 5, gb18030Line: 2 },
  });
  t.match(await refusal(table(t, dir, 'bad.ndjson', 'ndjson')), { code: 'FILE_ENCODING_INVALID' });
  t.match(await refusal(table(t, dir, 'u16.csv', 'csv')), { code: 'FILE_ENCODING_INVALID', params: { reason: 'utf16' } });
});

t.test('the file handle survives the encoding pass and the table: the gateway still checks and moves the file', async (t) => {
  const dir = folderWith(t, { 'ok.csv': { fixture: 'P07-002_gbk.csv' } });
  const csv = await table(t, dir, 'ok.csv', 'csv');
  for await (const _ of csv.pages()) void _;
  await csv.close();
  t.pass('closing the table twice (here and at teardown) is harmless');
});

t.test('a CSV named .xlsx is a damaged workbook, not a crash', async (t) => {
  const dir = folderWith(t, { 'x.xlsx': { fixture: 'P07-002_utf8.csv' } });
  t.match(await refusal(table(t, dir, 'x.xlsx', 'xlsx')), { code: 'FILE_XLSX_INVALID' });
});
