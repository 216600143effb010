import t from 'tap';
import { isLoopback, platformEndpoints } from '../../../gateway/delivery/platform-url.js';

t.test('endpoint paths are the base path plus the spec paths, whatever the trailing slash', async (t) => {
  t.same(platformEndpoints('https://platform.example/exchange', 'hs-rsj'), {
    origin: 'https://platform.example',
    batchesPath: '/exchange/v1/batches',
    heartbeatPath: '/exchange/v1/gateways/hs-rsj/heartbeat',
  });
  t.equal(platformEndpoints('https://platform.example/exchange/', 'hs-rsj').batchesPath, '/exchange/v1/batches');
  t.equal(platformEndpoints('https://platform.example', 'hs-rsj').batchesPath, '/v1/batches');
  t.equal(platformEndpoints('https://10.0.0.8:8443/a/b', 'g_1').heartbeatPath, '/a/b/v1/gateways/g_1/heartbeat');
});

t.test('plain http is refused except to loopback', async (t) => {
  t.throws(() => platformEndpoints('http://platform.example/exchange', 'hs-rsj'), { code: 'DELIVERY_INSECURE_URL' });
  t.ok(platformEndpoints('http://127.0.0.1:8080/exchange', 'hs-rsj'));
});

t.test('loopback hosts', async (t) => {
  for (const host of ['localhost', 'LOCALHOST', 'api.localhost', '127.0.0.1', '127.255.0.9', '[::1]', '::ffff:127.0.0.1']) t.ok(isLoopback(host), host);
  for (const host of ['10.0.0.1', '128.0.0.1', 'localhost.example', '[::2]', '0.0.0.0', 'platform.example']) t.notOk(isLoopback(host), host);
});
