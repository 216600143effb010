/**
 * The status page in a real headless Chromium, served by a running gateway
 * with data flowing: what a department's technical contact reads there.
 * Assertions are on words a person reads, not on pixels; a screenshot
 * after each step lands in artifacts/screenshots/.
 */
import t, { type Test } from 'tap';
import { basename } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { containsIdNumber, maskIdNumber } from '../../../gateway/identifiers/mask.js';
import { reportingPeriod } from '../../../gateway/status/coverage.js';
import { openBrowser } from '../../helpers/browser.js';
import { DATABASE_REJECTED, FED_CATEGORY, KEYED_REJECTED, filledTemplate, OVERDUE_CATEGORY, REJECTED, startStatusScenario, until, UPLOAD_ROWS } from '../../helpers/status-scenario.js';

// Starting the gateway and Chromium, uploading and waiting for delivery outlast tap's default on a busy machine.
t.setTimeout(300_000);
// The gateway runs on a UTC host, as many servers do: the page must still count and show deadlines in 北京时间.
process.env.TZ = 'UTC';
const scenario = await startStatusScenario(t);
const session = await openBrowser(t, 'status-browser');
const { page } = session;
const at = (path: string) => new URL(path, scenario.url).toString();

/** Passes once the person can see the locator's first match; fails with what was missing. */
async function sees(t: Test, locator: Locator, what: string, timeout = 10_000): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
    t.pass(`sees ${what}`);
  } catch (err) {
    t.fail(`sees ${what}`, { error: (err as Error).message.split('\n')[0] });
  }
}

/** A table row holding all of the texts. */
function row(page: Page, ...texts: (string | RegExp)[]): Locator {
  return texts.reduce((rows, text) => rows.filter({ hasText: text }), page.getByRole('row'));
}

t.test('the overview says in words that the data needs attention, and why', async (t) => {
  await page.goto(at('/'));
  await session.screenshot('overview');
  await sees(t, page.getByText('需关注'), 'the verdict 需关注 (a row was rejected)');
  await sees(t, page.getByText(`有 ${DATABASE_REJECTED} 条记录被拒收`, { exact: false }), 'the reason: records were rejected');
  await sees(t, page.getByText('市人社局'), 'the department');
  await sees(t, row(page, 'drop', '文件目录', '监视中'), 'the drop folder, no file yet, is watched (not 未运行)');
  await sees(t, row(page, 'drop', '待处理文件 0 个'), 'with its folder and the files waiting');
  t.equal(await row(page, 'drop', '未运行').count(), 0, 'and is not called 未运行');
});

