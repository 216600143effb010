import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { actionOf, CONTROL_ERRORS } from '../../../gateway/control/errors.js';
import { applyProblem } from '../../../gateway/control/apply-errors.js';
import { besideTest } from '../../helpers/beside.js';

const root = besideTest(import.meta.url, '../../../gateway/control');

t.test('every control code says what happened and what to do', async (t) => {
  for (const [code, spec] of Object.entries(CONTROL_ERRORS)) {
    t.ok(spec.message.length > 10, `${code} has a message`);
    t.ok(spec.action.length > 10, `${code} has an action`);
  }
});

t.test('every code the control layer raises is in its catalogue', async (t) => {
  const used = new Set<string>();
  for (const file of readdirSync(root).filter((f) => f.endsWith('.ts'))) {
    for (const m of readFileSync(join(root, file), 'utf8').matchAll(/'((?:BUNDLE|CONTROL|KEY|SECRETS?)_[A-Z_]+)'/g)) used.add(m[1]!);
  }
  t.ok(used.size > 10, 'the scan finds the codes');
  for (const code of used) t.ok(code in CONTROL_ERRORS, `${code} is catalogued`);
});

t.test('a trial problem keeps its own detail as the message and takes its action from the catalogue', async (t) => {
  const p = applyProblem('CONTROL_TRIAL_QUERY', 'job "penalties": SOURCE_QUERY_FAILED: no such table: t_missing', 'jobs[0].query');
  t.equal(p.message, 'job "penalties": SOURCE_QUERY_FAILED: no such table: t_missing');
  t.equal(p.path, 'jobs[0].query');
  t.match(actionOf(p), /run the query by hand/);
});
