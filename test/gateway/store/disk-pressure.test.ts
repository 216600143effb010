import t from 'tap';
import { describePressure, diskPressure, isDiskFull, mayRecreateReserve, PRESSURE_CODES } from '../../../gateway/store/disk-pressure.js';
import { GATEWAY_ERRORS } from '../../../gateway/errors.js';

const MiB = 1024 * 1024;
const limits = { minFreeBytes: 256 * MiB, maxStoreBytes: 1024 * MiB };
const roomy = { freeBytes: 10_000 * MiB, storeBytes: 10 * MiB, reserveHeld: true, fullSeen: false };

t.test('reading runs while there is room above the floor and under the cap', async (t) => {
  t.same(diskPressure(roomy, limits), { paused: false, reason: null });
  t.same(diskPressure({ ...roomy, freeBytes: 256 * MiB }, limits), { paused: false, reason: null }, 'exactly at the floor is still room');
  t.same(diskPressure({ ...roomy, storeBytes: 5000 * MiB }, { ...limits, maxStoreBytes: null }), { paused: false, reason: null }, 'no cap: any size');
});

t.test('reading pauses below the free-space floor', async (t) => {
  t.same(diskPressure({ ...roomy, freeBytes: 256 * MiB - 1 }, limits), { paused: true, reason: 'low_space' });
});

t.test('reading pauses at the store size cap, WAL included by the caller', async (t) => {
  t.same(diskPressure({ ...roomy, storeBytes: 1024 * MiB }, limits), { paused: true, reason: 'size_cap' });
});

t.test('a full disk pauses reading until the reserve is back, whatever the measurement says', async (t) => {
  t.same(diskPressure({ ...roomy, fullSeen: true }, limits), { paused: true, reason: 'disk_full' }, 'SQLITE_FULL seen');
  t.same(diskPressure({ ...roomy, fullSeen: true, freeBytes: 0, storeBytes: 5000 * MiB }, limits).reason, 'disk_full', 'the full disk is named before the floor and the cap');
});

t.test('no room to make the reserve above the floor pauses reading as low space, never full', async (t) => {
  t.same(diskPressure({ ...roomy, reserveHeld: false }, limits), { paused: true, reason: 'low_space' });
});

t.test('the reserve is made again only with room for it above the floor', async (t) => {
  t.equal(mayRecreateReserve(288 * MiB, 32 * MiB, 256 * MiB), true);
  t.equal(mayRecreateReserve(288 * MiB - 1, 32 * MiB, 256 * MiB), false, 'making it would push free space under the floor');
  t.equal(mayRecreateReserve(0, 0, 0), true, 'no reserve, no floor');
});

t.test('SQLite\'s "database or disk is full" is recognised by its code, other errors are not', async (t) => {
  t.ok(isDiskFull(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })));
  t.ok(isDiskFull(Object.assign(new Error('disk I/O error: No space left on device'), { code: 'SQLITE_IOERR_WRITE' })));
  t.notOk(isDiskFull(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' })), 'an I/O error is not a full disk');
  t.notOk(isDiskFull(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })));
  t.notOk(isDiskFull(new Error('database or disk is full')), 'no code, no guess');
  t.notOk(isDiskFull(null));
});

t.test('every pause has a catalogue code with an action, and words that say what to do', async (t) => {
  for (const [reason, code] of Object.entries(PRESSURE_CODES)) {
    t.ok(GATEWAY_ERRORS[code].action.length > 10, `${reason}: ${code} says what to do`);
  }
  t.match(describePressure({ paused: true, reason: 'low_space' }, { freeBytes: 100 * MiB, storeBytes: 0 }, limits), /100 MiB free.*store\.minFreeMiB \(256 MiB\).*Free space/);
  t.match(describePressure({ paused: true, reason: 'size_cap' }, { freeBytes: 0, storeBytes: 1024 * MiB }, limits), /store\.maxSizeMiB \(1024 MiB\).*raise store\.maxSizeMiB/);
  t.match(describePressure({ paused: true, reason: 'disk_full' }, roomy, limits), /disk of the data folder is full.*acknowledgements are still recorded/);
  t.match(describePressure({ paused: false, reason: null }, roomy, limits), /^disk ok/);
});
