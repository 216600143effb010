import t from 'tap';
import { describeRefusal, SecretBindings } from '../../config/secret-bindings.js';
import { validateConfig } from '../../config/validate.js';
import type { DatabaseSourceConfig } from '../../config/schema.js';

const base = {
  gateway: { id: 'hs-x', department: '某局' },
  platform: { url: 'https://platform.example/exchange', secretRef: 'platform' },
  status: { users: [{ name: 'admin', role: 'admin', secretRef: 'admin_pw' }] },
};

const local = validateConfig({
  ...base,
  secrets: { allow: { hr_db: ['db2.example:3306', '10.9.0.0'], gs_db: ['sql02\\CREDIT'], new_db: ['10.7.7.7:5432'] } },
  sources: [
    { name: 'hr', kind: 'mysql', host: '10.1.2.3', database: 'hr', user: 'ro', passwordRef: 'hr_db' },
    { name: 'gs', kind: 'mssql', host: 'sql01', instanceName: 'CREDIT', database: 'tax', user: 'ro', passwordRef: 'gs_db' },
    { name: 'ora', kind: 'oracle', connectString: 'HRDB', user: 'ro', passwordRef: 'ora_db' },
  ],
});
const bindings = new SecretBindings(local);

const mysql = (host: string, port?: number, passwordRef = 'hr_db') =>
  ({ name: 'x', kind: 'mysql', host, ...(port ? { port } : {}), database: 'hr', user: 'ro', passwordRef, pageSize: 500, queryTimeoutMs: 1000, connectTimeoutMs: 1000, timeZone: 'UTC' }) as DatabaseSourceConfig;

t.test('the platform secret and status users\' secrets never go to a source, whatever the host', async (t) => {
  t.match(bindings.refusal('platform', mysql('10.1.2.3')), { kind: 'reserved', role: 'platform', host: '10.1.2.3:3306' });
  t.match(bindings.refusal('admin_pw', mysql('10.1.2.3')), { kind: 'reserved', role: 'status' });
  t.match(describeRefusal('platform', bindings.refusal('platform', mysql('evil.example'))!), /secret "platform" may not be sent to evil\.example:3306: it is the platform secret/);
});

t.test('a database secret goes to the host and port of the local sources that use it', async (t) => {
  t.equal(bindings.refusal('hr_db', mysql('10.1.2.3')), null);
  t.equal(bindings.refusal('hr_db', mysql('10.1.2.3', 3306)), null, 'the default port written out is the same port');
  t.match(bindings.refusal('hr_db', mysql('10.1.2.3', 3307)), { kind: 'elsewhere', host: '10.1.2.3:3307' }, 'another port of the same host is another server');
  const other = bindings.refusal('hr_db', mysql('10.6.6.6'));
  t.match(other, { kind: 'elsewhere', host: '10.6.6.6:3306' });
  t.equal(describeRefusal('hr_db', other!), 'secret "hr_db" may not be sent to 10.6.6.6:3306: the local configuration allows it only for 10.1.2.3:3306, db2.example:3306, 10.9.0.0');
});

t.test('secrets.allow adds hosts: a host alone allows all its ports, host:port one port, host\\INSTANCE one instance', async (t) => {
  t.equal(bindings.refusal('hr_db', mysql('DB2.Example.', 3306)), null, 'case and a trailing dot do not matter');
  t.match(bindings.refusal('hr_db', mysql('db2.example', 3307)), { kind: 'elsewhere' });
  t.equal(bindings.refusal('hr_db', mysql('10.9.0.0', 9999)), null);
  t.equal(bindings.refusal('new_db', { ...mysql('10.7.7.7', 5432, 'new_db'), kind: 'postgres' } as DatabaseSourceConfig), null, 'a secret no local source uses yet, for a source a bundle adds');
  const mssql = (instanceName?: string, host = 'sql02') => ({ ...mysql(host, undefined, 'gs_db'), kind: 'mssql', ...(instanceName ? { instanceName } : {}) }) as DatabaseSourceConfig;
  t.equal(bindings.refusal('gs_db', mssql('credit')), null);
  t.equal(bindings.refusal('gs_db', mssql('CREDIT', 'sql01')), null, 'the local source\'s own instance');
  t.match(bindings.refusal('gs_db', mssql('OTHER')), { kind: 'elsewhere', host: 'sql02\\other' });
  t.match(bindings.refusal('gs_db', mssql()), { kind: 'elsewhere', host: 'sql02:1433' }, 'the default instance is not the named one');
});

