import t from 'tap';
import { containsIdNumber } from '../../../gateway/identifiers/mask.js';
import type { RejectionQuery } from '../../../gateway/rejections/query.js';
import { BOM, csvCell, csvLine, EXPORT_CHUNK, rejectionsCsv } from '../../../gateway/rejections/csv.js';
import type { RejectionView } from '../../../gateway/rejections/view.js';
import { contentDisposition } from '../../../gateway/status/csv.js';

t.test('a cell a spreadsheet would run as a formula is read as text', async (t) => {
  for (const lead of ['=', '+', '-', '@', '\t', '\r']) t.equal(csvCell(`${lead}1+1`).replace(/^"|"$/g, '').startsWith(`'${lead}`), true, JSON.stringify(lead));
  t.equal(csvCell('=SUM(A1:A9)'), "'=SUM(A1:A9)");
  t.equal(csvCell('a=b'), 'a=b', 'only a leading sign matters');
  t.equal(csvCell('42'), '42');
});

t.test('cells are quoted as RFC 4180 says', async (t) => {
  t.equal(csvCell('a,b'), '"a,b"');
  t.equal(csvCell('say "hi"'), '"say ""hi"""');
  t.equal(csvCell('two\nlines'), '"two\nlines"');
  t.equal(csvCell(null), '');
  t.equal(csvLine(['x', 1, null]), 'x,1,\r\n');
});

t.test('the export pages through every matching rejection in chunks, BOM first, identity numbers masked', async (t) => {
  const id = '420202199001011231';
  const rows: RejectionView[] = Array.from({ length: EXPORT_CHUNK + 5 }, (_, i) => ({
    id: i + 1, at: '2026-11-26T07:58:00.000Z', source: 'local', job: 'penalties', category: 'P07-002', key: `${i}|${id}`, field: null,
    code: 'ID_CHECK_DIGIT', message: '校验位错误', subjectCode: id,
  }));
  const queries: RejectionQuery[] = [];
  let out = '';
  for await (const chunk of rejectionsCsv((q) => {
    queries.push(q);
    return { total: rows.length, items: rows.slice(q.offset, q.offset + q.limit) };
  }, { category: 'P07-002' }, new Map([['P07-002', '行政处罚信息']]), 'zh')) out += chunk;
  t.same(queries.map((q) => [q.offset, q.limit, q.category]), [[0, 1000, 'P07-002'], [1000, 1000, 'P07-002']]);
  t.ok(out.startsWith(BOM));
  t.equal(out.split('\r\n').length - 2, rows.length, 'header plus every row');
  t.match(out, /0\|420202\*{8}1231,,ID_CHECK_DIGIT,校验位错误,420202\*{8}1231,待修正/);
  t.match(out, /,行政处罚信息,/);
  t.match(out, /^\uFEFF时间（北京时间）,/, 'the time column says its zone');
  t.match(out, /\r\n2026-11-26 15:58:00,本地校验,/, 'and the time is Beijing wall-clock time, whatever the host zone');
  t.notOk(containsIdNumber(out));
});

t.test('the English export has English headers and the same data', async (t) => {
  let out = '';
  for await (const chunk of rejectionsCsv(() => ({ total: 0, items: [] }), {}, new Map(), 'en')) out += chunk;
  t.equal(out, `${BOM}time (Beijing),stage,job,category code,category name,record key,field,reason code,reason,subject code (masked),state,resend requested (Beijing time),resolved (Beijing time)\r\n`);
});

t.test('the download name survives any browser: an ASCII fallback and the exact name in RFC 5987 form', async (t) => {
  t.equal(contentDisposition('rejections-hs-rsj-2026-11-26.csv'), `attachment; filename="rejections-hs-rsj-2026-11-26.csv"; filename*=UTF-8''rejections-hs-rsj-2026-11-26.csv`);
  t.equal(contentDisposition('拒收-"a";b.csv'), `attachment; filename="__-_a__b.csv"; filename*=UTF-8''%E6%8B%92%E6%94%B6-%22a%22%3Bb.csv`);
});
