import t from 'tap';
import Database from 'better-sqlite3';
import { statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { headerProblem, isCorruption } from '../../../gateway/store/store-file.js';

function sqliteFile(dir: string, rows: number): string {
  const file = join(dir, 'x.sqlite');
  const db = new Database(file);
  db.exec('CREATE TABLE t (v TEXT)');
  const insert = db.prepare('INSERT INTO t VALUES (?)');
  for (let i = 0; i < rows; i++) insert.run('x'.repeat(200));
  db.close();
  return file;
}

t.test('a whole SQLite file, and an empty one (a store not made yet), have no header problem', async (t) => {
  const dir = t.testdir({ empty: '' });
  t.equal(headerProblem(sqliteFile(dir, 100)), null);
  t.equal(headerProblem(join(dir, 'empty')), null);
});

t.test('a file cut anywhere, a header overwritten or too short is named for what it is', async (t) => {
  const dir = t.testdir({});
  const file = sqliteFile(dir, 200);
  const size = statSync(file).size;
  truncateSync(file, size - 4096);
  t.match(headerProblem(file), /holds \d+ bytes of the \d+ its header counts: the file was cut/, 'cut on a page boundary');
  truncateSync(file, Math.floor(size / 2) + 7);
  t.match(headerProblem(file), /is not a whole number of 4096-byte pages: the file was cut/, 'cut mid-page');
  writeFileSync(file, Buffer.alloc(4096, 0));
  t.match(headerProblem(file), /does not start with the SQLite header/);
  writeFileSync(file, 'SQLite format 3\0');
  t.match(headerProblem(file), /shorter than a SQLite header/);
});

t.test('corruption is told apart from other SQLite errors, also when wrapped', async (t) => {
  t.ok(isCorruption({ code: 'SQLITE_CORRUPT' }));
  t.ok(isCorruption(new Error('open failed', { cause: { code: 'SQLITE_NOTADB' } })));
  t.notOk(isCorruption({ code: 'SQLITE_CANTOPEN' }));
  t.notOk(isCorruption({ code: 'SQLITE_FULL' }));
});
