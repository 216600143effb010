import t from 'tap';
import { normaliseHost, oracleDestination, parseAllowEntry, sourceDestination } from '../../config/source-destination.js';
import type { DatabaseSourceConfig } from '../../config/schema.js';

const common = { pageSize: 500, queryTimeoutMs: 30_000, connectTimeoutMs: 10_000, timeZone: 'Asia/Shanghai', database: 'd', user: 'u', passwordRef: 'db' };
const source = (over: Record<string, unknown>) => ({ name: 's', ...common, ...over }) as unknown as DatabaseSourceConfig;

t.test('hosts are compared by case, brackets, IPv6 spelling and a trailing dot, never by what they resolve to', async (t) => {
  t.equal(normaliseHost('DB.Example.'), 'db.example');
  t.equal(normaliseHost('[::1]'), '::1');
  t.equal(normaliseHost('0:0:0:0:0:0:0:1'), '::1', 'one IPv6 address, one spelling');
  t.equal(normaliseHost('10.1.2.3'), '10.1.2.3');
  t.equal(normaliseHost('/var/run/postgresql'), '/var/run/postgresql', 'a PostgreSQL socket folder is kept as written');
  for (const unclear of ['evil host', 'db\\inst', 'a,b', '数据库.example', 'a..b', '', 'db:1']) {
    t.equal(normaliseHost(unclear), null, `${JSON.stringify(unclear)} is not a host this check can vouch for`);
  }
});

t.test('allow entries are host, host:port, [IPv6]:port or host\\INSTANCE', async (t) => {
  t.same(parseAllowEntry('10.1.2.3'), { host: '10.1.2.3' });
  t.same(parseAllowEntry('DB2.example:1521'), { host: 'db2.example', port: 1521 });
  t.same(parseAllowEntry('[fe80::1]:5432'), { host: 'fe80::1', port: 5432 });
  t.same(parseAllowEntry('fe80::1'), { host: 'fe80::1' });
  t.same(parseAllowEntry('sql01\\CREDIT'), { host: 'sql01', instance: 'credit' });
  t.equal(parseAllowEntry('db:99999'), null);
  t.equal(parseAllowEntry('http://db'), null);
});

t.test('every network kind connects to its host at its port, the default port when none is given', async (t) => {
  t.same(sourceDestination(source({ kind: 'mysql', host: '10.1.2.3' })).endpoints, [{ host: '10.1.2.3', port: 3306 }]);
  t.same(sourceDestination(source({ kind: 'postgres', host: 'PG.local', port: 6432 })).endpoints, [{ host: 'pg.local', port: 6432 }]);
  t.same(sourceDestination(source({ kind: 'mssql', host: 'sql01' })).endpoints, [{ host: 'sql01', port: 1433 }]);
  t.same(sourceDestination(source({ kind: 'mssql', host: 'sql01', instanceName: 'Credit' })).endpoints, [{ host: 'sql01', port: null, instance: 'credit' }], 'a named instance is found through the host\'s SQL Browser');
  t.same(sourceDestination(source({ kind: 'oracle', host: 'ora', database: 'svc' })).endpoints, [{ host: 'ora', port: 1521 }]);
  t.same(sourceDestination(source({ kind: 'mysql', host: 'evil host' })).endpoints, null, 'a host that is not one is unclear');
});

t.test('an Oracle connect string wins over host, and every address and proxy in it counts', async (t) => {
  t.same(sourceDestination(source({ kind: 'oracle', host: 'ora', connectString: 'other:1522/svc' })).endpoints, [{ host: 'other', port: 1522 }]);
  t.same(oracleDestination('tcps://Ora.example:2484/svc?wallet_location=/w').endpoints, [{ host: 'ora.example', port: 2484 }]);
  t.same(oracleDestination('//ora/svc').endpoints, [{ host: 'ora', port: 1521 }]);
  t.same(oracleDestination('[::1]:1521/svc').endpoints, [{ host: '::1', port: 1521 }]);
  t.same(oracleDestination('HRDB').endpoints, [{ host: 'hrdb', port: null }], 'a bare name may be a TNS alias: its port is not known');
  t.same(oracleDestination('a,b:1600/svc').endpoints, [{ host: 'a', port: null }, { host: 'b', port: 1600 }], 'a host sharing a later port has no port of its own here');
  t.same(oracleDestination('ora:1521/svc?https_proxy=proxy.example&https_proxy_port=8080').endpoints, [{ host: 'ora', port: 1521 }, { host: 'proxy.example', port: 8080 }]);
  t.same(
    oracleDestination('(DESCRIPTION=(ADDRESS_LIST=(ADDRESS=(PROTOCOL=TCP)(HOST=ora1)(PORT=1521))(ADDRESS=(PROTOCOL=TCP)(HOST=Evil.example)(PORT=1999)))(CONNECT_DATA=(SERVICE_NAME=svc)))').endpoints,
    [{ host: 'ora1', port: 1521 }, { host: 'evil.example', port: 1999 }],
  );
  t.same(oracleDestination('(DESCRIPTION=(HTTPS_PROXY=px)(HTTPS_PROXY_PORT=3128)(ADDRESS=(HOST=ora)(PORT=1521)))').endpoints, [{ host: 'px', port: 3128 }, { host: 'ora', port: 1521 }]);
  t.equal(oracleDestination('(DESCRIPTION=(ADDRESS=(PROTOCOL=IPC)(KEY=x)))').endpoints, null, 'an address without a host is unclear');
  t.equal(oracleDestination('(DESCRIPTION=(ADDRESS=(HOST=ora)').endpoints, null, 'a descriptor cut short is unclear');
});

t.test('a port Oracle would choose by protocol or client version is not assumed', async (t) => {
  t.same(oracleDestination('tcps://ora/svc').endpoints, [{ host: 'ora', port: null }]);
  t.same(oracleDestination('(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=ora)))').endpoints, [{ host: 'ora', port: null }]);
  const alias = (thickLibDir?: string) => sourceDestination(source({ kind: 'oracle', connectString: 'hrdb', ...(thickLibDir ? { thickLibDir } : {}) })).exact;
  t.not(alias('/opt/instantclient'), alias('/tmp/elsewhere'), 'a TNS alias read from another client folder is another destination');
});
