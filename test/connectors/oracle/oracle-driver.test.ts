import t from 'tap';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import {
  isPageStatement,
  isSessionStatement,
  oracleBind,
  oracleConnectConfig,
  oracleConnectString,
  oracleFetchTypeHandler,
  oracleQueryError,
  oracleQueryResult,
  type OracleDbModule,
} from '../../../connectors/oracle/oracle-driver.js';
import { createOracleSource } from '../../../connectors/oracle/index.js';
import { createOracleDialect } from '../../../connectors/oracle/oracle-dialect.js';
import { oracleTextSelectList } from '../../../connectors/oracle/oracle-types.js';
import type { OracleSourceOptions } from '../../../connectors/options.js';

const require = createRequire(import.meta.url);
const oracledb = require('oracledb') as OracleDbModule & Record<string, unknown>;

const OPTIONS: OracleSourceOptions = { name: 'gsj', kind: 'oracle', host: '10.1.2.4', database: 'ORCLPDB1', user: 'credit_ro', password: 's3cret!' };

t.test('the connect string is Easy Connect host:port/service unless one is given', async (t) => {
  t.equal(oracleConnectString(OPTIONS), '10.1.2.4:1521/ORCLPDB1');
  t.equal(oracleConnectString({ ...OPTIONS, port: 1522 }), '10.1.2.4:1522/ORCLPDB1');
  t.equal(oracleConnectString({ ...OPTIONS, host: 'fe80::1' }), '[fe80::1]:1521/ORCLPDB1');
  t.equal(oracleConnectString({ ...OPTIONS, connectString: 'GSJ_TNS' }), 'GSJ_TNS', 'a TNS alias');
  t.same(oracleConnectConfig(OPTIONS, 10_000), { user: 'credit_ro', password: 's3cret!', connectString: '10.1.2.4:1521/ORCLPDB1', connectTimeout: 10, transportConnectTimeout: 10 });
  t.equal(oracleConnectConfig(OPTIONS, 1_500).connectTimeout, 2, 'whole seconds, rounded up: oracledb counts in seconds');
});

t.test('NUMBER, CLOB and NCLOB are fetched as text, per statement; every other type as oracledb gives it', async (t) => {
  const handler = oracleFetchTypeHandler(oracledb);
  for (const type of ['DB_TYPE_NUMBER', 'DB_TYPE_CLOB', 'DB_TYPE_NCLOB']) {
    t.same(handler({ dbType: oracledb[type] as object }), { type: oracledb.STRING }, type);
  }
  for (const type of ['DB_TYPE_DATE', 'DB_TYPE_TIMESTAMP', 'DB_TYPE_VARCHAR', 'DB_TYPE_BLOB', 'DB_TYPE_RAW', 'DB_TYPE_BINARY_DOUBLE']) {
    t.equal(handler({ dbType: oracledb[type] as object }), undefined, type);
  }
  t.equal((oracledb as unknown as { fetchAsString: unknown[] }).fetchAsString.length, 0, 'the global setting is untouched');
});

t.test('binds: conversions are in the SQL, CHAR cursors bound as CHAR, the rest as plain values', async (t) => {
  t.equal(oracleBind(oracledb, { oracleParam: true, value: '2017-06-02 08:30:00', convert: 'DATE' }), '2017-06-02 08:30:00');
  t.same(oracleBind(oracledb, { oracleParam: true, value: 'AB', bindAs: 'CHAR' }), { type: oracledb.DB_TYPE_CHAR, val: 'AB' });
  t.same(oracleBind(oracledb, { oracleParam: true, value: '行政', bindAs: 'NCHAR' }), { type: oracledb.DB_TYPE_NCHAR, val: '行政' });
  t.equal(oracleBind(oracledb, 500), 500, 'the row limit placed by the dialect');
});

t.test('every statement but ALTER SESSION runs in its own read-only transaction', async (t) => {
  t.ok(isSessionStatement("ALTER SESSION SET NLS_NUMERIC_CHARACTERS = '.,'"));
  t.ok(isSessionStatement("  alter  session set time_zone = 'UTC'"));
  t.notOk(isSessionStatement('SELECT * FROM t'));
  t.notOk(isSessionStatement('UPDATE t SET a = 1'), 'a write is inside the read-only transaction, which refuses it (ORA-01456)');
});

t.test('driver errors become the codes the source acts on', async (t) => {
  t.equal(oracleQueryError({ code: 'NJS-123', message: 'NJS-123: call timeout of 200 ms exceeded' }, false).code, 'SOURCE_QUERY_TIMEOUT');
  t.equal(oracleQueryError({ code: 'ORA-01013', errorNum: 1013, message: 'ORA-01013: user requested cancel of current operation' }, true).code, 'SOURCE_QUERY_TIMEOUT');
  for (const code of ['NJS-500', 'NJS-501', 'NJS-003', 'ORA-03113', 'ORA-03135', 'ORA-00028']) {
    t.equal(oracleQueryError({ code, message: code }, false).code, 'SOURCE_CONNECTION_LOST', code);
  }
  t.equal(oracleQueryError({ code: 'ORA-00600', isRecoverable: true, message: 'ORA-00600' }, false).code, 'SOURCE_CONNECTION_LOST', 'oracledb says the connection must be replaced');
  t.match(oracleQueryError({ code: 'ORA-01456', errorNum: 1456, message: 'ORA-01456: may not perform insert/delete/update operation inside a READ ONLY transaction' }, false), {
    code: 'SOURCE_QUERY_FAILED',
    message: /READ ONLY transaction/,
  });
  t.equal(oracleQueryError({ code: 'ORA-00942', message: 'ORA-00942: table or view does not exist' }, false).code, 'SOURCE_QUERY_FAILED');
});

