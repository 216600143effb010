import t from 'tap';
import { parse } from 'yaml';
import { validateConfig } from '../../../config/validate.js';
import type { ColumnInfo } from '../../../connectors/contract.js';
import { quoteIdentifierFor } from '../../../connectors/registry.js';
import { loadCatalog } from '../../../gateway/catalog/index.js';
import { starterConfigText, type StarterConfig } from '../../../gateway/init/config-document.js';
import { proposeJob } from '../../../gateway/init/propose-job.js';
import { loadStandards, standardFor } from '../../../gateway/standards/index.js';

const catalog = loadCatalog();
const standards = loadStandards();
const department = { name: '黄石市测试局', creditCode: '11420200011079463Y' };

/** One category of each information type: every standard the catalog uses. */
const oneOfEachType = standards.list.map((s) => catalog.categories.find((c) => c.infoType === s.infoType)!).filter(Boolean);

function starter(jobs: StarterConfig['jobs'], source: StarterConfig['source'] = { kind: 'mysql', host: '10.1.2.3', port: 3306, database: 'biz', user: 'credit_ro', timeZone: 'Asia/Shanghai' }): StarterConfig {
  return {
    gatewayId: 'hs-test', department: department.name, platformUrl: 'https://platform.example/exchange', source,
    secretsFile: './secrets.yaml', dataDir: './data', jobs, query: (table) => `SELECT * FROM ${quoteIdentifierFor(source.kind, table)}`, writtenAt: '2026-12-06',
  };
}

t.test('for every data standard, a table whose columns are its Chinese field names becomes a complete job the schema accepts', async (t) => {
  for (const category of oneOfEachType) {
    const standard = standardFor(category);
    const columns: ColumnInfo[] = [{ name: 'id', type: 'INT', primaryKey: true }, ...standard.fields.map((f) => ({ name: f.name, type: 'VARCHAR', primaryKey: false })), { name: 'update_time', type: 'DATETIME', primaryKey: false }];
    const proposal = proposeJob({ category, standard, table: `t_${standard.code}`, columns, department });
    t.same(proposal.incomplete, [], `${standard.code}: runnable`);
    t.same(proposal.todo, [], `${standard.code}: every required field filled`);
    const config = validateConfig(parse(starterConfigText(starter([{ category, standard, proposal }]))));
    const job = config.jobs[0]!;
    t.equal(job.mode, 'incremental');
    t.same(Object.keys(job.fields).sort(), standard.fields.map((f) => f.code).sort(), `${standard.code}: every field mapped by its Chinese name`);
    t.equal(job.query, `SELECT * FROM \`t_${standard.code}\``);
  }
});

t.test('a category without a table, or a proposal that cannot run, is written commented out and the file still validates', async (t) => {
  const category = catalog.byCode('P07-002')!;
  const standard = standardFor(category);
  const loose = proposeJob({ category, standard, table: 't_loose', columns: [{ name: 'remark', type: 'TEXT', primaryKey: false }], department });
  t.ok(loose.incomplete.length > 0);
  const text = starterConfigText(starter([{ category, standard, proposal: null }, { category: catalog.byCode('P07-003')!, standard: standardFor(catalog.byCode('P07-003')!), proposal: loose }]));
  const config = validateConfig(parse(text));
  t.same(config.jobs, [], 'no live job');
  t.match(text, /# - name: p07-002/);
  t.match(text, /NOT RUNNABLE|尚不能运行/);
});

t.test('secrets are referenced by name only, and a SQLite file claims no time zone unless told', async (t) => {
  const text = starterConfigText(starter([], { kind: 'sqlite', file: '/srv/biz.sqlite' }));
  const config = validateConfig(parse(text));
  t.match(config.sources[0], { kind: 'sqlite', file: '/srv/biz.sqlite' });
  t.notOk('timeZone' in config.sources[0]!);
  t.equal(config.platform.secretRef, 'platform');
  const network = validateConfig(parse(starterConfigText(starter([]))));
  t.match(network.sources[0], { passwordRef: 'db_password', timeZone: 'Asia/Shanghai' });
});

t.test('a category about both kinds of subject is proposed as legal persons, and says it assumed so', async (t) => {
  const category = catalog.byCode('P07-002')!;
  t.equal(category.subjectKind, 'both');
  const standard = standardFor(category);
  const proposal = proposeJob({ category, standard, table: 't', columns: [{ name: 'id', type: 'INT', primaryKey: true }, { name: 'xdrmc', type: 'TEXT', primaryKey: false }, { name: 'tyshxydm', type: 'TEXT', primaryKey: false }], department });
  t.match(proposal.subject, { kind: 'legal', name: 'xdrmc', code: 'tyshxydm', kindAssumed: true });
  t.match(proposal.constants.find((c) => c.field.code === 'CF_XDR_LB'), { value: '法人及非法人组织', rule: 'subject-kind' });
  t.match(starterConfigText(starter([{ category, standard, proposal }])), /假定，请核对 \/ ASSUMED: check it/);
});
