import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ndjson, raw, rid, send, upsert } from './helpers/client.js';
import { programBesideTest } from '../../helpers/beside.js';

const MAIN = programBesideTest(import.meta.url, '../../../scripts/receiver/main.ts');
// Run the source with the same TypeScript loader this test runs under, so no build is needed.
const LOADER = process.execArgv.filter((a) => !a.includes('@tapjs/processinfo'));

interface Running {
  child: ChildProcess;
  next(): Promise<any>;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [...LOADER, MAIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    child,
    async next() {
      const { value, done } = await lines.next();
      return done ? undefined : JSON.parse(value as string);
    },
  };
}

t.test('the CLI prints one ready line, one line per batch, and stops on SIGTERM', async (t) => {
  const r = run(['--port', '0', '--host', '127.0.0.1', '--gateway', 'hs-rsj=hs-credit-demo-secret']);
  t.teardown(() => r.child.kill('SIGKILL'));
  const ready = await r.next();
  t.match(ready, { event: 'listening', url: /^http:\/\/127\.0\.0\.1:\d+\/exchange$/, control: /^http:\/\/127\.0\.0\.1:\d+\/_receiver$/ });
  t.same(Object.keys(ready), ['event', 'url', 'control']);

  const reply = await send({ baseUrl: ready.url, path: '/v1/batches', body: ndjson([upsert(rid(), 1)]) });
  t.equal(reply.status, 200);
  const logged = await r.next();
  t.match(logged, { event: 'batch', batchId: reply.body.batchId, gatewayId: 'hs-rsj', status: 200, accepted: 1 });
  t.equal((await raw('GET', `${ready.control}/stats`)).body.accepted, 1);

  const exited = once(r.child, 'exit');
  r.child.kill('SIGTERM');
  const [code, signal] = await exited;
  t.equal(code, 0);
  t.equal(signal, null);
});

t.test('the CLI takes its gateways from RECEIVER_GATEWAYS and stops on SIGINT', async (t) => {
  const r = run(['--base-path', '/platform'], { RECEIVER_GATEWAYS: 'hs-rsj=hs-credit-demo-secret,hs-b=other' });
  t.teardown(() => r.child.kill('SIGKILL'));
  const ready = await r.next();
  t.match(ready.url, /\/platform$/);
  const reply = await send({ baseUrl: ready.url, path: '/v1/batches', body: ndjson([upsert(rid(), 1)]), gatewayId: 'hs-b', secret: 'other' });
  t.equal(reply.status, 200);
  const exited = once(r.child, 'exit');
  r.child.kill('SIGINT');
  t.equal((await exited)[0], 0);
});

t.test('the CLI without a gateway exits with status 2 and says why', async (t) => {
  const r = run([], { RECEIVER_GATEWAYS: '' });
  let stderr = '';
  r.child.stderr!.on('data', (c: Buffer) => (stderr += c));
  const [code] = await once(r.child, 'exit');
  t.equal(code, 2);
  t.match(stderr, /at least one --gateway/);
  t.equal(await r.next(), undefined, 'nothing on stdout');
});
