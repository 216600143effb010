import t from 'tap';
import type { ApplyOutcome } from '../../../gateway/control/contract.js';
import { openStore } from './helpers.js';

const bytesOf = (version: number) => Buffer.from(JSON.stringify({ gatewayId: 'hs-test', version, jobs: [] }), 'utf8');
const at = (minute: number) => `2026-11-26T12:${String(minute).padStart(2, '0')}:00.000Z`;

function applied(version: number, minute: number): ApplyOutcome {
  return { version, status: 'applied', message: `bundle ${version} applied`, at: at(minute), via: 'heartbeat' };
}

t.test('a new store has no bundle and no outcome', async (t) => {
  const { store } = openStore(t);
  t.equal(store.currentBundle(), null);
  t.equal(store.previousBundle(100), null);
  t.equal(store.lastBundleOutcome(), null);
  t.same(store.bundleHistory(), []);
});

t.test('every outcome is kept in order, newest first in the history', async (t) => {
  const { store } = openStore(t);
  store.recordBundleOutcome(applied(12, 0), { bytes: bytesOf(12), signature: 'sig12' });
  store.recordBundleOutcome({ version: 13, status: 'rejected', message: 'signature does not verify', at: at(1), via: 'admin' });
  store.recordBundleOutcome({ version: 13, status: 'rejected', message: 'signature does not verify', at: at(2), via: 'folder' });
  t.same(store.bundleHistory().map((o) => [o.version, o.status, o.via]), [[13, 'rejected', 'folder'], [13, 'rejected', 'admin'], [12, 'applied', 'heartbeat']]);
  t.same(store.lastBundleOutcome(), { version: 13, status: 'rejected', message: 'signature does not verify', at: at(2), via: 'folder' });
  t.same(store.bundleHistory(2).length, 2, 'the limit is honoured');
  t.equal(store.currentBundle()?.version, 12, 'a refused bundle never becomes current');
});

t.test('the applied bundle is kept byte for byte and the one before stays reachable', async (t) => {
  const { store } = openStore(t);
  store.recordBundleOutcome(applied(12, 0), { bytes: bytesOf(12), signature: 'sig12' });
  store.recordBundleOutcome(applied(13, 5), { bytes: bytesOf(13), signature: 'sig13' });
  const current = store.currentBundle()!;
  t.equal(current.version, 13);
  t.ok(Buffer.isBuffer(current.bytes));
  t.ok(current.bytes.equals(bytesOf(13)));
  t.same({ signature: current.signature, appliedAt: current.appliedAt }, { signature: 'sig13', appliedAt: at(5) });
  t.equal(store.previousBundle(13)?.version, 12);
  t.ok(store.previousBundle(13)!.bytes.equals(bytesOf(12)));
  t.equal(store.previousBundle(12), null, 'nothing older than the first');
});

t.test('a rolled-back bundle is no longer current and the one before takes its place', async (t) => {
  const { store } = openStore(t);
  store.recordBundleOutcome(applied(12, 0), { bytes: bytesOf(12), signature: 'sig12' });
  store.recordBundleOutcome(applied(13, 5), { bytes: bytesOf(13), signature: 'sig13' });
  store.markBundleRolledBack(13, at(6));
  store.recordBundleOutcome({ version: 13, status: 'rolled_back', message: 'job penalties failed its first run', at: at(6), via: 'heartbeat' });
  t.equal(store.currentBundle()?.version, 12);
  t.equal(store.lastBundleOutcome()?.status, 'rolled_back');
  t.equal(store.previousBundle(14)?.version, 12, 'a rolled-back bundle is not a rollback target either');

  store.recordBundleOutcome(applied(14, 10), { bytes: bytesOf(14), signature: 'sig14' });
  t.equal(store.currentBundle()?.version, 14);
  t.equal(store.previousBundle(14)?.version, 12);
});

t.test('the newest application counts, not the highest version', async (t) => {
  const { store } = openStore(t);
  store.recordBundleOutcome(applied(12, 0), { bytes: bytesOf(12), signature: 'sig12' });
  store.recordBundleOutcome(applied(13, 5), { bytes: bytesOf(13), signature: 'sig13' });
  store.markBundleRolledBack(13, at(6));
  store.recordBundleOutcome({ ...applied(11, 7), via: 'admin' }, { bytes: bytesOf(11), signature: 'sig11' });
  t.equal(store.currentBundle()?.version, 11, 'an older version applied on purpose is current');

  store.recordBundleOutcome(applied(13, 9), { bytes: bytesOf(13), signature: 'sig13b' });
  t.same([store.currentBundle()?.version, store.currentBundle()?.signature], [13, 'sig13b'], 'applying a version again clears its rollback');
  t.equal(store.previousBundle(13)?.version, 11);
});

t.test('bytes are kept only for an applied outcome', async (t) => {
  const { store } = openStore(t);
  t.throws(() => store.recordBundleOutcome(
    { version: 13, status: 'rejected', message: 'bad', at: at(0), via: 'admin' }, { bytes: bytesOf(13), signature: 'x' },
  ));
  t.same(store.bundleHistory(), [], 'nothing of the call was kept');
  t.equal(store.currentBundle(), null);
});

t.test('bundles, outcomes and job identities survive a reopen', async (t) => {
  const { store, reopen } = openStore(t);
  store.recordBundleOutcome(applied(12, 0), { bytes: bytesOf(12), signature: 'sig12' });
  store.recordBundleOutcome(applied(13, 5), { bytes: bytesOf(13), signature: 'sig13' });
  store.markBundleRolledBack(13, at(6));
  store.recordBundleOutcome({ version: 13, status: 'rolled_back', message: 'rolled back', at: at(6), via: 'heartbeat' });
  store.setJobIdentity('penalties', 'hash-a');
  const history = store.bundleHistory();
  store.close();

  const again = reopen();
  t.same(again.bundleHistory(), history);
  t.equal(again.currentBundle()?.version, 12);
  t.ok(again.currentBundle()!.bytes.equals(bytesOf(12)));
  t.equal(again.jobIdentity('penalties'), 'hash-a');
});

t.test('a job identity is per job and a new one replaces the old', async (t) => {
  const { store } = openStore(t);
  t.equal(store.jobIdentity('penalties'), null);
  store.setJobIdentity('penalties', 'hash-a');
  store.setJobIdentity('licences', 'hash-b');
  store.setJobIdentity('penalties', 'hash-c');
  t.equal(store.jobIdentity('penalties'), 'hash-c');
  t.equal(store.jobIdentity('licences'), 'hash-b');
});
