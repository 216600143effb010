import t from 'tap';
import { Clock, T0, openStore, page, rec } from './helpers.js';

t.test('cursors lists each job\'s position with when a committed page set it, and a reset removes only that job\'s', async (t) => {
  const clock = new Clock();
  const { store, reopen } = openStore(t, clock);
  t.same(store.cursors(), [], 'a new store has none');

  store.commitPage(page('penalties', [rec('1')], { cursor: ['2026-11-26 08:00:00', '9007199254740993'] }));
  clock.advance(60_000);
  store.commitPage(page('licences', [rec('2')], { cursor: [7] }));
  store.commitPage(page('licences', [rec('3')], { cursor: null }));
  const later = new Date(Date.parse(T0) + 60_000).toISOString();
  t.same(store.cursors(), [
    { job: 'licences', position: [7], setAt: later },
    { job: 'penalties', position: ['2026-11-26 08:00:00', '9007199254740993'], setAt: T0 },
  ], 'by job name; a page that leaves the cursor unchanged does not move its time');

  store.resetCursor('penalties');
  t.equal(store.getCursor('penalties'), null, 'the next run of the job reads from the beginning');
  t.same(store.cursors().map((c) => c.job), ['licences'], 'other jobs keep theirs');
  store.close();
  t.same(reopen().cursors(), [{ job: 'licences', position: [7], setAt: later }], 'kept across a restart');
});
