import t from 'tap';
import { startMariadb } from '../../helpers/mariadb.js';

t.test('the test server starts with a read-only account, survives a crash and a restart, and stops', async (t) => {
  const server = await startMariadb(t);
  t.match(server.version, /MariaDB/);
  await server.admin('CREATE TABLE x (id int PRIMARY KEY)');
  await server.admin('INSERT INTO x VALUES (1)');
  t.same(await server.as(server.readOnlyUser, server.readOnlyPassword, 'SELECT id FROM x'), [{ id: 1 }], 'credit_ro reads biz');
  await t.rejects(server.as(server.readOnlyUser, server.readOnlyPassword, 'INSERT INTO x VALUES (2)'), { code: 'ER_TABLEACCESS_DENIED_ERROR' }, 'credit_ro may not write');
  t.same(await server.admin('SELECT @@global.time_zone AS zone, @@system_time_zone AS os'), [{ zone: 'SYSTEM', os: 'CST' }], 'the server runs in China Standard Time');
  await server.crash();
  await t.rejects(server.admin('SELECT 1'), 'a crashed server refuses logins');
  await server.start();
  t.same(await server.admin('SELECT count(*) AS n FROM x'), [{ n: '1' }], 'committed rows survive a crash');
  await server.restart();
  t.same(await server.admin('SELECT id FROM x'), [{ id: 1 }], 'and a clean restart');
  await server.stop();
});
