import t from 'tap';
import { parseDate } from '../../../gateway/mapping/dates.js';

t.test('YYYY-MM-DD reads dates, one-digit parts and a trailing time of day', async (t) => {
  t.equal(parseDate('2024-01-05', 'YYYY-MM-DD'), '2024-01-05');
  t.equal(parseDate('2024-1-5', 'YYYY-MM-DD'), '2024-01-05');
  t.equal(parseDate(' 2024-01-05 08:30:00 ', 'YYYY-MM-DD'), '2024-01-05');
  t.equal(parseDate('２０２４－０１－０５', 'YYYY-MM-DD'), '2024-01-05');
});

t.test('a date already written YYYY-MM-DD is kept only when the day exists', async (t) => {
  t.equal(parseDate('2024-02-29', 'YYYY-MM-DD'), '2024-02-29', 'a leap day');
  t.equal(parseDate('2023-02-29', 'YYYY-MM-DD'), null, 'no leap day that year');
  t.equal(parseDate('2024-13-01', 'YYYY-MM-DD'), null, 'a thirteenth month');
  t.equal(parseDate('2024-00-10', 'YYYY-MM-DD'), null, 'a month zero');
  t.equal(parseDate('0999-01-01', 'YYYY-MM-DD'), null, 'a year before 1000');
  t.equal(parseDate('2024-1a-01', 'YYYY-MM-DD'), null, 'a letter among the digits');
});

t.test('a timestamp with a zone is dated in China, where the department recorded it', async (t) => {
  // Midnight of 31 January in Beijing, as a source hands it out in UTC.
  t.equal(parseDate('2024-01-30T16:00:00.000Z', 'YYYY-MM-DD'), '2024-01-31');
  t.equal(parseDate('2024-01-31T00:00:00+08:00', 'YYYY-MM-DD'), '2024-01-31');
});

t.test('YYYY/MM/DD and YYYYMMDD read their own shapes only', async (t) => {
  t.equal(parseDate('2024/1/5', 'YYYY/MM/DD'), '2024-01-05');
  t.equal(parseDate('2024-01-05', 'YYYY/MM/DD'), null);
  t.equal(parseDate('20240105', 'YYYYMMDD'), '2024-01-05');
  t.equal(parseDate(20240105, 'YYYYMMDD'), '2024-01-05');
  t.equal(parseDate('20240105083000', 'YYYYMMDD'), '2024-01-05');
  t.equal(parseDate('2024015', 'YYYYMMDD'), null);
});

t.test('spreadsheet day numbers follow Excel, including its 29 February 1900', async (t) => {
  t.equal(parseDate(45296, 'excel'), '2024-01-05');
  t.equal(parseDate('45296.75', 'excel'), '2024-01-05', 'the time of day is dropped');
  t.equal(parseDate(1, 'excel'), '1900-01-01');
  t.equal(parseDate(59, 'excel'), '1900-02-28');
  t.equal(parseDate(60, 'excel'), null, 'the day Excel invented');
  t.equal(parseDate(61, 'excel'), '1900-03-01');
  t.equal(parseDate(0, 'excel'), null);
  t.equal(parseDate('2024-01-05', 'excel'), '2024-01-05', 'a cell the reader already formatted');
});

t.test('Chinese dates in digits or in numerals', async (t) => {
  t.equal(parseDate('2024年1月5日', 'zh'), '2024-01-05');
  t.equal(parseDate('2024 年 01 月 05 日', 'zh'), '2024-01-05');
  t.equal(parseDate('二〇二四年一月五日', 'zh'), '2024-01-05');
  t.equal(parseDate('二〇二三年十二月三十一日', 'zh'), '2023-12-31');
  t.equal(parseDate('二O二四年十月二十日', 'zh'), '2024-10-20');
  t.equal(parseDate('二〇二四年二月三十日', 'zh'), null);
  t.equal(parseDate('二〇二四年二三月五日', 'zh'), null);
});

t.test('days that do not exist are not dates', async (t) => {
  t.equal(parseDate('2023-02-29', 'YYYY-MM-DD'), null);
  t.equal(parseDate('2024-02-29', 'YYYY-MM-DD'), '2024-02-29');
  t.equal(parseDate('1900-02-29', 'YYYY-MM-DD'), null, '1900 was no leap year');
  t.equal(parseDate('0000-00-00', 'YYYY-MM-DD'), null, "MySQL's zero date");
  t.equal(parseDate('2024-04-31', 'YYYY-MM-DD'), null);
  t.equal(parseDate('2024-13-01', 'YYYY-MM-DD'), null);
});

t.test('values of the wrong type are not dates', async (t) => {
  t.equal(parseDate(null, 'YYYY-MM-DD'), null);
  t.equal(parseDate(true, 'excel'), null);
  t.equal(parseDate(45296, 'YYYY-MM-DD'), null);
  t.equal(parseDate('次年', 'zh'), null);
});

t.test('YYYY.MM.DD reads the dotted dates national systems export', async (t) => {
  t.equal(parseDate('2017.6.2', 'YYYY.MM.DD'), '2017-06-02');
  t.equal(parseDate('2017.06.02 10:00:00', 'YYYY.MM.DD'), '2017-06-02');
  t.equal(parseDate('2017-06-02', 'YYYY.MM.DD'), null);
  t.equal(parseDate('2017.2.30', 'YYYY.MM.DD'), null);
});

t.test('any reads every unambiguous shape an export mixes', async (t) => {
  for (const v of ['2017-06-02', '2017/6/2', '2017.6.2', '2017年6月2日', '20170602', 42888, '42888', '２０１７．６．２', '2017-06-02T00:00:00+08:00']) {
    t.equal(parseDate(v, 'any'), '2017-06-02', String(v));
  }
  t.equal(parseDate(20170602, 'any'), '2017-06-02', 'eight digits typed as a number are a compact date, not a day number');
  t.equal(parseDate('2017-13-02', 'any'), null);
  t.equal(parseDate('6/2/2017', 'any'), null, 'day and month order cannot be told: refused');
  t.equal(parseDate(true, 'any'), null);
});
