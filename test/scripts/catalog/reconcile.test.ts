/**
 * The catalog's totals against the notice's own figures. Every difference is
 * listed with its explanation (the same as in seeds/README.md); a new or
 * changed difference fails here until it is explained.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { seedsPath } from '../../../gateway/paths.js';
import { buildCatalog } from '../../../scripts/catalog/build.js';
import { formatReconciliation, reconcile } from '../../../scripts/catalog/reconcile.js';

const notice = readFileSync(seedsPath('huangshi-credit-notice-2017.txt'), 'utf8');
const r = reconcile(buildCatalog(notice), notice);

t.test('totals', async (t) => {
  t.equal(r.bodyTotal, 504, 'the body: 第一批归集的504类信息');
  t.equal(r.annex3Rows, 502, '附件3 prints 502 rows');
  t.equal(r.droppedDuplicates, 12, 'twelve rows repeat a name within their section');
  t.equal(r.categories, 490, 'the catalog keeps 502 - 12');
  t.equal(r.annex2Listings, 67, '附件2 has 58 + 9 listings');
  t.equal(r.annex2Total, 492);
  t.equal(r.providers.length, 69);
});

t.test('the body total is every category either annex knows of, counted once', async (t) => {
  // 附件3 misses one row each of 市建委 and 市财政局 that 附件2 counts: 502 + 2.
  t.equal(r.largerOfBoth, 504);
  t.equal(r.annex3Rows + 2, r.bodyTotal);
  // From 附件2's side: 492, less 市红十字会's second listing, plus the 13 rows
  // of the three providers 附件2 does not list.
  t.equal(r.annex2Total - 1 + 13, r.bodyTotal);
});

type Expected = [code: string, annex3Rows: number, categories: number, annex2Count: number | null, listings: number, why: string];

const EXPECTED_DIFFERENCES: Expected[] = [
  ['P01', 26, 23, 26, 1, 'duplicates dropped: a second legal-person block repeats 主体标识信息, 注销登记信息, 吊销营业执照信息'],
  ['P02', 26, 24, 26, 1, 'duplicates dropped: a second legal-person block repeats 主体标识信息, 制造计量器具行政许可审批（变更）信息'],
  ['P06', 35, 34, 35, 1, 'duplicate dropped: 食品药品监督管理局行政处罚记录 twice in the legal-person section'],
  ['P08', 19, 18, 19, 1, 'duplicate dropped: a second legal-person block repeats 主体标识信息'],
  ['P09', 17, 17, 18, 1, '附件3 prints 17 rows, 附件2 counts 18: the provider line stands alone (number and name only), probably a row lost in extraction'],
  ['P11', 11, 11, 12, 1, 'same as P09: provider line alone, 附件2 counts one more row'],
  ['P15', 15, 13, 15, 1, 'duplicates dropped: a second legal-person block repeats 主体标识信息; 专利侵权纠纷信息 on two consecutive lines'],
  ['P36', 16, 15, 16, 1, 'duplicate dropped: 纳税信息 on two consecutive lines'],
  ['P42', 8, 7, 8, 1, 'duplicate dropped: 行政许可/行政确认信息 again after a page break'],
  ['P46', 21, 20, 21, 1, 'duplicate dropped: 纳税申报信息 on two consecutive lines'],
  ['P55', 1, 1, 1, 2, '附件2 lists 市红十字会 in both its tables, once with a local database and once without a system'],
  ['P56', 6, 6, null, 0, 'not in 附件2 (市广电台)'],
  ['P57', 6, 6, null, 0, 'not in 附件2 (市楚天视讯网络有限公司)'],
  ['P58', 1, 1, null, 0, 'not in 附件2 (市信访局)'],
];

t.test('per provider: every difference from 附件2 is one of the explained ones', async (t) => {
  t.same(
    r.differences.map((p) => [p.code, p.annex3Rows, p.categories, p.annex2Count, p.annex2Listings]),
    EXPECTED_DIFFERENCES.map(([code, rows, categories, count, listings]) => [code, rows, categories, count, listings]),
  );
});

t.test('the explained differences add up to the totals', async (t) => {
  const missingRows = EXPECTED_DIFFERENCES.reduce((n, [, rows, , count]) => n + Math.max(0, (count ?? 0) - rows), 0);
  const unlisted = EXPECTED_DIFFERENCES.filter(([, , , count]) => count === null).reduce((n, [, rows]) => n + rows, 0);
  const doubleListed = EXPECTED_DIFFERENCES.reduce((n, [, , , count, listings]) => n + (listings > 1 ? (count ?? 0) * (listings - 1) : 0), 0);
  const dropped = EXPECTED_DIFFERENCES.reduce((n, [, rows, categories]) => n + rows - categories, 0);
  t.same({ missingRows, unlisted, doubleListed, dropped }, { missingRows: 2, unlisted: 13, doubleListed: 1, dropped: 12 });
  t.equal(r.annex2Total - doubleListed + unlisted - missingRows, r.annex3Rows);
  t.equal(r.annex3Rows - dropped, r.categories);
});

t.test('the build prints the same figures for the reviewer', async (t) => {
  const text = formatReconciliation(r);
  t.match(text, /notice body: 504 categories/);
  t.match(text, /附件3: 502 rows from 69 providers; catalog: 490 categories \(12 duplicates dropped\)/);
  t.match(text, /P09 市城乡建设委员会: 17 \/ 17 \/ 18 × 1/);
});
