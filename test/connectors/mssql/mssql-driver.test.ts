import t from 'tap';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { mssqlConfig, mssqlInput, mssqlQueryError, mssqlQueryResult, type MssqlModule } from '../../../connectors/mssql/mssql-driver.js';
import { mssqlParam } from '../../../connectors/mssql/mssql-types.js';
import { createMssqlSource } from '../../../connectors/mssql/index.js';
import type { MssqlSourceOptions } from '../../../connectors/options.js';

const require = createRequire(import.meta.url);
const mssql = require('mssql') as MssqlModule & Record<string, unknown>;

const OPTIONS: MssqlSourceOptions = { name: 'rsj', kind: 'mssql', host: '10.1.2.3', database: 'rsj', user: 'credit_ro', password: 's3cret!' };

t.test('the connection: read-only intent, naive times through UTC fields, one pinned connection, encrypted by default', async (t) => {
  const config = mssqlConfig(OPTIONS, 10_000);
  t.same(config.options, { encrypt: true, trustServerCertificate: false, readOnlyIntent: true, useUTC: true, appName: 'credit-gateway' });
  t.same([config.server, config.port, config.database, config.user, config.connectionTimeout], ['10.1.2.3', 1433, 'rsj', 'credit_ro', 10_000]);
  t.equal(config.requestTimeout, 0, 'each statement carries its own timeout');
  t.equal(config.arrayRowMode, true, 'rows as arrays: two columns of one name cannot overwrite each other');
  t.same(config.pool, { max: 1, min: 0, idleTimeoutMillis: 2_147_483_647 });
  const named = mssqlConfig({ ...OPTIONS, instanceName: 'SQLEXPRESS', encrypt: false, trustServerCertificate: true }, 5_000);
  t.equal(named.port, undefined, 'a named instance is found through the SQL Browser');
  t.same(named.options, { instanceName: 'SQLEXPRESS', encrypt: false, trustServerCertificate: true, readOnlyIntent: true, useUTC: true, appName: 'credit-gateway' });
});

t.test('each parameter is declared with the type its cursor column needs', async (t) => {
  const declared = (param: unknown) => {
    const { type, value } = mssqlInput(mssql, param);
    // A bare type (mssql.Int) or what calling one gives (mssql.DateTime2(3) → { type, scale }).
    const sized = (typeof type === 'function' ? { type } : type) as { type: unknown; precision?: number; scale?: number; length?: number };
    return { type: sized.type, precision: sized.precision, scale: sized.scale, length: sized.length, value };
  };
  const at = new Date(Date.UTC(2026, 2, 1, 8));
  t.same(declared(mssqlParam('DateTime2', at, { scale: 3 })), { type: mssql.DateTime2, precision: undefined, scale: 3, length: undefined, value: at });
  t.same(declared(mssqlParam('DateTime', at)), { type: mssql.DateTime, precision: undefined, scale: undefined, length: undefined, value: at });
  t.same(declared(mssqlParam('Decimal', 12.5, { precision: 18, scale: 2 })), { type: mssql.Decimal, precision: 18, scale: 2, length: undefined, value: 12.5 });
  t.same(declared(mssqlParam('BigInt', '9007199254740993')).value, '9007199254740993');
  t.equal(declared(mssqlParam('VarChar', '行政处罚')).length, 8000, 'one declared length for every value, so one plan');
  t.equal(declared(mssqlParam('NVarChar', '行政处罚')).length, 4000);
  t.equal(declared(mssqlParam('NVarChar', 'x'.repeat(2001))).length, mssql.MAX);
  t.equal(declared(mssqlParam('Int', 500)).type, mssql.Int);
  t.same(declared(7), { type: mssql.BigInt, precision: undefined, scale: undefined, length: undefined, value: '7' }, 'a plain number placed by the shared source');
  t.equal(declared('text').type, mssql.NVarChar);
});

