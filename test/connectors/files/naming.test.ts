import t from 'tap';
import { classifyName, safeName } from '../../../connectors/files/naming.js';

t.test('a data file is named by its category code, then anything after an underscore', async (t) => {
  t.same(classifyName('P07-002_2026-11.xlsx'), { kind: 'data', category: 'P07-002', format: 'xlsx' });
  t.same(classifyName('P07-002_行政处罚信息.csv'), { kind: 'data', category: 'P07-002', format: 'csv' });
  t.same(classifyName('P07-002.ndjson'), { kind: 'data', category: 'P07-002', format: 'ndjson' });
  t.same(classifyName('P07-002_a_b.c.CSV'), { kind: 'data', category: 'P07-002', format: 'csv' }, 'extension in any case; only the first _ separates');
});

t.test('files still being written, lock files and template notes are ignored, not refused', async (t) => {
  for (const name of ['.P07-002.csv.swp', '.~lock.P07-002.xlsx#', '~$P07-002.xlsx', 'P07-002.csv.tmp', 'P07-002.xlsx.part', 'P07-002.csv.crdownload', 'P07-002_行政处罚信息.说明.txt']) {
    t.equal(classifyName(name).kind, 'ignored', name);
  }
});

t.test('other formats are refused with a reason a clerk can act on', async (t) => {
  t.same(classifyName('P07-002_2026-11.XLS'), { kind: 'data', category: 'P07-002', format: 'xls' }, 'Excel 97-2003, as national systems export it');
  t.match(classifyName('P07-002.doc'), { kind: 'refused', code: 'FILE_FORMAT_UNSUPPORTED' });
  t.match(classifyName('P07-002.json'), { kind: 'refused', code: 'FILE_FORMAT_UNSUPPORTED' });
  t.match(classifyName('P07-002'), { kind: 'refused', code: 'FILE_FORMAT_UNSUPPORTED' });
});

t.test('a name that does not start with a code is data with no code: whether a profile reads it is the gateway\'s call', async (t) => {
  t.same(classifyName('行政处罚_P07-002.csv'), { kind: 'data', category: null, format: 'csv' });
  t.same(classifyName('P07 002.csv'), { kind: 'data', category: null, format: 'csv' });
  t.same(classifyName('_P07-002.csv'), { kind: 'data', category: null, format: 'csv' });
  t.same(classifyName('教师资格认定2017.xls'), { kind: 'data', category: null, format: 'xls' }, 'as a national system names its export');
  t.match(classifyName('教师资格认定2017.doc'), { kind: 'refused', code: 'FILE_FORMAT_UNSUPPORTED' }, 'the format is still checked');
});

t.test('names that could leave the folder are refused before anything else, even when they look temporary', async (t) => {
  for (const name of ['../P07-002.csv', '..\\P07-002.csv', 'a/b.csv', 'P07-002..csv', '..', '.../x.tmp', 'P07-002\u0000.csv', 'P07-002\n.csv', '']) {
    t.match(classifyName(name), { kind: 'refused', code: 'FILE_NAME_INVALID' }, JSON.stringify(name));
  }
});

t.test('a very long name is refused: the moved file and its report must still fit a file system', async (t) => {
  t.match(classifyName(`P07-002_${'长'.repeat(200)}.csv`), { kind: 'refused', code: 'FILE_NAME_INVALID' });
});

t.test('safeName makes any name fit to move and report under', async (t) => {
  t.equal(safeName('P07-002_2026-11.xlsx'), 'P07-002_2026-11.xlsx', 'a good name is unchanged');
  t.equal(safeName('..\\..\\evil.csv'), '____evil.csv', 'no .. and no separator survives');
  t.equal(safeName('a:b*c?.csv'), 'a_b_c_.csv');
  t.equal(safeName('x\u0007y. '), 'x_y');
  t.equal(safeName(''), '_');
});
