import t from 'tap';
import { startPostgres } from '../../helpers/postgres.js';

t.test('the test server starts, accepts the read-only role, restarts and stops', async (t) => {
  const server = await startPostgres(t);
  t.match(server.version, /^\d+/);
  await server.admin('CREATE TABLE biz.x (id int)');
  await server.admin('INSERT INTO biz.x VALUES (1)');
  t.same(await server.as(server.readOnlyUser, 'SELECT id FROM x'), [{ id: 1 }], 'credit_ro reads the schema');
  await t.rejects(server.as(server.readOnlyUser, 'INSERT INTO x VALUES (2)'), { code: '42501' }, 'credit_ro may not write');
  t.same(await server.admin('SHOW TimeZone'), [{ TimeZone: 'Asia/Shanghai' }]);
  await server.restart();
  t.same(await server.admin('SELECT count(*)::int AS n FROM x'), [{ n: 1 }], 'data survives a restart');
  await server.stop();
});
