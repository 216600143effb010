import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { destination, dropStamp } from '../../../gateway/files/file-moves.js';

t.test('the stamp is the local time, sortable and safe in a Windows file name', async (t) => {
  const at = new Date(2026, 10, 26, 16, 30, 5, 42);
  t.equal(dropStamp(at), '20261126-163005-042');
});

t.test('a destination never replaces a file already there, nor its report', async (t) => {
  const dir = t.testdir({});
  const at = new Date(2026, 10, 26, 16, 30, 5, 42);
  const first = await destination(dir, 'P07-002.csv', at);
  t.same(first, { file: join(dir, '20261126-163005-042_P07-002.csv'), report: join(dir, '20261126-163005-042_P07-002.csv.errors.csv') });
  writeFileSync(first.file, 'x');
  const second = await destination(dir, 'P07-002.csv', at);
  t.equal(second.file, join(dir, '20261126-163005-042-2_P07-002.csv'));
  writeFileSync(second.report, 'x');
  t.equal((await destination(dir, 'P07-002.csv', at)).file, join(dir, '20261126-163005-042-3_P07-002.csv'));
});

t.test('an unsafe name is made safe on the way', async (t) => {
  const dir = t.testdir({});
  const d = await destination(dir, '..\\P07:002.csv', new Date(2026, 0, 1));
  t.equal(d.file, join(dir, '20260101-000000-000___P07_002.csv'));
});
