import t from 'tap';
import { namePattern, profileName } from '../../../../gateway/profiles/suggest/name-pattern.js';
import { datesSeen, dateShape } from '../../../../gateway/profiles/suggest/date-shapes.js';

t.test('next month\'s export matches: dates, numbers and copy marks become *', async (t) => {
  t.equal(namePattern('教师资格认定_20170602.xls'), '教师资格认定_*.xls');
  t.equal(namePattern('2017年6月行政许可信息.XLSX'), '*行政许可信息.xlsx');
  t.equal(namePattern('特种设备登记 2017-06-02 (1).xls'), '特种设备登记 *.xls');
  t.equal(namePattern('jszg_rd_201706 - 副本.csv'), 'jszg_rd_*.csv');
  t.equal(namePattern('20170602.xls'), null, 'nothing left but the extension: the header signature alone recognises it');
});

t.test('a profile name from the file name\'s Latin letters, else the category; never one already taken', async (t) => {
  t.equal(profileName('jszg_rd_201706.xls', 'P13-002'), 'jszg-rd');
  t.equal(profileName('教师资格认定.xls', 'P13-002'), 'p13-002-export');
  t.equal(profileName('教师资格认定.xls', 'P13-002', ['p13-002-export']), 'p13-002-export-2');
});

t.test('date shapes: one shape is named exactly, several are any', async (t) => {
  t.same(['2017-06-02', '2017/6/2', '2017.6.2', '2017年6月2日', '20170602', 20170602, 42888, '长期', ''].map(dateShape),
    ['YYYY-MM-DD', 'YYYY/MM/DD', 'YYYY.MM.DD', 'zh', 'YYYYMMDD', 'YYYYMMDD', 'excel', null, null]);
  t.equal(datesSeen(['2017.6.2', '2017.12.31', null, '长期']).format, 'YYYY.MM.DD');
  t.equal(datesSeen(['2017.6.2', '2017年6月3日']).format, 'any');
  t.same(datesSeen(['2017.6.2', '2017年6月3日', '2017年6月4日', '不详']).shapes, [{ shape: 'zh', count: 2 }, { shape: 'YYYY.MM.DD', count: 1 }]);
  t.equal(datesSeen(['2017.6.2', '不详']).unreadable, 1);
});
