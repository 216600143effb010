/**
 * The configuration page's 试运行检查 on a running gateway (real SQLite
 * source with people's ID numbers, a drop folder, the reference receiver):
 * an admin's form post with its CSRF token runs the probe of the
 * configuration in effect and the page shows its report, masked, in both
 * languages; the running gateway's counts do not move.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { maskIdNumber } from '../../../../gateway/identifiers/mask.js';
import { FED_CATEGORY, PEOPLE, PERSON_CATEGORY, startStatusScenario } from '../../../helpers/status-scenario.js';

/** A page as a browser gets it, with the cookies it was sent. */
async function page(url: URL, cookie = ''): Promise<{ body: string; cookie: string }> {
  const res = await fetch(url, { headers: cookie ? { cookie } : {} });
  const set = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { body: await res.text(), cookie: [cookie, set].filter(Boolean).join('; ') };
}

t.test('an admin runs the probe from the configuration page and reads its report there; nothing the gateway counts changes', async (t) => {
  const scenario = await startStatusScenario(t);
  const before = (await scenario.status()).totals;
  const configUrl = new URL('config', scenario.url);

  const empty = await page(configUrl);
  t.match(empty.body, /<h2 id="probe">试运行检查<\/h2>/);
  t.match(empty.body, /<form method="post" action="\/config\/probe" class="inline"><input type="hidden" name="_csrf" value="[^"]+"><button type="submit" id="probe-run">试运行检查<\/button>/);
  t.match(empty.body, /尚未运行过试运行检查/);
  const token = /name="_csrf" value="([^"]+)"/.exec(empty.body)![1]!;

  const refused = await fetch(new URL('config/probe', scenario.url), {
    method: 'POST', redirect: 'manual', headers: { cookie: empty.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: '_csrf=forged',
  });
  t.equal(refused.status, 403, 'a post without the page\'s token is refused');

  const posted = await fetch(new URL('config/probe', scenario.url), {
    method: 'POST', redirect: 'manual', headers: { cookie: empty.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: token }).toString(),
  });
  t.equal(posted.status, 303);
  const location = posted.headers.get('location')!;
  t.match(location, /^\/config\?notice=/);

  const shown = (await page(new URL(location, scenario.url), empty.cookie)).body;
  t.match(shown, /试运行检查通过，结果见下方/, 'the notice says it ran, and passed');
  t.match(shown, /<div id="probe-report" class="probe">/);
  t.match(shown, /试运行检查：每个任务取样 200 行/);
  const words = shown.replace(/<[^>]+>/g, '');
  t.match(words, new RegExp(`任务 ${FED_CATEGORY.job}：${FED_CATEGORY.code}`));
  t.match(words, new RegExp(`任务 ${PERSON_CATEGORY.job}：${PERSON_CATEGORY.code}`));
  t.match(shown, /<span data-zh>行政处罚信息<\/span>/, 'names are marked as data');
  t.match(shown, /SQLite 文件本来就没有时区/);
  t.match(shown, /检查通过/);
  t.ok(shown.includes(maskIdNumber(PEOPLE[0].idNumber)), 'a person\'s sample record is shown with the number masked');
  for (const p of PEOPLE) t.notOk(shown.includes(p.idNumber), `${p.name}'s number is not on the page`);

  const english = (await page(new URL('config?lang=en', scenario.url), empty.cookie)).body;
  t.match(english, /Probe: a sample of 200 rows per job/);
  t.match(english, /no server time zone \(a SQLite file has none\)/);
  t.match(english, /probe passed/);
  const report = /<div id="probe-report"[\s\S]*?<\/div>\n<\/main>|<div id="probe-report"[\s\S]*$/.exec(english)![0];
  const ours = report.replace(/<span data-zh>[^<]*<\/span>/g, '').replace(/<[^>]+>/g, '');
  t.notMatch(ours, /[\u4e00-\u9fff]/, 'in English, the only Chinese in the report is data (names, quoted messages)');

  const api = await fetch(new URL('api/config/probe', scenario.url), { method: 'POST', headers: { cookie: empty.cookie, 'x-csrf-token': token } });
  t.equal(api.status, 200, 'scripts get the report itself');
  const answer = (await api.json()) as { ok: boolean; report: { jobs: { name: string; accepted: number }[] } };
  t.equal(answer.ok, true);
  t.same(answer.report.jobs.map((j) => [j.name, j.accepted]), [[FED_CATEGORY.job, 6], [PERSON_CATEGORY.job, 3], ['licences', 0]]);

  const after = (await scenario.status()).totals;
  t.same(after, before, 'no row read, queued or rejected by the probe');
  const audit = readFileSync(join(scenario.dir, 'data', 'audit.log'), 'utf8');
  t.match(audit, /"action":"config\.probe"[^\n]*"outcome":"ok"/, 'the admin action is in the audit log');
});
