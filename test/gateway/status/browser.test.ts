/**
 * The status page in a real headless Chromium, served by a running gateway
 * with data flowing: what a department's technical contact reads there.
 * Assertions are on words a person reads, not on pixels; a screenshot
 * after each step lands in artifacts/screenshots/.
 */
import t, { type Test } from 'tap';
import type { Locator } from 'playwright-core';
import { containsIdNumber } from '../../../gateway/identifiers/mask.js';
import { openBrowser } from '../../helpers/browser.js';
import { DATABASE_REJECTED, startStatusScenario } from '../../helpers/status-scenario.js';

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

t.test('the overview says in words that the data needs attention, and why', async (t) => {
  await page.goto(at('/'));
  await session.screenshot('overview');
  await sees(t, page.getByText('需关注'), 'the verdict 需关注 (a row was rejected)');
  await sees(t, page.getByText(`有 ${DATABASE_REJECTED} 条记录被拒收`, { exact: false }), 'the reason: records were rejected');
  await sees(t, page.getByText('市人社局'), 'the department');
});

t.test('nothing the browser received holds an unmasked ID number', async (t) => {
  const responses = await session.responses();
  t.ok(responses.length > 0, 'the browser received pages');
  for (const r of responses) t.notOk(containsIdNumber(r.body), `${r.url} holds no unmasked ID number`);
});
