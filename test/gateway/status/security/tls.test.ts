import t from 'tap';
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { statusTransport } from '../../../../gateway/status/security/tls.js';
import { STATUS_SECURITY_ERRORS } from '../../../../gateway/status/security/errors.js';
import { expired, issuedByCa, selfSigned } from '../../../helpers/tls.js';

t.test('on loopback without tls the page is plain HTTP, with nothing to warn about', async (t) => {
  t.same(statusTransport({ allowPlainHttp: false }, false), { tls: null, plainHttpExposed: false });
});

t.test('a page exposed without tls is refused at start, with the action', async (t) => {
  t.throws(() => statusTransport({ allowPlainHttp: false }, true), {
    code: 'STATUS_TLS_REQUIRED',
    message: /status\.host is not a loopback address and status\.tls is not set/,
    action: /status\.tls\.certFile[\s\S]*status\.allowPlainHttp: true/,
  });
  t.ok(STATUS_SECURITY_ERRORS.STATUS_TLS_REQUIRED.zh, 'with a sentence for the page');
});

t.test('status.allowPlainHttp lets an exposed page run without tls, flagged for a warning', async (t) => {
  t.same(statusTransport({ allowPlainHttp: true }, true), { tls: null, plainHttpExposed: true });
});

t.test('a good certificate and key give the HTTPS options', async (t) => {
  const cert = selfSigned(t.testdir({}));
  const transport = statusTransport({ tls: cert, allowPlainHttp: false }, true);
  t.equal(transport.plainHttpExposed, false);
  t.equal(transport.tls?.key, readFileSync(cert.keyFile, 'utf8'));
  t.equal(transport.tls?.cert, readFileSync(cert.certFile, 'utf8'));
  t.match(transport.tls?.subject, /CN=localhost/);
  t.ok(transport.tls!.validTo.getTime() > Date.now());
});

t.test('a certificate issued by caFile is sent with the CA, so the chain can be built', async (t) => {
  const cert = issuedByCa(t.testdir({}));
  const chain = statusTransport({ tls: cert, allowPlainHttp: false }, true).tls!.cert;
  t.equal((chain.match(/BEGIN CERTIFICATE/g) ?? []).length, 2);
  t.ok(chain.startsWith(readFileSync(cert.certFile, 'utf8').trimEnd()), 'the page certificate first');
});

t.test('every certificate problem is refused at start by its code, naming the member', async (t) => {
  const dir = t.testdir({ 'not-a-cert.pem': 'hello' });
  const good = selfSigned(join(dir, 'good'));
  const other = selfSigned(join(dir, 'other'), 'other');
  const old = expired(join(dir, 'old'));
  const ca = issuedByCa(join(dir, 'ca'));
  const refuse = (tls: Parameters<typeof statusTransport>[0]['tls'], code: string, message: RegExp, now?: Date) =>
    t.throws(() => statusTransport({ tls, allowPlainHttp: false }, true, now), { code, message }, code);

  refuse({ ...good, certFile: join(dir, 'missing.crt') }, 'STATUS_TLS_CERT_UNREADABLE', /status\.tls\.certFile .*missing\.crt: ENOENT/);
  refuse({ ...good, certFile: join(dir, 'not-a-cert.pem') }, 'STATUS_TLS_CERT_INVALID', /not-a-cert\.pem/);
  refuse({ ...good, certFile: good.keyFile }, 'STATUS_TLS_CERT_INVALID', /status\.tls\.certFile/);
  refuse({ ...good, keyFile: join(dir, 'missing.key') }, 'STATUS_TLS_KEY_UNREADABLE', /status\.tls\.keyFile .*missing\.key: ENOENT/);
  refuse({ ...good, keyFile: other.keyFile }, 'STATUS_TLS_KEY_MISMATCH', /other\.key/);
  refuse(old, 'STATUS_TLS_CERT_EXPIRED', /expired 2020-02-01/);
  refuse(good, 'STATUS_TLS_CERT_NOT_YET_VALID', /is valid from/, new Date('2001-01-01T00:00:00Z'));
  refuse({ ...good, caFile: join(dir, 'missing-ca.crt') }, 'STATUS_TLS_CA_UNREADABLE', /status\.tls\.caFile/);
  refuse({ ...ca, caFile: other.certFile }, 'STATUS_TLS_CA_MISMATCH', /was not issued|issued by/);

  const encrypted = join(dir, 'encrypted.key');
  execFileSync('openssl', ['pkey', '-in', good.keyFile, '-aes256', '-passout', 'pass:secret', '-out', encrypted]);
  chmodSync(encrypted, 0o600);
  refuse({ ...good, keyFile: encrypted }, 'STATUS_TLS_KEY_INVALID', /encrypted with a passphrase/);
});

t.test('a key others can read is refused, like the secrets file, and its text is never quoted', { skip: process.platform === 'win32' }, async (t) => {
  const cert = selfSigned(t.testdir({}));
  chmodSync(cert.keyFile, 0o640);
  const err = (() => {
    try {
      statusTransport({ tls: cert, allowPlainHttp: false }, true);
    } catch (e) {
      return e as Error & { code: string; action: string };
    }
    return null;
  })();
  t.equal(err?.code, 'STATUS_TLS_KEY_UNSAFE');
  t.match(err?.message, /mode 640: run chmod 600/);
  t.match(err?.action, /chmod 600/);
  t.notMatch(err?.message, /PRIVATE KEY/);
});
