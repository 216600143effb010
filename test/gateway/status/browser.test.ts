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
import { openBrowser } from '../../helpers/browser.js';
import { DATABASE_REJECTED, FED_CATEGORY, KEYED_REJECTED, filledTemplate, OVERDUE_CATEGORY, REJECTED, startStatusScenario, until, UPLOAD_ROWS } from '../../helpers/status-scenario.js';

// Starting the gateway and Chromium, uploading and waiting for delivery outlast tap's default on a busy machine.
t.setTimeout(300_000);
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
});

t.test('the coverage table shows the category nothing arrived for since last month as overdue', async (t) => {
  await page.goto(at('/'));
  await session.screenshot('coverage');
  await sees(t, row(page, OVERDUE_CATEGORY.name, '逾期'), `${OVERDUE_CATEGORY.name} marked 逾期`);
  await sees(t, row(page, OVERDUE_CATEGORY.code, '逾期'), `${OVERDUE_CATEGORY.code} marked 逾期`);
  t.equal(await row(page, FED_CATEGORY.name, '逾期').count(), 0, `${FED_CATEGORY.name}, delivered today, is not overdue`);
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

t.test('nothing the browser received holds an unmasked ID number', async (t) => {
  const responses = await session.responses();
  t.ok(responses.length > 0, 'the browser received pages');
  for (const r of responses) t.notOk(containsIdNumber(r.body), `${r.url} holds no unmasked ID number`);
});