t.test('names are not resolved: an address does not allow a name, nor a name an address', async (t) => {
  t.match(bindings.refusal('hr_db', mysql('localhost')), { kind: 'elsewhere' });
  t.match(bindings.refusal('hr_db', mysql('0x0a.1.2.3')), { kind: 'elsewhere' }, 'another spelling of an address is not trusted');
});

t.test('a secret the local configuration names for no database goes nowhere', async (t) => {
  const refusal = bindings.refusal('queue_key', mysql('10.1.2.3'));
  t.match(refusal, { kind: 'elsewhere' });
  t.match(describeRefusal('queue_key', refusal!), /allows it for no host/);
});

t.test('where a destination cannot be read with certainty, only the local source\'s own destination is allowed', async (t) => {
  const oracle = (connectString: string) => ({ ...mysql('x', undefined, 'ora_db'), kind: 'oracle', connectString }) as DatabaseSourceConfig;
  t.equal(bindings.refusal('ora_db', oracle('hrdb')), null, 'the same TNS alias as the local source');
  t.match(bindings.refusal('ora_db', oracle('hrdb:1521/svc')), { kind: 'elsewhere' }, 'the alias\'s port is not known, so no port of that name is allowed');
  t.match(bindings.refusal('ora_db', oracle('(DESCRIPTION=(ADDRESS=(PROTOCOL=IPC)(KEY=x)))')), { kind: 'unclear' });
  t.match(bindings.refusal('hr_db', mysql('evil host')), { kind: 'unclear', host: '"evil host:3306"' });
  t.match(bindings.refusal('ora_db', oracle('hrdb,evil.example:1521/svc')), { kind: 'elsewhere', host: 'hrdb' }, 'every address of a list must be allowed');
});

t.test('the local configuration\'s own misuse is a configuration error at load, with the member\'s path', async (t) => {
  const load = (over: Record<string, unknown>) => () => validateConfig({ ...base, ...over });
  t.throws(load({ sources: [{ name: 'hr', kind: 'mysql', host: 'h', database: 'd', user: 'u', passwordRef: 'platform' }] }), {
    code: 'CONFIG_SECRET_MISUSED', message: /sources\[0\]\.passwordRef: "platform" is the platform secret/,
  });
  t.throws(load({ sources: [{ name: 'hr', kind: 'mysql', host: 'h', database: 'd', user: 'u', passwordRef: 'admin_pw' }] }), {
    code: 'CONFIG_SECRET_MISUSED', message: /sources\[0\]\.passwordRef: "admin_pw" is a status page user's secret/,
  });
  t.throws(load({ status: { users: [{ name: 'a', role: 'admin', secretRef: 'platform' }] } }), { code: 'CONFIG_SECRET_MISUSED', message: /status\.users\[0\]\.secretRef/ });
  t.throws(load({ secrets: { allow: { platform: ['10.1.2.3'] } } }), { code: 'CONFIG_SECRET_MISUSED', message: /secrets\.allow\.platform: .*remove it/ });
  t.throws(load({ secrets: { allow: { hr_db: ['10.1.2.3', 'http://evil'] } } }), { code: 'CONFIG_SECRET_MISUSED', message: /secrets\.allow\.hr_db\[1\]: "http:\/\/evil" is not a host/ });
  t.throws(load({ secrets: { allow: { 'bad name!': ['h'] } } }), { code: 'CONFIG_INVALID' });
});

t.test('a refusal lists every destination the secret is allowed for, whole local destinations included', async (t) => {
  t.match(describeRefusal('ora_db', bindings.refusal('ora_db', { ...mysql('evil', 1521, 'ora_db'), kind: 'oracle', connectString: 'evil:1521/svc' } as DatabaseSourceConfig)!), /allows it only for "HRDB"$/);
});
