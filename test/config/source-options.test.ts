import t from 'tap';
import { Secrets } from '../../config/secrets.js';
import { connectorOptions, requireSecrets } from '../../config/source-options.js';
import { validateConfig } from '../../config/validate.js';
import { SecretBindings } from '../../config/secret-bindings.js';
import { LocalPaths } from '../../config/local-paths.js';
import type { DatabaseSourceConfig } from '../../config/schema.js';

const config = validateConfig({
  gateway: { id: 'hs-x', department: '某局' },
  platform: { url: 'https://platform.example/exchange', secretRef: 'platform' },
  sources: [
    { name: 'file', kind: 'sqlite', file: 'data/biz.sqlite' },
    { name: 'db', kind: 'postgres', host: 'db', database: 'biz', user: 'ro', passwordRef: 'db_pw', rowsPerSecond: 100 },
  ],
});

/** The configured source at i: both sources above are databases, which is what a connector is made for. */
function databaseSource(i: number): DatabaseSourceConfig {
  const source = config.sources[i]!;
  if (source.kind === 'folder') throw new Error(`sources[${i}] is a drop folder`);
  return source;
}

t.test('every missing secret is named at once, with the member that refers to it', async (t) => {
  t.throws(() => requireSecrets(config, new Secrets({})), {
    code: 'CONFIG_SECRET_MISSING',
    message: /platform\.secretRef.*CREDIT_GATEWAY_SECRET_PLATFORM[\s\S]*sources\[1\]\.passwordRef.*CREDIT_GATEWAY_SECRET_DB_PW/,
  });
});

t.test('a connector gets resolved paths and the password itself, never the reference', async (t) => {
  const secrets = new Secrets({ platform: 'p', db_pw: 's3cret' });
  const bindings = new SecretBindings(config);
  const paths = new LocalPaths(config, '/etc/gw');
  t.same(connectorOptions(databaseSource(0), 0, { baseDir: '/etc/gw', secrets, bindings, paths }), {
    name: 'file', kind: 'sqlite', file: '/etc/gw/data/biz.sqlite', pageSize: 500, queryTimeoutMs: 30_000, connectTimeoutMs: 10_000,
  });
  const pg = connectorOptions(databaseSource(1), 1, { baseDir: '/etc/gw', secrets, bindings, paths });
  t.match(pg, { kind: 'postgres', host: 'db', database: 'biz', user: 'ro', password: 's3cret', rowsPerSecond: 100, timeZone: 'Asia/Shanghai' });
  t.notOk('passwordRef' in pg);
});

t.test('a missing status password is reported at start with the others, by the member that refers to it', async (t) => {
  const withUsers = validateConfig({
    gateway: { id: 'hs-x', department: '某局' },
    platform: { url: 'https://platform.example/exchange', secretRef: 'platform' },
    status: { host: '0.0.0.0', users: [{ name: 'admin', role: 'admin', secretRef: 'admin_pw' }, { name: 'clerk', role: 'viewer', secretRef: 'clerk_pw' }] },
    sources: [{ name: 'db', kind: 'postgres', host: 'db', database: 'biz', user: 'ro', passwordRef: 'db_pw' }],
  });
  t.throws(() => requireSecrets(withUsers, new Secrets({ platform: 'p', admin_pw: 'hash' })), {
    code: 'CONFIG_SECRET_MISSING',
    message: /sources\[0\]\.passwordRef.*CREDIT_GATEWAY_SECRET_DB_PW[\s\S]*status\.users\[1\]\.secretRef.*"clerk_pw".*CREDIT_GATEWAY_SECRET_CLERK_PW/,
  });
  const err = (() => {
    try {
      requireSecrets(withUsers, new Secrets({ platform: 'p', db_pw: 'x', clerk_pw: 'hash' }));
    } catch (e) {
      return e as Error;
    }
    return null;
  })();
  t.match(err?.message, /status\.users\[0\]\.secretRef/, 'the first user\'s missing hash is named');
  t.notMatch(err?.message, /users\[1\]/, 'a user whose secret is defined is not');
  t.doesNotThrow(() => requireSecrets(withUsers, new Secrets({ platform: 'p', db_pw: 'x', admin_pw: 'h', clerk_pw: 'h' })));
});

t.test('the store\'s keys, current and previous, are checked with the other secrets', async (t) => {
  const sealed = validateConfig({
    gateway: { id: 'hs-x', department: '某局' },
    platform: { url: 'https://platform.example/exchange', secretRef: 'platform' },
    store: { encryption: { keyRef: 'store_key_2027', previousKeyRefs: ['store_key_2026'] } },
  });
  t.equal(sealed.store.encryption!.algorithm, 'aes-256-gcm', 'AES-256-GCM unless told otherwise');
  t.throws(() => requireSecrets(sealed, new Secrets({ platform: 'p' })), {
    code: 'CONFIG_SECRET_MISSING',
    problems: [{ path: 'store.encryption.keyRef' }, { path: 'store.encryption.previousKeyRefs[0]' }],
  });
  t.throws(() => validateConfig({ ...sealed, store: { encryption: { keyRef: 'k', algorithm: 'sm4-gcm' } } }), { code: 'CONFIG_INVALID', message: /store\.encryption\.algorithm/ });
});
