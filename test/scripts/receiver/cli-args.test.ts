import t from 'tap';
import { parseCli } from '../../../scripts/receiver/cli-args.js';

t.test('defaults: loopback, a free port, the spec limits', async (t) => {
  const c = parseCli(['--gateway', 'hs-demo=hs-credit-demo-secret'], {});
  t.equal(c.port, 0);
  t.equal(c.host, '127.0.0.1');
  t.same(c.options.gateways, { 'hs-demo': 'hs-credit-demo-secret' });
  t.equal(c.options.maxRecords, 5000);
  t.equal(c.options.maxBytes, 8 * 1024 * 1024);
  t.equal(c.options.clockSkewMs, 300_000);
  t.equal(c.options.basePath, undefined, 'the receiver applies its own default');
});

t.test('gateways come from repeated flags and from RECEIVER_GATEWAYS, flags winning', async (t) => {
  const c = parseCli(['--gateway', 'a=flag', '--gateway', 'b=x=y'], { RECEIVER_GATEWAYS: 'a=env, c=env3' });
  t.same(c.options.gateways, { a: 'flag', b: 'x=y', c: 'env3' });
});

t.test('every option can be set', async (t) => {
  const c = parseCli(
    ['--port', '8080', '--host', '::1', '--gateway', 'g=s', '--base-path', '/p', '--algorithms', 'sm3',
      '--clock-skew-ms', '1000', '--clock-offset-ms=-600000', '--max-records', '10', '--max-bytes', '2048'],
    {},
  );
  t.same(c, {
    port: 8080, host: '::1',
    options: { gateways: { g: 's' }, basePath: '/p', algorithms: ['sm3'], clockSkewMs: 1000, clockOffsetMs: -600000, maxRecords: 10, maxBytes: 2048 },
  });
});

t.test('bad input is refused with a message', async (t) => {
  t.throws(() => parseCli([], {}), /at least one --gateway/);
  t.throws(() => parseCli(['--gateway', 'nosecret'], {}), /id=secret/);
  t.throws(() => parseCli(['--gateway', 'g='], {}), /id=secret/);
  t.throws(() => parseCli(['--gateway', 'g=s', '--port', 'x'], {}), /--port/);
  t.throws(() => parseCli(['--gateway', 'g=s', '--port', '70000'], {}), /--port/);
  t.throws(() => parseCli(['--gateway', 'g=s', '--algorithms', 'md5'], {}), /algorithm/);
  t.throws(() => parseCli(['--gateway', 'g=s', '--max-records', '0'], {}), /--max-records/);
  t.throws(() => parseCli(['--gateway', 'g=s', '--bogus'], {}));
});
