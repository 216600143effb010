/**
 * `credit-gateway rejections` beside a running gateway: the built CLI lists
 * what the store holds, masked, with the status page's filters and its CSV.
 */
import t from 'tap';
import { freePort, runCli } from '../helpers/cli.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { createReceiver } from '../../scripts/receiver/index.js';
import { idCardCheckDigit } from '../../gateway/identifiers/id-card.js';
import { containsIdNumber, SHOWN_KEY_SEPARATOR } from '../../gateway/identifiers/mask.js';
import { createPenaltyDb, TEST_SECRET, writeTestConfig } from '../helpers/business-db.js';
import { startGatewayProcess } from '../helpers/conservation.js';
import { until } from '../helpers/wait.js';


async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(args, { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET });
}

/** Row 5's key as shown: its id, then its identity number masked. */
const SHOWN_KEY = `5${SHOWN_KEY_SEPARATOR.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}420202\\*{8}\\d{3}[\\dX]`;

function idNumber(n: number): string {
  const first17 = `42020219850615${String(n).padStart(3, '0')}`;
  return first17 + idCardCheckDigit(first17);
}

t.test('rejections lists the store\'s rejections beside a running gateway, filtered, masked, and as the page\'s CSV', async (t) => {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 25, { invalid: [3, 4, 5] });
  // Each row's key carries a person's identity number: shown masked, never whole.
  business.db.exec('ALTER TABLE t_penalty ADD COLUMN id_no TEXT');
  const setId = business.db.prepare('UPDATE t_penalty SET id_no = ? WHERE id = ?');
  for (let id = 1; id <= 25; id++) setId.run(idNumber(id), id);
  business.db.close();
  const platform = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await platform.listen(0, '127.0.0.1');
  t.teardown(() => platform.close());
  const port = await freePort();
  const config = writeTestConfig({ dir, businessDb: business.file, platformUrl: url, statusPort: port });
  const parsed = JSON.parse(readFileSync(config, 'utf8'));
  parsed.jobs[0].key = ['id', 'id_no'];
  parsed.jobs[0].cursor = ['updated_at', 'id', 'id_no'];
  writeFileSync(config, JSON.stringify(parsed, null, 2));

  const gateway = startGatewayProcess(config);
  let ended = false;
  void gateway.exited.then(() => (ended = true));
  t.teardown(async () => {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
  });
  t.equal((await until(() => platform.records().length, (n) => n === 22 || ended)), 22, `the gateway delivered the valid rows ${gateway.output()}`);

  const all = await cli(['rejections', '-c', config]);
  t.equal(all.code, 0, all.stderr);
  t.match(all.stdout, /^3 rejections match\n/);
  const lines = all.stdout.split('\n').filter((l) => /CREDIT_CODE_CHECK/.test(l));
  t.equal(lines.length, 3, 'one line per rejection');
  t.match(lines[0], new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  penalties  P07-002  ${SHOWN_KEY}  subject\\.code  CREDIT_CODE_CHECK: 统一社会信用代码校验位错误.*  to fix$`));
  t.notOk(containsIdNumber(all.stdout), 'no identity number in the listing');
  t.match(all.stdout, new RegExp(`on the status page: http://127\\.0\\.0\\.1:${port}/rejections\\n`));

  const some = await cli(['rejections', '-c', config, '--job', 'penalties', '--reason', 'CREDIT_CODE_CHECK', '--category', 'p07-002', '--open', '--limit', '2']);
  t.equal(some.code, 0, some.stderr);
  t.match(some.stdout, /^3 rejections match, the newest 2 shown \(--limit N for more, --csv for all\)\n/);
  t.equal(some.stdout.split('\n').filter((l) => /^\d{4}-.*CREDIT_CODE_CHECK/.test(l)).length, 2);
  t.match(some.stdout, new RegExp(`rejections\\?job=penalties&category=P07-002&code=CREDIT_CODE_CHECK&open=1\\n`), 'the same search on the status page');

  const none = await cli(['rejections', '-c', config, '--job', 'penalty', '--reason', 'CREDIT_CODE_CHEK']);
  t.equal(none.code, 0);
  t.match(none.stdout, /^no rejections match\nno job "penalty" in the configuration: did you mean penalties\?\nno rejection has reason CREDIT_CODE_CHEK: did you mean CREDIT_CODE_CHECK\?\n$/);
  const otherCategory = await cli(['rejections', '-c', config, '--category', 'P07-001']);
  t.match(otherCategory.stdout, /^no rejections match\n$/);

  const csv = await cli(['rejections', '-c', config, '--csv', '--job', 'penalties']);
  t.equal(csv.code, 0, csv.stderr);
  t.ok(csv.stdout.startsWith('\uFEFF时间（北京时间）,环节,任务,信息类代码,信息类名称,记录主键,字段,原因代码,原因,主体代码（脱敏）,状态,请求重发时间（北京时间）,解决时间（北京时间）\r\n'), 'the page\'s export: BOM and the same columns');
  const rows = csv.stdout.split('\r\n').slice(1, -1);
  t.equal(rows.length, 3);
  t.match(rows[0], new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,本地校验,penalties,P07-002,行政处罚信息,${SHOWN_KEY},subject\\.code,CREDIT_CODE_CHECK,`));
  t.notOk(containsIdNumber(csv.stdout), 'no identity number in the CSV');
  const page = await (await fetch(`http://127.0.0.1:${port}/rejections.csv?job=penalties`)).text();
  t.equal(page.split('\r\n').slice(1, -1).length, 3, 'the page filters by job too');
  t.equal((await (await fetch(`http://127.0.0.1:${port}/rejections.csv?job=other`)).text()).split('\r\n').slice(1, -1).length, 0);

  const bad = await cli(['rejections', '-c', config, '--limit', 'lots']);
  t.equal(bad.code, 1);
  t.match(bad.stderr, /--limit: "lots" is not a whole number/);
});