t.test('the coverage table shows the category nothing arrived for since last month as overdue', async (t) => {
  await page.goto(at('/'));
  await session.screenshot('coverage');
  await sees(t, row(page, OVERDUE_CATEGORY.name, '逾期'), `${OVERDUE_CATEGORY.name} marked 逾期`);
  await sees(t, row(page, OVERDUE_CATEGORY.code, '逾期'), `${OVERDUE_CATEGORY.code} marked 逾期`);
  t.equal(await row(page, FED_CATEGORY.name, '逾期').count(), 0, `${FED_CATEGORY.name}, delivered today, is not overdue`);

  // The month's deadline is midnight in Beijing at the month end, shown so on a UTC host.
  const end = reportingPeriod('实时', new Date()).end;
  const beijing = new Date(end.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const utc = end.toISOString().replace('T', ' ').slice(0, 19);
  await sees(t, row(page, OVERDUE_CATEGORY.code, `${beijing} 00:00:00`), `the deadline ${beijing} 00:00:00 (北京时间)`);
  t.notOk((await page.content()).includes(utc), `never the host's UTC wall clock ${utc}`);
  await sees(t, page.getByRole('columnheader', { name: '截止时间（北京时间）' }), 'the deadline column says its zone');
  await sees(t, page.getByText('页面上的时间均为北京时间（UTC+8）'), 'the page says its times are Beijing time');

  // Compact: fed categories in the table, the unfed ones folded into one line that opens without a script.
  // Loaded afresh: the overview reloads itself every 10 s, which would fold them again mid-check.
  await page.goto(at('/'));
  const fed = page.locator('#coverage tbody tr');
  t.equal(await fed.count(), 3, 'the table holds the three fed categories only');
  const folded = page.locator('#coverage-unfed');
  await sees(t, folded.locator('summary').filter({ hasText: /未对接的信息类 \d+ 个/ }), 'the unfed categories as one line');
  t.notOk(await folded.locator('tbody tr').first().isVisible(), 'folded until asked');
  await folded.locator('summary').click();
  await sees(t, folded.locator('tbody tr'), 'a click opens them (details, no script)');
  t.equal(await folded.locator('button').count(), 0, 'no button for a category nothing feeds');
  t.equal(await page.locator(`#coverage tr[data-code="${FED_CATEGORY.code}"] button`).count(), 0, 'none for one on time');
  await sees(t, page.locator(`#coverage tr[data-code="${OVERDUE_CATEGORY.code}"]`).getByRole('button', { name: '声明本期无数据' }), 'the overdue one can be declared empty');
  await session.screenshot('coverage-unfolded');
});

t.test('the rejections page shows the rejected row with its Chinese reason and the ID number masked', async (t) => {
  await page.goto(at('/rejections'));
  await session.screenshot('rejections');
  const rejected = row(page, REJECTED.reason);
  await sees(t, rejected, `the reason ${REJECTED.reason}`);
  await sees(t, row(page, REJECTED.reason, REJECTED.masked), `the ID number masked as ${REJECTED.masked}`);
  const html = await page.content();
  t.notOk(html.includes(REJECTED.idNumber), 'the unmasked ID number is nowhere on the page');
  t.notOk(containsIdNumber(html), 'no unmasked ID number at all');

  const keyed = row(page, KEYED_REJECTED.reason);
  await sees(t, keyed.filter({ hasText: maskIdNumber(KEYED_REJECTED.idNumber) }), 'a row keyed by an ID number, its key masked');
  t.notOk(html.includes(KEYED_REJECTED.idNumber), 'that key is nowhere unmasked');

  await page.goto(at(`/rejections?q=${REJECTED.id}`));
  await session.screenshot('rejections-search');
  await sees(t, row(page, REJECTED.reason), 'the row, found by its key');
  t.equal(await row(page, KEYED_REJECTED.reason).count(), 0, 'rows with other keys are left out');

  // Search days are Beijing days, like the times shown (the host runs in UTC).
  const day = (offsetDays: number) => new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
  await page.goto(at(`/rejections?from=${day(0)}&to=${day(0)}`));
  await sees(t, row(page, REJECTED.reason), `found on the Beijing day ${day(0)}`);
  await page.goto(at(`/rejections?from=${day(1)}`));
  t.equal(await row(page, REJECTED.reason).count(), 0, 'not from the next Beijing day on');
});

t.test('the English switch shows the page in English', async (t) => {
  await page.goto(at('/'));
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(/lang=en/);
  await session.screenshot('english');
  t.match(await page.locator('html').getAttribute('lang'), /^en/, 'the page declares English');
  await sees(t, page.getByText('Needs attention'), 'the verdict in English');
  await sees(t, row(page, OVERDUE_CATEGORY.code, /overdue/i), 'the overdue category in English');
  await sees(t, page.getByRole('link', { name: /rejected/i }), 'the way to the rejected records, in English');

  // The choice is remembered: the next page is English too, until switched back.
  await page.goto(at('/rejections'));
  await sees(t, page.getByRole('heading', { name: 'Rejected records' }), 'the rejections page in English');
  await page.getByRole('link', { name: '中文' }).click();
  await page.waitForURL(/lang=zh/);
  await sees(t, page.getByRole('heading', { name: '被拒收的记录' }), 'back in Chinese');
});

t.test('a filled-in template uploaded on the page is processed and delivered, and the platform holds its records', async (t) => {
  const file = await filledTemplate(t.testdir({}));
  await page.goto(at('/upload'));
  await session.screenshot('upload-form');
  await page.getByLabel('选择文件').setInputFiles(file);
  await page.getByRole('button', { name: '上传', exact: true }).click();
  await page.waitForLoadState();
  await session.screenshot('upload-submitted');
  await sees(t, page.getByRole('status').filter({ hasText: '操作成功' }), 'the upload was accepted');

  const name = basename(file, '.xlsx');
  const delivered = async () => {
    await page.goto(at('/'));
    return row(page, name, '已处理', '已送达').count();
  };
  try {
    await until(delivered, (n) => n > 0, 'the overview shows the file as processed and delivered', 60_000);
    t.pass('the overview shows the file as 已处理 and 已送达');
  } catch (err) {
    t.fail((err as Error).message);
  }
  await session.screenshot('upload-delivered');

  const held = scenario.receiver.records();
  for (const sent of UPLOAD_ROWS) {
    const record = held.find((r) => r.data?.CF_WSH === sent['行政处罚决定书文号']);
    t.ok(record, `the platform holds ${sent['行政处罚决定书文号']}`);
    if (sent['证件号码']) t.equal(record?.subject?.code, sent['证件号码'], 'the platform receives the ID number unmasked');
  }
});

/** Text a person can read on the page in Han characters, outside elements marked as data (names, quoted messages). */
async function chineseOutsideData(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const han = /\p{Script=Han}/u;
    const found: string[] = [];
    if (han.test(document.title)) found.push(`<title> ${document.title}`);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue ?? '';
      if (han.test(text) && !node.parentElement?.closest('[data-zh]')) found.push(`<${node.parentElement?.tagName.toLowerCase()}> ${text.trim().slice(0, 80)}`);
    }
    for (const el of document.querySelectorAll('[title], [placeholder], [aria-label]')) {
      for (const name of ['title', 'placeholder', 'aria-label']) {
        const value = el.getAttribute(name) ?? '';
        if (han.test(value) && !el.closest('[data-zh]')) found.push(`${name}="${value}"`);
      }
    }
    return found;
  });
}

