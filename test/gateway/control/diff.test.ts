import t from 'tap';
import { describeBundleChange } from '../../../gateway/control/diff.js';
import { contentProblems } from '../../../gateway/control/verify.js';
import type { Bundle } from '../../../gateway/control/contract.js';
import { validBundle } from './bundle-fixtures.js';

/** A bundle as a gateway holds it once verified: defaults applied. */
function bundle(over: Record<string, unknown> = {}, edit: (doc: Record<string, unknown>) => void = () => undefined): Bundle {
  const doc = validBundle(over);
  edit(doc);
  const checked = contentProblems(doc);
  if (!checked.bundle) throw new Error(JSON.stringify(checked.problems));
  return checked.bundle;
}
const job = (doc: Record<string, unknown>) => (doc.jobs as Record<string, unknown>[])[0]!;
const source = (doc: Record<string, unknown>) => (doc.sources as Record<string, unknown>[])[0]!;

t.test('the first bundle lists what is added, secrets by name only', async (t) => {
  const text = describeBundleChange(null, bundle()).join('\n');
  t.match(text, /first configuration .* gw-rsj-01 \(version 13\)/);
  t.match(text, /Source "hr_db" is added: a MySQL database "hr" on 10\.1\.2\.3 \(user "credit_reader", password from local secret "hr_db_password"\)/);
  t.match(text, /Job "penalties" is added: it reads source "hr_db" into category P07-002 \(行政处罚信息\)/, 'the category by its catalog name');
  t.match(text, /starts reading from the beginning/);
});

t.test('the same sources and jobs change nothing', async (t) => {
  t.same(describeBundleChange(bundle(), bundle({ version: 14 })), [
    'Gateway gw-rsj-01 goes from version 13 to version 14.',
    'Nothing changes for the department: the sources and jobs are the same.',
  ]);
});

t.test('a default written out is not a change', async (t) => {
  const explicit = bundle({ version: 14 }, (d) => { job(d).mode = 'incremental'; job(d).safetyLagSecs = 5; source(d).timeZone = 'Asia/Shanghai'; });
  t.match(describeBundleChange(bundle(), explicit).join('\n'), /Nothing changes/);
});

t.test('source members that change are named, secret references as references', async (t) => {
  const next = bundle({ version: 14 }, (d) => { source(d).host = '10.1.2.4'; source(d).passwordRef = 'hr_db_2026'; });
  const text = describeBundleChange(bundle(), next).join('\n');
  t.match(text, /Source "hr_db" changes host from "10\.1\.2\.3" to "10\.1\.2\.4" and passwordRef from local secret "hr_db_password" to local secret "hr_db_2026"\./);
  t.notMatch(text, /cursor will restart/, 'a source moving host keeps the jobs\' cursors');
});

t.test('sources and jobs added and removed', async (t) => {
  const next = bundle({ version: 14 }, (d) => {
    d.sources = [{ name: 'archive', kind: 'postgres', host: 'pg', database: 'arch', user: 'r', passwordRef: 'hr_db_password' }];
    d.jobs = [{ ...job(d), name: 'licences', source: 'archive', category: 'P07-008' }];
  });
  const text = describeBundleChange(bundle(), next).join('\n');
  t.match(text, /Source "hr_db" is removed/);
  t.match(text, /Source "archive" is added: a PostgreSQL database "arch" on pg/);
  t.match(text, /Job "penalties" is removed: it stops reading category P07-002 \(行政处罚信息\); records it already queued are still delivered\./);
  t.match(text, /Job "licences" is added: .*P07-008/);
});

t.test('query, fields, schedule, mode and category changes, and when the cursor restarts', async (t) => {
  const fields = bundle({ version: 14 }, (d) => {
    job(d).fields = { CF_XDR_MC: 'party_name', CF_WSH: { column: 'doc_no', trim: true }, CF_YJ: 'basis' };
    job(d).schedule = { intervalSecs: 300 };
  });
  const f = describeBundleChange(bundle(), fields).join('\n');
  t.match(f, /Job "penalties" adds field CF_YJ, from column "basis"\./);
  t.match(f, /Job "penalties" changes field CF_WSH from column "decision_no" to column "doc_no" with trim true\./);
  t.match(f, /changes its schedule from cron "\*\/10 \* \* \* \*" to every 300 seconds/);
  t.notMatch(f, /cursor will restart/, 'mapping and schedule changes keep the cursor');

  const removed = bundle({ version: 14 }, (d) => { job(d).fields = { CF_XDR_MC: 'party_name' }; });
  t.match(describeBundleChange(bundle(), removed).join('\n'), /Job "penalties" no longer sends field CF_WSH\./);

  const query = bundle({ version: 14 }, (d) => { job(d).query = 'SELECT *\n  FROM t_xzcf WHERE 1 = 1'; });
  const q = describeBundleChange(bundle(), query);
  t.ok(q.includes('Job "penalties" changes its query to: SELECT * FROM t_xzcf WHERE 1 = 1'));
  t.ok(q.includes('Job "penalties": its cursor will restart from the beginning, because its query changed.'));

  const category = bundle({ version: 14 }, (d) => { job(d).category = 'P07-008'; });
  const c = describeBundleChange(bundle(), category, { categoryName: (code) => ({ 'P07-002': 'penalties', 'P07-008': 'licences' })[code] });
  t.ok(c.includes('Job "penalties" sends to category P07-008 (licences) instead of P07-002 (penalties).'));
  t.match(c.join('\n'), /restart from the beginning, because its category changed/);

  const mode = bundle({ version: 14 }, (d) => { const j = job(d); delete j.cursor; j.mode = 'snapshot'; });
  const m = describeBundleChange(bundle(), mode).join('\n');
  t.match(m, /Job "penalties" changes from incremental to snapshot reading\./);
  t.match(m, /because its cursor and mode changed/);
});

t.test('a local configuration can be the starting point', async (t) => {
  const b = bundle();
  const text = describeBundleChange({ sources: b.sources, jobs: [] }, b);
  t.equal(text[0], 'Gateway gw-rsj-01 goes from its local configuration to version 13.');
  t.match(text.join('\n'), /Job "penalties" is added/);
});
