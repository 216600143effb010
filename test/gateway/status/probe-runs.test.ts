/** The page's probe runs one at a time and keeps the last report. */
import t from 'tap';
import { ProbeRuns } from '../../../gateway/status/probe-runs.js';
import type { ProbeReport } from '../../../gateway/probe/report.js';

const report = (at: string): ProbeReport => ({ at, sampleRows: 200, config: [], sources: [], jobs: [] });

t.test('a second probe asked for while one runs is refused, not started; the next one after it runs', async (t) => {
  let started = 0;
  let finish: (r: ProbeReport) => void = () => undefined;
  const runs = new ProbeRuns(() => {
    started += 1;
    return new Promise((resolve) => { finish = resolve; });
  });
  t.equal(runs.last, null);
  const first = runs.start('wang');
  t.equal(runs.running, true);
  t.equal(await runs.start('li'), null, 'refused while the first runs');
  t.equal(started, 1, 'the databases are not opened twice');
  finish(report('2026-12-06T10:00:00.000Z'));
  t.same(await first, { report: report('2026-12-06T10:00:00.000Z'), by: 'wang' });
  t.equal(runs.running, false);
  t.equal(runs.last?.by, 'wang', 'the last report is kept for the page');

  const second = runs.start(null);
  finish(report('2026-12-06T10:05:00.000Z'));
  t.equal((await second)?.report.at, '2026-12-06T10:05:00.000Z');
  t.equal(started, 2);
});

t.test('a probe that throws frees the way for the next one and keeps the last good report', async (t) => {
  let fail = true;
  const runs = new ProbeRuns(async () => {
    if (fail) throw new Error('boom');
    return report('2026-12-06T11:00:00.000Z');
  });
  await t.rejects(runs.start('wang'), /boom/);
  t.equal(runs.running, false);
  fail = false;
  t.equal((await runs.start('wang'))?.report.at, '2026-12-06T11:00:00.000Z');
});
