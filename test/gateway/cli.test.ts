import t from 'tap';
import { runCli } from '../helpers/cli.js';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createReceiver } from '../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_SECRET, writeTestConfig } from '../helpers/business-db.js';


async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(args, env);
}

t.test('catalog prints one provider by its short name, or JSON', async (t) => {
  const text = await cli(['catalog', '--provider', '市人社局']);
  t.equal(text.code, 0);
  t.match(text.stdout, /P07-002/);
  t.match(text.stdout, /行政处罚信息/);
  t.notMatch(text.stdout, /P01-001/);
  const json = await cli(['catalog', '--json']);
  const parsed = JSON.parse(json.stdout);
  t.ok(JSON.stringify(parsed).includes('P69-'), 'all 69 providers are there');
  const unknown = await cli(['catalog', '--provider', '市建设局']);
  t.not(unknown.code, 0);
  t.match(unknown.stderr, /市城乡建设委员会/, 'an unknown provider gets close matches');
});

t.test('catalog --provider takes a department\'s name of today and lists the categories of every provider it took over', async (t) => {
  const merged = await cli(['catalog', '--provider', '市市场监管局']);
  t.equal(merged.code, 0, merged.stderr);
  t.match(merged.stdout, /^黄石市市场监督管理局 \(.*\): merged in the 2018–2019 reorganisation, 84 categories from 5 providers of 2017\n/);
  for (const from of ['P01 市工商局', 'P02 市质监局', 'P06 市食品药品监督管理局', 'P15 市科学技术局', 'P35 市物价局']) t.match(merged.stdout, `\nfrom 2017 ${from}`);
  t.match(merged.stdout, /\n {2}P06-003 {2}行政处罚信息/);
  const unknown = await cli(['catalog', '--provider', '市市场监督局']);
  t.equal(unknown.code, 1);
  t.match(unknown.stderr, /CATALOG_UNKNOWN_PROVIDER[\s\S]*黄石市市场监督管理局/, 'close matches include today\'s names');
});

t.test('template --provider writes every category\'s template of a department, and never over a filled one', async (t) => {
  const dir = t.testdir({ old: { 'P35-002_行政强制信息.csv': 'filled in' } });
  const written = await cli(['template', '--provider', '市场监管局', '--format', 'csv', '--dir', join(dir, 'new')]);
  t.equal(written.code, 0, written.stderr);
  t.match(written.stdout, /^黄石市市场监督管理局: wrote 84 templates\n/);
  const files = readdirSync(join(dir, 'new'));
  t.equal(files.filter((f) => f.endsWith('.csv')).length, 84);
  t.ok(files.includes('P15-010_专利侵权纠纷信息.csv') && files.includes('P06-003_行政处罚信息.csv'));
  const refused = await cli(['template', '--provider', '市场监管局', '--format', 'csv', '--dir', join(dir, 'old')]);
  t.equal(refused.code, 1);
  t.match(refused.stderr, /TEMPLATE_FILE_EXISTS/);
  t.same(readdirSync(join(dir, 'old')), ['P35-002_行政强制信息.csv'], 'nothing written when one would be replaced');
  t.equal(readFileSync(join(dir, 'old', 'P35-002_行政强制信息.csv'), 'utf8'), 'filled in');
  const none = await cli(['template', '--provider', '市医保局', '--dir', join(dir, 'none')]);
  t.equal(none.code, 1);
  t.match(none.stderr, /TEMPLATE_NO_CATEGORIES/);
  const both = await cli(['template', 'P07-002', '--provider', '市人社局']);
  t.match(both.stderr, /TEMPLATE_NOT_ONE_SELECTION/);
  const neither = await cli(['template']);
  t.match(neither.stderr, /TEMPLATE_NOT_ONE_SELECTION/);
});

t.test('run JOB reads from the cursor, delivers, and says what it did', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 25, { invalid: [3] });
  business.db.close();
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(() => receiver.close());
  const config = writeTestConfig({ dir, businessDb: business.file, platformUrl: url });
  const env = { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET };
  const first = await cli(['run', 'penalties', '--config', config], env);
  t.equal(first.code, 0, first.stderr);
  t.match(first.stdout, /read 25 rows in 1 pages, queued 24, unchanged 0, rejected 1/);
  t.match(first.stdout, /delivered: queue empty/);
  t.equal(receiver.records().length, 24);
  const second = await cli(['run', 'penalties', '--config', config], env);
  t.match(second.stdout, /read 0 rows/, 'the second run starts from the cursor');
  const unknown = await cli(['run', 'nope', '--config', config], env);
  t.not(unknown.code, 0);
  t.match(unknown.stderr, /no job named "nope"/);
});

