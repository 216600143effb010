import t from 'tap';
import { isLoopback, securityOptionsFrom } from '../../../../gateway/status/security/options.js';
import { hashPassword } from '../../../../gateway/status/security/password.js';
import { STATUS_SECURITY_ERRORS } from '../../../../gateway/status/security/errors.js';

function secrets(values: Record<string, string>) {
  return {
    get(name: string, path: string): string {
      const v = values[name];
      if (v === undefined) throw Object.assign(new Error(`secret "${name}" is not defined (${path})`), { code: 'CONFIG_SECRET_MISSING' });
      return v;
    },
  };
}

const status = { requireLogin: false, users: [] as { name: string; role: 'viewer' | 'admin'; secretRef: string }[], sessionMinutes: 480 };

t.test('loopback addresses', async (t) => {
  for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST']) t.ok(isLoopback(host), host);
  for (const host of ['0.0.0.0', '::', '10.1.2.3', '192.168.0.5', 'gateway.local', '128.0.0.1']) t.notOk(isLoopback(host), host);
});

t.test('on loopback without users, nobody needs to log in', async (t) => {
  t.same(securityOptionsFrom(status, secrets({}), false), { exposed: false, requireLogin: false, users: [], sessionMinutes: 480 });
});

t.test('an exposed page without users is refused at start, with the action', async (t) => {
  t.throws(() => securityOptionsFrom(status, secrets({}), true), {
    code: 'STATUS_LOGIN_NOT_CONFIGURED',
    action: /add status\.users with a secretRef, and set the hash with credit-gateway secrets set NAME --hash/,
  });
  t.throws(() => securityOptionsFrom({ ...status, requireLogin: true }, secrets({}), false), { code: 'STATUS_LOGIN_NOT_CONFIGURED' }, 'requireLogin on loopback too');
});

t.test('a user whose secret holds the password itself is refused, and the value is not repeated', async (t) => {
  const config = { ...status, users: [{ name: 'zhang', role: 'admin' as const, secretRef: 'status_zhang' }] };
  const err = t.throws(() => securityOptionsFrom(config, secrets({ status_zhang: 'hunter2-plain' }), true), { code: 'STATUS_SECRET_NOT_HASHED' }) as Error;
  t.match(err.message, /status\.users\[0\]\.secretRef/);
  t.notMatch(err.message, /hunter2/);
});

t.test('users with hashed secrets make the options; exposed always requires login', async (t) => {
  const hash = await hashPassword('pw');
  const config = {
    ...status,
    sessionMinutes: 60,
    users: [
      { name: 'zhang', role: 'admin' as const, secretRef: 'a' },
      { name: 'li', role: 'viewer' as const, secretRef: 'b' },
    ],
  };
  const options = securityOptionsFrom(config, secrets({ a: hash, b: hash }), true);
  t.equal(options.exposed, true);
  t.equal(options.requireLogin, true);
  t.equal(options.sessionMinutes, 60);
  t.same(options.users, [{ name: 'zhang', role: 'admin', hash }, { name: 'li', role: 'viewer', hash }]);
  t.throws(() => securityOptionsFrom(config, secrets({ a: hash }), true), { code: 'CONFIG_SECRET_MISSING' }, 'a missing secret is the secrets reader\'s refusal');
  t.throws(() => securityOptionsFrom({ ...config, users: [config.users[0]!, { ...config.users[1]!, name: 'zhang' }] }, secrets({ a: hash, b: hash }), true), { code: 'STATUS_USER_DUPLICATE' });
});

t.test('every code in the catalogue has English, Chinese and an action', async (t) => {
  for (const [code, spec] of Object.entries(STATUS_SECURITY_ERRORS)) {
    t.ok(spec.message && spec.action, code);
    t.match(spec.zh, /[\u4e00-\u9fff]/, `${code} speaks Chinese on the page`);
  }
});