t.test('driver errors become the codes the source acts on', async (t) => {
  t.equal(mssqlQueryError({ code: 'ETIMEOUT', message: 'Timeout: Request failed to complete in 30000ms' }, false).code, 'SOURCE_QUERY_TIMEOUT');
  t.equal(mssqlQueryError({ code: 'ECANCEL', message: 'Canceled.' }, true).code, 'SOURCE_QUERY_TIMEOUT');
  t.match(mssqlQueryError({ code: 'EREQUEST', number: 1222, message: 'Lock request time out period exceeded.' }, false), { code: 'SOURCE_QUERY_TIMEOUT', message: /lock held by another session/ });
  for (const code of ['ESOCKET', 'ECONNCLOSED', 'ENOCONN', 'EABORT']) {
    t.equal(mssqlQueryError({ code, message: 'gone' }, false).code, 'SOURCE_CONNECTION_LOST', code);
  }
  t.match(mssqlQueryError({ code: 'EREQUEST', number: 208, message: "Invalid object name 't_xzcf'." }, false), { code: 'SOURCE_QUERY_FAILED', message: /Invalid object name/ });
});

/** A result set as mssql builds one under arrayRowMode: rows as arrays, the columns as a non-enumerable property. */
function recordset(rows: unknown[][], columns: object[]): unknown[][] {
  return Object.defineProperty([...rows], 'columns', { enumerable: false, configurable: true, value: columns });
}

t.test('the last result set of a query or a batch becomes the rows, keyed by column name', async (t) => {
  const decl = (type: unknown) => type as { declaration?: string };
  const result = mssqlQueryResult({
    recordsets: [
      recordset([[42, '行政处罚', null]], [
        { index: 0, name: 'id', type: decl(mssql.Int) },
        { index: 1, name: 'name', type: decl(mssql.NVarChar) },
        { index: 2, name: 'amt', type: decl(mssql.Decimal), precision: 18, scale: 2 },
      ]),
    ],
  });
  t.same(result.rows, [{ id: 42, name: '行政处罚', amt: null }]);
  t.same(result.columns, [{ name: 'id', type: 'INT' }, { name: 'name', type: 'NVARCHAR' }, { name: 'amt', type: 'DECIMAL', precision: 18, scale: 2 }]);
  const batch = mssqlQueryResult({ recordsets: [recordset([], [{ index: 0, name: 'ignored', type: decl(mssql.Int) }]), recordset([['+08:00']], [{ index: 0, name: 'time_zone', type: decl(mssql.NVarChar) }])] });
  t.same(batch, { rows: [{ time_zone: '+08:00' }], columns: [{ name: 'time_zone', type: 'NVARCHAR' }] }, 'the SELECT after the EXEC');
  t.same(mssqlQueryResult({ recordsets: [recordset([], [{ index: 0, name: 'c', type: decl(mssql.Int) }])] }).columns, [{ name: 'c', type: 'INT' }], 'TOP (0): no rows, still the columns');
  t.same(mssqlQueryResult({ recordsets: [] }), { rows: [], columns: [] }, 'SET statements return no result set');
});

t.test('options the driver cannot use are refused when the source is built', async (t) => {
  t.throws(() => createMssqlSource({ ...OPTIONS, host: '' }), { code: 'SOURCE_OPTIONS_INVALID', message: /host/ });
  t.throws(() => createMssqlSource({ ...OPTIONS, port: 70_000 }), { code: 'SOURCE_OPTIONS_INVALID', message: /port/ });
  t.throws(() => createMssqlSource({ ...OPTIONS, instanceName: 'SQLEXPRESS', port: 1433 }), { code: 'SOURCE_OPTIONS_INVALID', message: /instanceName or port/ });
  t.throws(() => createMssqlSource({ ...OPTIONS, timeZone: 'Beijing' }), { code: 'SOURCE_OPTIONS_INVALID' });
  t.equal(createMssqlSource(OPTIONS).kind, 'mssql');
});

t.test('a server that is not there is SOURCE_UNAVAILABLE, with the address and never the password', async (t) => {
  const port = await closedPort();
  const source = createMssqlSource({ ...OPTIONS, host: '127.0.0.1', port, connectTimeoutMs: 3_000 });
  const err = await source.open().then(
    () => null,
    (e: unknown) => e as { code?: string; message: string },
  );
  t.equal(err?.code, 'SOURCE_UNAVAILABLE');
  t.match(err?.message, `127.0.0.1:${port}/rsj`);
  t.notMatch(err?.message, /s3cret/);
  await source.close();
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