t.test('configuration errors name the path and the fix; secrets are never in the file', async (t) => {
  const dir = t.testdir({});
  const file = writeTestConfig({ dir, businessDb: join(dir, 'x.sqlite'), platformUrl: 'http://127.0.0.1:9/exchange' });
  const missingSecret = await cli(['config', 'check', file]);
  t.not(missingSecret.code, 0);
  t.match(missingSecret.stderr, /CONFIG_SECRET_MISSING/);
  t.match(missingSecret.stderr, /platform\.secretRef.*CREDIT_GATEWAY_SECRET_PLATFORM/s);
  const ok = await cli(['config', 'check', file], { CREDIT_GATEWAY_SECRET_PLATFORM: 'x' });
  t.equal(ok.code, 0, ok.stderr);
  t.match(ok.stdout, /ok \(1 sources, 1 jobs\)/);
  const config = readFileSync(file, 'utf8');
  const parsed = JSON.parse(config) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...parsed, sources: [...(parsed.sources as unknown[]), { name: 'hr', kind: 'mysql', host: '10.1.2.3', database: 'hr', user: 'ro', passwordRef: 'platform' }] }));
  const misused = await cli(['config', 'check', file], { CREDIT_GATEWAY_SECRET_PLATFORM: 'x' });
  t.not(misused.code, 0);
  t.match(misused.stderr, /gateway\.yaml:\d+:\d+ sources\[1\]\.passwordRef CONFIG_SECRET_MISUSED: "platform" is the platform secret/, 'the platform secret as a database password is refused at load');
  writeFileSync(file, JSON.stringify({ ...parsed, control: { allowPaths: [(parsed.gateway as { dataDir: string }).dataDir] } }));
  const ownFolder = await cli(['config', 'check', file], { CREDIT_GATEWAY_SECRET_PLATFORM: 'x' });
  t.not(ownFolder.code, 0);
  t.match(ownFolder.stderr, /control\.allowPaths\[0\] CONFIG_PATH_MISUSED: ".*" \(.*\) is or lies inside the gateway's data folder/, 'a bundle may never be allowed into the data folder');
  writeFileSync(file, config.replace('"cursor": [', '"cursr": ['));
  const bad = await cli(['config', 'check', file], { CREDIT_GATEWAY_SECRET_PLATFORM: 'x' });
  t.match(bad.stderr, /jobs\[0\]\.cursr CONFIG_MEMBER_UNKNOWN: .* did you mean cursor\?/);
  t.match(bad.stderr, /jobs\[0\]\.cursor CONFIG_MEMBER_MISSING/);
});

t.test('template writes a category\'s XLSX and CSV templates and never overwrites a filled one', async (t) => {
  const dir = t.testdir({});
  const xlsx = await cli(['template', 'P07-002', '--out', join(dir, 'P07-002_2026-11.xlsx')]);
  t.equal(xlsx.code, 0, xlsx.stderr);
  t.match(xlsx.stdout, /wrote .*P07-002_2026-11\.xlsx/);
  const csv = await cli(['template', 'P07-002', '--format', 'csv', '--out', join(dir, 'P07-002.csv')]);
  t.equal(csv.code, 0, csv.stderr);
  const text = readFileSync(join(dir, 'P07-002.csv'), 'utf8');
  t.equal(text.charCodeAt(0), 0xfeff, 'starts with a BOM so Excel reads UTF-8');
  t.match(text, /行政相对人名称/);
  const again = await cli(['template', 'P07-002', '--out', join(dir, 'P07-002_2026-11.xlsx')]);
  t.not(again.code, 0);
  t.match(again.stderr, /TEMPLATE_FILE_EXISTS/);
  const unknown = await cli(['template', 'P99-001']);
  t.match(unknown.stderr, /TEMPLATE_UNKNOWN_CATEGORY/);
});

t.test('start without a configuration points to the demo', async (t) => {
  const r = await cli(['start']);
  t.not(r.code, 0);
  t.match(r.stderr, /npm start/);
});
