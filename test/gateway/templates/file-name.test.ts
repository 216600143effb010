import t from 'tap';
import { MAX_BASE_NAME, notesFileName, safeFileName, templateBaseName, templateFileName } from '../../../gateway/templates/file-name.js';

/** The drop folder's rule: the category code, optionally `_` and anything, then the format. */
const DROP_FOLDER_NAME = /^(P\d{2}-\d{3})(?:_.*)?\.(csv|xlsx|ndjson)$/;

t.test('a template is named by its category code and name, as the drop folder expects', async (t) => {
  const name = templateFileName({ code: 'P07-002', name: '行政处罚信息' }, 'xlsx');
  t.equal(name, 'P07-002_行政处罚信息.xlsx');
  t.match(name, DROP_FOLDER_NAME);
  t.equal(templateFileName({ code: 'P07-002', name: '行政处罚信息' }, 'csv'), 'P07-002_行政处罚信息.csv');
});

t.test('characters Windows refuses in a name become _', async (t) => {
  t.equal(safeFileName('行政许可/行政确认信息'), '行政许可_行政确认信息');
  t.equal(safeFileName('a\\b:c*d?e"f<g>h|i'), 'a_b_c_d_e_f_g_h_i');
  t.equal(safeFileName('名称. '), '名称', 'no trailing dots or spaces');
  t.equal(safeFileName('甲\t乙'), '甲_乙');
  t.equal(templateBaseName({ code: 'P42-001', name: '行政许可/行政确认信息' }), 'P42-001_行政许可_行政确认信息');
  t.match(templateFileName({ code: 'P42-001', name: '行政许可/行政确认信息' }, 'xlsx'), DROP_FOLDER_NAME);
});

t.test('a name with nothing usable left is just the code', async (t) => {
  t.equal(templateBaseName({ code: 'P01-001', name: '...' }), 'P01-001');
});

t.test('a name never holds .. and stays short, as the drop folder demands', async (t) => {
  t.equal(safeFileName('甲..乙'), '甲.乙');
  const long = templateBaseName({ code: 'P01-001', name: '很长的名称'.repeat(40) });
  t.ok(long.length <= MAX_BASE_NAME);
  t.match(`${long}.xlsx`, DROP_FOLDER_NAME);
});

t.test('the notes beside a CSV end in .txt, which the drop folder ignores', async (t) => {
  t.equal(notesFileName('/in/P07-002_行政处罚信息.csv'), '/in/P07-002_行政处罚信息.说明.txt');
  t.notMatch('P07-002_行政处罚信息.说明.txt', DROP_FOLDER_NAME);
});