t.test('array rows and metaData become rows keyed by the gateway\'s column names', async (t) => {
  const result = oracleQueryResult({
    rows: [[42, '12.50', 'AB  ']],
    metaData: [
      { name: 'ID', dbTypeName: 'NUMBER', precision: 10, scale: 0 },
      { name: 'AMOUNT', dbTypeName: 'NUMBER', precision: 12, scale: 2 },
      { name: 'Code', dbTypeName: 'CHAR' },
    ],
  });
  t.same(result.rows, [{ id: 42, amount: '12.50', Code: 'AB  ' }]);
  t.same(result.columns.map((c) => c.name), ['id', 'amount', 'Code']);
});

t.test('options the driver cannot use are refused when the source is built; thick mode pages with ROWNUM', async (t) => {
  t.throws(() => createOracleSource({ ...OPTIONS, host: '' }), { code: 'SOURCE_OPTIONS_INVALID', message: /host/ });
  t.throws(() => createOracleSource({ ...OPTIONS, database: '' }), { code: 'SOURCE_OPTIONS_INVALID', message: /service name/ });
  t.throws(() => createOracleSource({ ...OPTIONS, port: 0 }), { code: 'SOURCE_OPTIONS_INVALID', message: /port/ });
  t.equal(createOracleSource({ ...OPTIONS, host: '', database: '', connectString: 'GSJ_TNS' }).kind, 'oracle', 'a connect string is enough');
});

t.test('a server that is not there is SOURCE_UNAVAILABLE in thin mode, with the address and never the password', async (t) => {
  const port = await closedPort();
  const source = createOracleSource({ ...OPTIONS, host: '127.0.0.1', port, connectTimeoutMs: 3_000 });
  const err = await source.open().then(
    () => null,
    (e: unknown) => e as { code?: string; message: string },
  );
  t.equal(err?.code, 'SOURCE_UNAVAILABLE');
  t.match(err?.message, `127.0.0.1:${port}/ORCLPDB1`);
  t.notMatch(err?.message, /s3cret/);
  t.equal(oracledb.thin, true, 'no Oracle Client was loaded');
  await source.close();
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

t.test('pages (and only pages) are sent with their date and time columns as Oracle\'s own text, under their own names', async (t) => {
  const thin = createOracleDialect('fetch-first').pageSql({ query: 'SELECT * FROM t', cursorColumns: ['updated_at'], after: null, limit: 10 }).sql;
  const thick = createOracleDialect('rownum').pageSql({ query: 'SELECT * FROM t', cursorColumns: ['updated_at'], after: null, limit: 10 }).sql;
  t.ok(isPageStatement(thin), 'FETCH FIRST page');
  t.ok(isPageStatement(thick), 'ROWNUM page');
  t.notOk(isPageStatement(createOracleDialect('fetch-first').columnsSql('SELECT * FROM t').sql), 'the zero-row column query is not');
  t.notOk(isPageStatement('SELECT COUNT(*) AS n FROM (SELECT * FROM t) q WHERE "UPDATED_AT" IS NULL'));
  const list = oracleTextSelectList([
    { name: 'ID', dbTypeName: 'NUMBER', precision: 10, scale: 0 },
    { name: 'JDRQ', dbTypeName: 'DATE' },
    { name: 'UPDATED_AT', dbTypeName: 'TIMESTAMP', precision: 9 },
    { name: 'Stamp', dbTypeName: 'TIMESTAMP WITH TIME ZONE', precision: 6 },
    { name: 'LTZ', dbTypeName: 'TIMESTAMP WITH LOCAL TIME ZONE', precision: 6 },
  ]);
  t.equal(
    list,
    `"ID", TO_CHAR("JDRQ", 'YYYY-MM-DD HH24:MI:SS') AS "JDRQ", TO_CHAR("UPDATED_AT", 'YYYY-MM-DD HH24:MI:SS.FF9') AS "UPDATED_AT", ` +
      `TO_CHAR(SYS_EXTRACT_UTC("Stamp"), 'YYYY-MM-DD HH24:MI:SS.FF9') AS "Stamp", TO_CHAR(SYS_EXTRACT_UTC("LTZ"), 'YYYY-MM-DD HH24:MI:SS.FF9') AS "LTZ"`,
  );
  t.equal(oracleTextSelectList([{ name: 'ID', dbTypeName: 'NUMBER' }, { name: 'NAME', dbTypeName: 'VARCHAR2' }]), null, 'no time column: the page goes as it is');
  t.match(thin, /ORDER BY q\."UPDATED_AT" FETCH FIRST/, 'the order is the column\'s own, not the text under its name');
});
