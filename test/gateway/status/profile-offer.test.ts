/**
 * 生成导出方案 on the status page: for a file the drop folder refused for
 * want of a profile, an admin sees the profile `profile suggest` proposes
 * and the file tried with it; a viewer and a stranger do not; a name that
 * is a path reaches nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { parse } from 'yaml';
import { loadCatalog } from '../../../gateway/catalog/index.js';
import { offerProfile } from '../../../gateway/profiles/suggest/offer.js';
import { buildStatusApp } from '../../../gateway/status/app.js';
import type { StatusDeps } from '../../../gateway/status/deps.js';
import { hashPassword } from '../../../gateway/status/security/password.js';
import { standardFor } from '../../../gateway/standards/index.js';
import { BOM, licencesCsv } from '../../helpers/profile-samples.js';

const FILE = '20170605-101500-000_许可信息_20170605.csv';

async function setup(t: Test) {
  const root = t.testdir({});
  const rejected = join(root, 'rejected');
  mkdirSync(rejected);
  writeFileSync(join(rejected, FILE), BOM + licencesCsv);
  writeFileSync(join(root, 'secret.csv'), 'not in rejected/');
  const catalog = loadCatalog();
  const asked: [string, string][] = [];
  const deps = {
    suggestProfile: async (source: string, name: string) => {
      asked.push([source, name]);
      if (source !== 'drop') return null;
      return offerProfile({ folder: rejected, name, candidates: catalog.categoriesOf('P06'), standardFor: (c) => standardFor(c), department: '市市场监督管理局', now: new Date('2017-06-05T02:00:00Z') });
    },
    security: {
      exposed: true, requireLogin: true, sessionMinutes: 30,
      users: [
        { name: 'li', role: 'admin', hash: await hashPassword('admin-token') },
        { name: 'wang', role: 'viewer', hash: await hashPassword('viewer-token') },
      ],
    },
  } as unknown as StatusDeps;
  const app = await buildStatusApp(deps);
  t.teardown(() => app.close());
  return { app, asked };
}

const ADMIN = { authorization: 'Bearer admin-token' };
const VIEWER = { authorization: 'Bearer viewer-token' };
const page = `/files/drop/rejected/${encodeURIComponent(FILE)}/profile`;

t.test('an admin sees the proposed profile, ready to copy, and the file tried with it, in Chinese first', async (t) => {
  const { app } = await setup(t);
  const res = await app.inject({ method: 'GET', url: page, headers: ADMIN });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /text\/html/);
  t.match(res.body, /<h1>生成导出方案<\/h1>/);
  const yaml = /<textarea id="profile-yaml" readonly[^>]*>([\s\S]*?)<\/textarea>/.exec(res.body)?.[1];
  t.ok(yaml, 'the YAML in a box to select and copy');
  const [profile] = parse(yaml!.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))) as Record<string, unknown>[];
  t.match(profile, { category: /^P06-/, header: { rows: 2 }, key: ['行政许可决定文书号', '行政相对人代码/统一社会信用代码'] });
  t.match(res.body, /数据行 2 行：可报送 1 条，拒收 1 行；合计、注等非数据行 1 行。/);
  t.match(res.body, /<code>CREDIT_CODE_CHECK<\/code><\/td><td class="num">1<\/td>/, 'the rows refused, by reason');
  t.match(res.body, /第6行 行政相对人代码\/统一社会信用代码=91420200846J0URW7C：/, 'with an example as the clerk finds it');
  t.notMatch(res.body, /<script/i, 'no script: the page\'s policy allows none');

  const download = await app.inject({ method: 'GET', url: page + '.yaml', headers: ADMIN });
  t.equal(download.statusCode, 200);
  t.match(download.headers['content-disposition'], /attachment/);
  t.same(parse(download.body), [profile], 'the download is the same YAML');

  const english = await app.inject({ method: 'GET', url: page + '?lang=en', headers: ADMIN });
  t.match(english.body, /<h1>Proposed export profile<\/h1>/);
  t.match(english.body, /2 data rows: 1 records would be sent, 1 rows refused/);
});

t.test('only an admin: a viewer is refused, a stranger is asked to log in, and nothing is read for them', async (t) => {
  const { app, asked } = await setup(t);
  t.equal((await app.inject({ method: 'GET', url: page, headers: VIEWER })).statusCode, 403);
  t.equal((await app.inject({ method: 'GET', url: page + '.yaml', headers: VIEWER })).statusCode, 403);
  const stranger = await app.inject({ method: 'GET', url: page });
  t.ok([302, 303, 401].includes(stranger.statusCode), `not served (${stranger.statusCode})`);
  t.notMatch(stranger.body, /profile-yaml/);
  t.same(asked, []);
});

t.test('a name that is a path, hidden, of another format, or not there is no file; nor is another source', async (t) => {
  const { app, asked } = await setup(t);
  for (const name of ['../secret.csv', '..%2Fsecret.csv', '.hidden.csv', 'a..csv', 'notes.txt', 'gone.csv']) {
    const res = await app.inject({ method: 'GET', url: `/files/drop/rejected/${name.includes('%') ? name : encodeURIComponent(name)}/profile`, headers: ADMIN });
    t.equal(res.statusCode, 404, name);
  }
  t.same(asked.map(([, n]) => n), ['gone.csv'], 'only a plain name of a readable format is asked for');
  t.equal((await app.inject({ method: 'GET', url: `/files/other/rejected/${encodeURIComponent(FILE)}/profile`, headers: ADMIN })).statusCode, 404);
});

t.test('a file no category fits: the page says why and how to go on', async (t) => {
  const { app } = await setup(t);
  const root = t.testdir({ rejected: { 'notes.csv': '说明,内容\r\n一,二\r\n' } });
  const offer = await offerProfile({ folder: join(root, 'rejected'), name: 'notes.csv', candidates: loadCatalog().categoriesOf('P06'), standardFor: (c) => standardFor(c), now: new Date() });
  t.match(offer, { yaml: null, problem: { code: 'SUGGEST_NO_CATEGORY' } });
  t.ok(app);
});

t.test('the recent files link 生成导出方案 for an admin, on a file refused for want of a profile or a category code only', async (t) => {
  const { offerLink } = await import('../../../gateway/status/pages/profile-offer.js');
  const { translator } = await import('../../../gateway/i18n/messages.js');
  const ctx = (role: 'admin' | 'viewer') => ({ t: translator('zh'), viewer: { name: 'li', role, via: 'session' }, csrfToken: '', path: '/', query: new URLSearchParams(), notice: null, now: new Date() }) as never;
  const refused = (message: string) => ({ file: '许可信息_20170605.csv', at: '2017-06-05T02:15:00.000Z', status: 'rejected' as const, rows: 0, queued: 0, rejected: 0, delivered: false, message, report: { source: 'drop', where: 'rejected' as const, name: `${FILE}.errors.csv` } });
  t.equal(offerLink(ctx('admin'), refused('FILE_PROFILE_NONE')), ` <a href="${page}" class="offer">生成导出方案</a>`);
  t.match(offerLink(ctx('admin'), refused('FILE_CATEGORY_UNKNOWN')), /生成导出方案/);
  t.equal(offerLink(ctx('viewer'), refused('FILE_PROFILE_NONE')), '', 'not for a viewer');
  t.equal(offerLink(ctx('admin'), refused('FILE_XLSX_INVALID')), '', 'not for a file that cannot be read at all');
});
