import t from 'tap';
import { openStore } from './helpers.js';

t.test('a job first ran when its first run started, whatever came after', async (t) => {
  const { store, reopen } = openStore(t);
  t.equal(store.firstRunAt('penalties'), null);
  store.recordRun('penalties', { startedAt: '2026-11-01T02:00:00.000Z', finishedAt: '2026-11-01T02:00:05.000Z', ok: false, error: { code: 'SOURCE_UNREACHABLE', message: 'x' } });
  store.recordRun('penalties', { startedAt: '2026-11-02T02:00:00.000Z', finishedAt: '2026-11-02T02:00:05.000Z', ok: true, error: null });
  store.recordRun('hr:folder', { startedAt: '2026-11-20T08:00:00.000Z', finishedAt: '2026-11-20T08:00:01.000Z', ok: true, error: null });
  t.equal(store.firstRunAt('penalties'), '2026-11-01T02:00:00.000Z');
  t.equal(store.firstRunAt('hr:folder'), '2026-11-20T08:00:00.000Z');
  t.equal(store.jobStates()[1]!.lastRunStartedAt, '2026-11-02T02:00:00.000Z', 'the last run is still the last');
  store.close();
  t.equal(reopen().firstRunAt('penalties'), '2026-11-01T02:00:00.000Z');
});
