import t from 'tap';
import { etaMs, formatDuration, progressLine, rowsPerSecond, RunProgress } from '../../../gateway/run/progress.js';
import { showProgress } from '../../../gateway/run/progress-output.js';

t.test('the rate is rows over the whole run so far', async (t) => {
  t.equal(rowsPerSecond(5000, 2000), 2500);
  t.equal(rowsPerSecond(0, 2000), 0);
  t.equal(rowsPerSecond(10, 0), 0, 'no time yet: no rate, not infinity');
});

t.test('the time left follows the rate so far, and only when the total is known', async (t) => {
  t.equal(etaMs(2500, 10_000, 10_000), 30_000, 'a quarter read in 10 s: 30 s left');
  t.equal(etaMs(2500, null, 10_000), null, 'no total: no guess');
  t.equal(etaMs(0, 10_000, 10_000), null, 'nothing read yet: no rate to go by');
  t.equal(etaMs(10_000, 10_000, 5000), 0);
  t.equal(etaMs(12_000, 10_000, 5000), 0, 'rows added while reading do not make it negative');
});

t.test('durations are short: seconds, minutes and seconds, hours and minutes', async (t) => {
  t.equal(formatDuration(0), '0s');
  t.equal(formatDuration(42_400), '42s');
  t.equal(formatDuration(185_000), '3m05s');
  t.equal(formatDuration(3_720_000), '1h02m');
});

t.test('a progress line says rows read, the rate, what was queued and rejected, and the time left when it can', async (t) => {
  const base = { job: 'penalties', pages: 3, queued: 1180, rejected: 20, elapsedMs: 4000 };
  t.equal(progressLine({ ...base, rowsRead: 1200, total: null }), 'penalties: 1,200 rows read, 300 rows/s, queued 1,180, rejected 20, 4s elapsed');
  t.equal(progressLine({ ...base, rowsRead: 1200, total: 4800 }), 'penalties: 1,200 of 4,800 rows read (25%), 300 rows/s, queued 1,180, rejected 20, 4s elapsed, about 12s left');
  t.match(progressLine({ ...base, rowsRead: 0, total: 0 }), /0 of 0 rows read \(100%\)/);
});

t.test('progress adds up the page events of its own job only', async (t) => {
  const p = new RunProgress('penalties', 1000, 50);
  p.page({ job: 'penalties', read: 20, queued: 18, rejected: 2 });
  p.page({ job: 'permits', read: 500, queued: 500, rejected: 0 });
  p.page({ job: 'penalties', read: 20, queued: 20, rejected: 0 });
  t.same(p.facts(3000), { job: 'penalties', rowsRead: 40, pages: 2, queued: 38, rejected: 2, total: 50, elapsedMs: 2000 });
});

t.test('off a terminal, a plain line per page when asked for every page; nothing redrawn', async (t) => {
  const written: string[] = [];
  let now = 0;
  const p = new RunProgress('penalties', 0);
  const out = showProgress(p, { write: (s: string) => written.push(s), isTTY: false }, 0, () => now);
  for (const read of [10, 10, 5]) {
    now += 1000;
    p.page({ job: 'penalties', read, queued: read, rejected: 0 });
    out.pageCommitted();
  }
  out.stop();
  t.same(written, [
    'penalties: 10 rows read, 10 rows/s, queued 10, rejected 0, 1s elapsed\n',
    'penalties: 20 rows read, 10 rows/s, queued 20, rejected 0, 2s elapsed\n',
    'penalties: 25 rows read, 8 rows/s, queued 25, rejected 0, 3s elapsed\n',
  ]);
  t.notOk(written.join('').includes('\r'), 'no carriage returns in a log');
});

t.test('on a terminal, one line redrawn in place and cleared at the end', async (t) => {
  const written: string[] = [];
  let now = 0;
  const p = new RunProgress('penalties', 0);
  const out = showProgress(p, { write: (s: string) => written.push(s), isTTY: true }, 10_000, () => now);
  p.page({ job: 'penalties', read: 10, queued: 10, rejected: 0 });
  now = 1000;
  out.pageCommitted();
  p.page({ job: 'penalties', read: 10, queued: 10, rejected: 0 });
  now = 1100;
  out.pageCommitted();
  out.stop();
  t.same(written, ['\rpenalties: 10 rows read, 10 rows/s, queued 10, rejected 0, 1s elapsed\x1b[K', '\r\x1b[K'], 'a second page within 250 ms is not redrawn');
});
