import t from 'tap';
import { classifyNetworkError } from '../../../gateway/delivery/network-error.js';

const none = { timedOut: false, aborted: false, timeoutMs: 30_000 };
const err = (code: string, message = code) => Object.assign(new Error(message), { code });

t.test('our own deadline firing is a timeout, whatever undici threw', async (t) => {
  t.same(classifyNetworkError(new DOMException('aborted', 'AbortError'), { ...none, timedOut: true }), {
    code: 'DELIVERY_TIMEOUT', message: 'no complete answer within 30000 ms',
  });
});

t.test('a stop in progress is an abort, even if the deadline fired too', async (t) => {
  t.match(classifyNetworkError(new Error('x'), { ...none, aborted: true, timedOut: true }), { code: 'DELIVERY_ABORTED' });
});

t.test('undici timeouts are timeouts', async (t) => {
  for (const code of ['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']) {
    t.match(classifyNetworkError(err(code), none), { code: 'DELIVERY_TIMEOUT' }, code);
  }
});

t.test('refused, reset, closed and unresolvable are unreachable, with the system code kept', async (t) => {
  for (const code of ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'ENOTFOUND', 'EHOSTUNREACH']) {
    t.match(classifyNetworkError(err(code, 'boom'), none), { code: 'DELIVERY_UNREACHABLE', message: `${code}: boom` }, code);
  }
  t.match(classifyNetworkError(new Error('fetch failed', { cause: err('ECONNRESET') }), none), { code: 'DELIVERY_UNREACHABLE', message: /ECONNRESET/ });
  t.match(classifyNetworkError('weird', none), { code: 'DELIVERY_UNREACHABLE', message: 'weird' });
});

t.test('certificate and handshake failures are TLS problems the contact can fix', async (t) => {
  for (const code of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER']) {
    t.match(classifyNetworkError(err(code), none), { code: 'DELIVERY_TLS' }, code);
  }
});
