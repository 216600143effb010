/**
 * Issue 10 case 9 through the whole gateway: a BLOB in one row of the
 * department's table. With `SELECT *` and a mapping that does not use the
 * column, every row reaches the platform; with a mapping that does, that one
 * row is rejected with its reason and the others of its page still arrive.
 * Before, every run exited with SOURCE_BINARY_COLUMN and nothing was sent.
 */
import t, { type Test } from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createReceiver } from '../../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_SECRET, writeTestConfig } from '../../helpers/business-db.js';
import { expectConserved, startGatewayProcess } from '../../helpers/conservation.js';
import { until } from '../../helpers/wait.js';

const ROWS = 60;
const BAD = 7;

async function scenario(t: Test, fields: Record<string, unknown>): Promise<{ dir: string; business: Database.Database }> {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, ROWS);
  business.db.exec('ALTER TABLE t_penalty ADD COLUMN photo BLOB');
  business.db.prepare('UPDATE t_penalty SET photo = ? WHERE id = ?').run(Buffer.from([0xff, 0xd8, 0xff, 0xe0]), BAD);
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  // Pages of 20: the bad row shares its page with 19 good ones.
  const configFile = writeTestConfig({ dir, businessDb: business.file, platformUrl: url, pageSize: 20, pollSecs: 1 });
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as { jobs: { fields: Record<string, unknown> }[] };
  Object.assign(config.jobs[0]!.fields, fields);
  writeFileSync(configFile, JSON.stringify(config));
  const gw = startGatewayProcess(configFile);
  t.teardown(async () => {
    gw.child.kill('SIGKILL');
    await gw.exited;
    business.db.close();
    await receiver.close();
  });
  await expectConserved(t, { receiver, business: business.db, ...(Object.keys(fields).length ? { invalid: [BAD] } : {}) });
  return { dir, business: business.db };
}

function openRejections(dir: string): { key: string; field: string | null; code: string; message: string }[] {
  const store = new Database(join(dir, 'data', 'gateway.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return store.prepare("SELECT key, field, code, message FROM rejections WHERE source = 'local' AND resolved_at IS NULL").all() as never;
  } finally {
    store.close();
  }
}

t.test('an unmapped BLOB column in SELECT * rejects nothing: every row arrives', async (t) => {
  const { dir } = await scenario(t, {});
  t.same(openRejections(dir), [], 'no rejection');
});

t.test('a mapped BLOB column rejects its one row, with the reason; the rest of the page arrives', async (t) => {
  const { dir } = await scenario(t, { CF_XDR_GSZC: 'photo' });
  const rejections = await until(() => openRejections(dir), (r) => r.length > 0, 30_000);
  t.equal(rejections.length, 1, 'one row rejected');
  t.match(rejections[0], { key: String(BAD), field: 'CF_XDR_GSZC', code: 'VALUE_BINARY', message: /列 photo 是二进制数据/ }, 'with the reason a clerk reads');
});
