/**
 * Identity numbers never shown unmasked, anywhere: with natural persons'
 * ID numbers flowing through a running gateway (the platform receives them
 * whole), no page or API of the status server holds one, whether fetched
 * directly or reached by a browser following every link of the overview.
 */
import t from 'tap';
import { containsIdNumber, maskIdNumber } from '../../../gateway/identifiers/mask.js';
import { openBrowser, type SeenResponse } from '../../helpers/browser.js';
import { KEYED_REJECTED, PEOPLE, REJECTED, startStatusScenario } from '../../helpers/status-scenario.js';

const scenario = await startStatusScenario(t);
const at = (path: string) => new URL(path, scenario.url).toString();

/** Every page and API the status server serves to a GET. */
const ENDPOINTS = [
  '/', '/?lang=en', '/rejections', '/rejections?lang=en', `/rejections?q=${REJECTED.id}`, `/rejections?q=${REJECTED.idNumber.slice(0, 6)}`,
  '/rejections.csv', '/api/status', '/api/rejections', '/config', '/upload', '/metrics', '/healthz', '/readyz',
];

t.test('the data holds ID numbers: the platform receives them unmasked', async (t) => {
  const held = scenario.receiver.records();
  for (const person of PEOPLE) {
    t.ok(held.some((r) => r.subject?.code === person.idNumber), `the platform holds ${maskIdNumber(person.idNumber)} unmasked`);
  }
  t.ok(containsIdNumber(JSON.stringify(held)), 'the scan finds unmasked ID numbers where they are');
  const status = await scenario.status();
  t.ok(status.rejections.total >= 2, 'the person with a wrong check digit and the person born in the future were rejected');
  const keys = (await (await fetch(at('/api/rejections'))).json()) as { items: { key: string }[] };
  t.ok(keys.items.some((r) => r.key.includes(maskIdNumber(KEYED_REJECTED.idNumber))), 'a rejection keyed by an ID number is listed, its key masked');
});

t.test('rejections are found by the day they happened, on the calendar the page shows', async (t) => {
  // The pages show 北京时间, so search days are Beijing days whatever the host's zone.
  const day = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const today = day(new Date());
  const yesterday = day(new Date(Date.now() - 86_400_000));
  const count = async (query: string) => ((await (await fetch(at(`/api/rejections?${query}`))).json()) as { total: number }).total;
  const all = await count('');
  t.ok(all >= 2);
  t.equal(await count(`from=${today}&to=${today}`), all, 'all of today\'s are found by today');
  t.equal(await count(`to=${yesterday}`), 0, 'none before today');
  t.equal(await count(`from=${today}&q=${KEYED_REJECTED.idNumber.slice(-4)}`), 1, 'and by a piece of the key');
});

t.test('no page or API of the status server holds an unmasked ID number', async (t) => {
  for (const path of ENDPOINTS) {
    const res = await fetch(at(path));
    const body = await res.text();
    t.ok(res.ok, `GET ${path} is served (${res.status})`);
    t.notOk(containsIdNumber(body), `GET ${path} holds no unmasked ID number`);
    for (const id of [REJECTED.idNumber, KEYED_REJECTED.idNumber]) t.notOk(body.includes(id), `GET ${path} does not show ${maskIdNumber(id)} unmasked`);
  }
});

t.test('a browser following every link of the overview receives no unmasked ID number', async (t) => {
  const session = await openBrowser(t, 'id-scan');
  const { page } = session;
  const origin = new URL(scenario.url).origin;
  const seen = new Set<string>();
  const queue = [at('/')];
  const downloads: SeenResponse[] = [];
  // Bounded: a page that links to endless variants of itself must not keep the test running.
  while (queue.length > 0 && seen.size < 60) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const response = await page.goto(url).catch(async (err: Error) => {
      // A link to a download (the CSV export) starts no page: read it as the browser would save it.
      if (!/Download is starting/.test(err.message)) throw err;
      const download = await session.context.request.get(url);
      downloads.push({ url, status: download.status(), contentType: download.headers()['content-type'] ?? '', body: await download.text() });
      return null;
    });
    if (response === null) continue;
    t.ok(response.ok(), `${url.slice(origin.length)} loads (${response.status()})`);
    if (!(response.headers()['content-type'] ?? '').includes('text/html')) continue;
    const links = await page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));
    for (const link of links) {
      const target = new URL(link);
      target.hash = '';
      if (target.origin === origin && !seen.has(target.toString())) queue.push(target.toString());
    }
  }
  await session.screenshot('last-page');
  t.ok(seen.size >= 2, `the overview links to other pages (${seen.size} visited)`);
  const responses = [...(await session.responses()), ...downloads];
  for (const r of responses) t.notOk(containsIdNumber(r.body), `${r.url.slice(origin.length)} holds no unmasked ID number`);
});
