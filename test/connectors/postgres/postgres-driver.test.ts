import { createServer } from 'node:net';
import t, { type Test } from 'tap';
import { classifyPostgresError, describeConnectError, PostgresDriver } from '../../../connectors/postgres/postgres-driver.js';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

t.test('server errors map to the connector catalogue by SQLSTATE, which stays in the message', async (t) => {
  const table: [unknown, string, RegExp][] = [
    [pgError('57014', 'canceling statement due to statement timeout'), 'SOURCE_QUERY_TIMEOUT', /^.*57014 canceling/],
    [pgError('55P03', 'canceling statement due to lock timeout'), 'SOURCE_QUERY_TIMEOUT', /lock held by another session.*55P03/],
    [pgError('25006', 'cannot execute INSERT in a read-only transaction'), 'SOURCE_STATEMENT_REFUSED', /25006/],
    [pgError('57P01', 'terminating connection due to administrator command'), 'SOURCE_CONNECTION_LOST', /57P01/],
    [pgError('57P02', 'terminating connection because of crash of another server process'), 'SOURCE_CONNECTION_LOST', /57P02/],
    [pgError('57P03', 'the database system is shutting down'), 'SOURCE_CONNECTION_LOST', /57P03/],
    [pgError('08006', 'connection failure'), 'SOURCE_CONNECTION_LOST', /08006/],
    [new Error('Connection terminated unexpectedly'), 'SOURCE_CONNECTION_LOST', /terminated/],
    [new Error('Client has encountered a connection error and is not queryable'), 'SOURCE_CONNECTION_LOST', /not queryable/],
    [pgError('ECONNRESET', 'read ECONNRESET'), 'SOURCE_CONNECTION_LOST', /ECONNRESET/],
    [pgError('42P01', 'relation "t_xzcf" does not exist'), 'SOURCE_QUERY_FAILED', /42P01 relation "t_xzcf"/],
    [pgError('42501', 'permission denied for table t_xzcf'), 'SOURCE_QUERY_FAILED', /42501 permission denied/],
    ['something odd', 'SOURCE_QUERY_FAILED', /something odd/],
  ];
  for (const [err, code, message] of table) {
    const mapped = classifyPostgresError(err);
    t.equal(mapped.code, code, String((err as Error).message ?? err));
    t.match(mapped.message, message);
  }
  t.match(classifyPostgresError(pgError('57014', 'canceling statement due to user request'), true).message, /cancelled/);
});

t.test('a failed login names where it tried and why, never the password', async (t) => {
  const where = { host: '10.1.2.3', port: 5432, database: 'hr', user: 'credit_ro' };
  t.equal(
    describeConnectError(pgError('28P01', 'password authentication failed for user "credit_ro"'), where),
    'credit_ro@10.1.2.3:5432/hr: 28P01 password authentication failed for user "credit_ro"',
  );
  t.match(
    describeConnectError(new Error('SASL: Only mechanism(s) SCRAM-SHA-256 are supported'), where),
    /md5 or scram-sha-256/,
    'an openGauss-style sha256/sm3 request gets a hint the raw error lacks',
  );
  t.match(
    describeConnectError(new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a non-empty string'), where),
    /given none/,
  );
  t.equal(describeConnectError(pgError('ECONNREFUSED', 'connect ECONNREFUSED 10.1.2.3:5432'), where), 'credit_ro@10.1.2.3:5432/hr: connect ECONNREFUSED 10.1.2.3:5432');
});

/**
 * A server that answers the startup message the way openGauss asks for its
 * own password exchange: authentication request 10 (PostgreSQL's SASL code)
 * carrying a stored-method word, a 64-byte random code, an 8-byte token and an
 * iteration count; or a request code PostgreSQL does not have (sm3).
 */
async function fakeLoginServer(t: Test, request: Buffer): Promise<number> {
  const server = createServer((socket) => {
    socket.once('data', () => {
      const header = Buffer.alloc(5);
      header.write('R', 0);
      header.writeInt32BE(4 + request.length, 1);
      socket.write(Buffer.concat([header, request]));
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

t.test('an openGauss-style login request is SOURCE_UNAVAILABLE with what to do, not a crash', async (t) => {
  const sha256 = Buffer.concat([int32(10), int32(2), Buffer.alloc(64, 'a'), Buffer.alloc(8, 'b'), int32(10000)]);
  const sm3 = Buffer.concat([int32(13), int32(3), Buffer.alloc(64, 'a'), Buffer.alloc(8, 'b')]);
  for (const [name, request] of [['sha256', sha256], ['sm3', sm3]] as const) {
    const port = await fakeLoginServer(t, request);
    const driver = new PostgresDriver({ host: '127.0.0.1', port, database: 'db', user: 'u', password: 'pw-never-shown', applicationName: 'test', connectTimeoutMs: 5000, queryTimeoutMs: 5000 });
    const err = await driver.connect().then(() => null, (e: Error & { code: string }) => e);
    t.equal(err?.code, 'SOURCE_UNAVAILABLE', name);
    t.match(err?.message, /md5 or scram-sha-256/, name);
    t.notMatch(err?.message, /pw-never-shown/);
  }
});
