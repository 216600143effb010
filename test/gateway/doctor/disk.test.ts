/**
 * doctor's disk check on a real small disk (tmpfs): the thresholds are the
 * ones at which the running gateway pauses reading (store.minFreeMiB, the
 * reserve), measured on the data folder's own filesystem.
 */
import t from 'tap';
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { runDoctor } from '../../../gateway/doctor/doctor.js';
import { formatReport } from '../../../gateway/doctor/format.js';
import { createReceiver } from '../../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_SECRET, writeTestConfig } from '../../helpers/business-db.js';
import { fillDisk, freeBytes, freeDisk, mountTmpfs } from '../../helpers/tmpfs.js';

const MIB = 1024 * 1024;

/** Takes the disk of `dir` down to about `leftMiB` free with one file; returns it. */
function leaveFree(dir: string, leftMiB: number): string {
  const file = join(dir, 'ballast.bin');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(MIB, 0x5a);
  try {
    while (freeBytes(dir) > (leftMiB + 1) * MIB) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return file;
}

t.test('the data folder\'s disk: room passes, close to the floor warns, below store.minFreeMiB fails with the fix', async (t) => {
  const disk = mountTmpfs(t, 64);
  if (!disk) return;
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, 2);
  business.db.close();
  const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET } });
  const { url } = await receiver.listen(0, '127.0.0.1');
  t.teardown(() => receiver.close());
  const config = writeTestConfig({ dir, businessDb: business.file, platformUrl: url });
  const edited = JSON.parse(readFileSync(config, 'utf8'));
  edited.gateway.dataDir = join(disk, 'data');
  edited.store = { minFreeMiB: 8, reserveMiB: 2 };
  writeFileSync(config, JSON.stringify(edited));
  const doctor = () => runDoctor({ configFile: config, softwareVersion: 'test', env: { CREDIT_GATEWAY_SECRET_PLATFORM: TEST_SECRET }, systemd: false });
  const disk1 = async () => (await doctor()).checks.find((c) => c.id === 'disk')!;

  t.equal((await disk1()).state, 'pass', 'a 64 MiB disk, nearly empty');

  const ballast = leaveFree(disk, 14);
  t.equal((await disk1()).state, 'warn', 'about 14 MiB free: within twice the floor and reserve');

  freeDisk(ballast);
  const filler = fillDisk(disk);
  const report = await doctor();
  const full = report.checks.find((c) => c.id === 'disk')!;
  t.equal(full.state, 'fail');
  t.notOk(report.ok);
  t.match(formatReport(report, 'en'), /\[FAIL\] disk space: only 0 MiB free on the disk of .*below store\.minFreeMiB \(8 MiB\)[^\n]*\n    fix: free space on that disk/);
  freeDisk(filler);
  t.equal((await disk1()).state, 'pass', 'freed again');
});