t.test('a file with a refused row: uploaded in English, its report linked and masked, its key readable on the page and in the CSV', async (t) => {
  const bad = { ...UPLOAD_ROWS[1]!, 证件号码: REJECTED.idNumber, 行政处罚决定书文号: '黄人社监罚〔2026〕303号' };
  const file = await filledTemplate(t.testdir({}), [bad], `${FED_CATEGORY.code}_refused.xlsx`);
  await page.goto(at('/upload?lang=en'));
  await page.getByLabel('File', { exact: true }).setInputFiles(file);
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await page.waitForLoadState();
  await sees(t, page.getByRole('status').filter({ hasText: 'Done' }).filter({ hasText: 'Recent files' }), 'the notice, in English, says where the result shows');
  t.same(await chineseOutsideData(page), [], 'the notice page has no Chinese outside data');

  const name = basename(file, '.xlsx');
  const linked = async () => {
    await page.goto(at('/?lang=zh'));
    return row(page, name, '已处理', '1 行未通过校验').getByRole('link', { name: '下载错误报告' }).count();
  };
  try {
    await until(linked, (n) => n > 0, 'the recent file shows its refused row and links the report', 60_000);
    t.pass('the recent file says 1 行未通过校验 and links 下载错误报告');
  } catch (err) {
    t.fail((err as Error).message);
  }
  await session.screenshot('upload-report-link');
  const href = await row(page, name).getByRole('link', { name: '下载错误报告' }).getAttribute('href');
  t.match(href, /^\/reports\/drop\/processed\/\d{8}-\d{6}-\d{3}_/, 'the report by its real name, <time>_<name>.errors.csv');
  const report = await page.request.get(at(href!));
  t.equal(report.status(), 200, 'the report downloads');
  const text = await report.text();
  t.match(text, /工作表,行号,字段,原因代码,原因/, 'it is the report');
  t.match(text, new RegExp(`${REJECTED.code},`), `with the refused row's reason ${REJECTED.code}`);
  t.notOk(text.includes(REJECTED.idNumber) || containsIdNumber(text), 'no ID number whole');
  t.equal((await page.request.get(at('/reports/drop/processed/..%2F..%2Fdata%2Fgateway.sqlite'))).status(), 404, 'a path into the data folder is no report');

  await page.goto(at('/rejections?q=303'));
  const key = `黄人社监罚〔2026〕303号 / ${REJECTED.masked}`;
  await sees(t, row(page, key), `the file row's key reads "${key}"`);
  t.notOk((await page.content()).includes('\u001f'), 'no invisible separator on the page');
  const csv = await (await page.request.get(at('/rejections.csv?q=303'))).text();
  t.ok(csv.includes(key), 'the CSV shows the same key');
  t.notOk(csv.includes('\u001f'), 'and no invisible separator');
});

t.test('every page in English says its own words in English: Chinese only in data', async (t) => {
  const pages = ['/', '/rejections', '/upload', '/config', `/coverage/${OVERDUE_CATEGORY.code}/declare`];
  for (const path of pages) {
    await page.goto(at(`${path}${path.includes('?') ? '&' : '?'}lang=en`));
    // Open what is folded, so its words are checked as a reader who opens it sees them.
    for (const summary of await page.locator('details summary').all()) await summary.click();
    t.same(await chineseOutsideData(page), [], `${path}: no Chinese outside data`);
    await session.screenshot(`english-${path}`);
  }
  await page.goto(at('/?lang=zh'));
});

t.test('states and buttons keep to one line at 1280 px and at 800 px', async (t) => {
  /** How many lines each `selector` element whose whole text is `text` takes. */
  const lines = (selector: string, text: string) =>
    page.evaluate(([css, wanted]) => [...document.querySelectorAll(css!)]
      .filter((el) => el.textContent?.trim() === wanted)
      .map((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
      }), [selector, text]);
  for (const width of [1280, 800]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(at('/'));
    const run = await lines('button', '立即运行');
    t.ok(run.length > 0, `${width} px: the overview has 立即运行 buttons`);
    t.same(run, run.map(() => 1), `${width} px: 立即运行 on one line`);
    await session.screenshot(`overview-${width}px`);
    await page.goto(at('/rejections'));
    const open = await lines('td', '待修正');
    const names = await lines('#jobs td', 'penalties');
    t.same(names, names.map(() => 1), `${width} px: a job's name is not broken one character a line`);
    t.ok(open.length > 0, `${width} px: the rejections page has 待修正 rows`);
    t.same(open, open.map(() => 1), `${width} px: 待修正 on one line`);
    await session.screenshot(`rejections-${width}px`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
});

t.test('nothing the browser received holds an unmasked ID number', async (t) => {
  const responses = await session.responses();
  t.ok(responses.length > 0, 'the browser received pages');
  for (const r of responses) t.notOk(containsIdNumber(r.body), `${r.url} holds no unmasked ID number`);
});
