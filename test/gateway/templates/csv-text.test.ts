import t from 'tap';
import { BOM, csvCell, notesText } from '../../../gateway/templates/csv-text.js';
import { NOTES_SHEET } from '../../../gateway/templates/spec.js';

t.test('cells are quoted only when they must be', async (t) => {
  t.equal(csvCell('行政处罚决定书文号'), '行政处罚决定书文号');
  t.equal(csvCell('a,b'), '"a,b"');
  t.equal(csvCell('说"明"'), '"说""明"""');
  t.equal(csvCell('两\n行'), '"两\n行"');
});

t.test('the notes text reads in Notepad: BOM, CRLF, key：value and | tables', async (t) => {
  const text = notesText({
    name: NOTES_SHEET,
    widths: [],
    rows: [
      { cells: ['测试信息 数据模板'], style: 'title' },
      { cells: ['信息类别代码', 'P99-001'], style: 'meta' },
      { cells: ['字段代码', '中文名', '必填'], style: 'tableHeader' },
      { cells: ['WH', '文号', '是'], style: 'requiredField' },
      { cells: ['BZ', '备注', '否', ''], style: 'field' },
    ],
  });
  t.ok(text.startsWith(BOM));
  t.same(text.slice(1).split('\r\n'), [
    '测试信息 数据模板',
    '信息类别代码：P99-001',
    '字段代码 | 中文名 | 必填',
    'WH | 文号 | 是',
    'BZ | 备注 | 否',
    '',
  ]);
});
