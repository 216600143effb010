import t from 'tap';
import { Secrets } from '../../config/secrets.js';
import { connectorOptions, requireSecrets } from '../../config/source-options.js';
import { validateConfig } from '../../config/validate.js';

const config = validateConfig({
  gateway: { id: 'hs-x', department: '某局' },
  platform: { url: 'https://platform.example/exchange', secretRef: 'platform' },
  sources: [
    { name: 'file', kind: 'sqlite', file: 'data/biz.sqlite' },
    { name: 'db', kind: 'postgres', host: 'db', database: 'biz', user: 'ro', passwordRef: 'db_pw', rowsPerSecond: 100 },
  ],
});

t.test('every missing secret is named at once, with the member that refers to it', async (t) => {
  t.throws(() => requireSecrets(config, new Secrets({})), {
    code: 'CONFIG_SECRET_MISSING',
    message: /platform\.secretRef.*CREDIT_GATEWAY_SECRET_PLATFORM[\s\S]*sources\[1\]\.passwordRef.*CREDIT_GATEWAY_SECRET_DB_PW/,
  });
});

t.test('a connector gets resolved paths and the password itself, never the reference', async (t) => {
  const secrets = new Secrets({ platform: 'p', db_pw: 's3cret' });
  t.same(connectorOptions(config.sources[0]!, 0, { baseDir: '/etc/gw', secrets }), {
    name: 'file', kind: 'sqlite', file: '/etc/gw/data/biz.sqlite', pageSize: 500, queryTimeoutMs: 30_000, connectTimeoutMs: 10_000,
  });
  const pg = connectorOptions(config.sources[1]!, 1, { baseDir: '/etc/gw', secrets });
  t.match(pg, { kind: 'postgres', host: 'db', database: 'biz', user: 'ro', password: 's3cret', rowsPerSecond: 100, timeZone: 'Asia/Shanghai' });
  t.notOk('passwordRef' in pg);
});
