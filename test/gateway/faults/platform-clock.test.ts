/**
 * Issue 10, case 8, with real processes: the platform's clock is 10 minutes
 * off (ahead, then behind). The gateway runs as the operator runs it
 * (`credit-gateway start`), learns the offset from the platform's refusals,
 * shows it with a fault verdict that says what to do, signs on the
 * platform's time so nothing waits, and once the platform's clock is put
 * right it follows again. The platform ends holding exactly the source.
 */
import t from 'tap';
import { createReceiver } from '../../../scripts/receiver/index.js';
import { createPenaltyDb, TEST_SECRET, updateRows, writeTestConfig } from '../../helpers/business-db.js';
import { expectConserved, startGatewayProcess, type GatewayProcess } from '../../helpers/conservation.js';
import { until } from '../../helpers/wait.js';

const TEN_MINUTES = 600_000;
const ROWS = 300;
const INVALID = [7];

interface ApiStatus {
  verdict: { level: string; reasons: string[] };
  platform: { heartbeat: { clockOffsetMs: number | null }; clock?: { offsetMs: number | null; correctionMs: number; from: string | null } };
}

/** The status page's address, from the start-up log line. */
async function statusUrl(gw: GatewayProcess): Promise<string> {
  const found = await until(() => /"status":"(http:\/\/[^"]+)"/.exec(gw.output())?.[1], (u) => u !== undefined, 30_000);
  if (!found) throw new Error(`the gateway did not start:\n${gw.output()}`);
  return found;
}

async function apiStatus(base: string): Promise<ApiStatus> {
  return (await fetch(new URL('api/status', base))).json() as Promise<ApiStatus>;
}

async function statusUntil(base: string, ok: (s: ApiStatus) => boolean): Promise<ApiStatus> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = await apiStatus(base);
    if (ok(s) || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 200));
  }
}

for (const offset of [TEN_MINUTES, -TEN_MINUTES]) {
  const way = offset > 0 ? 'ahead' : 'behind';
  t.test(`the platform clock 10 minutes ${way}: shown, a fault with the action, and nothing lost`, async (t) => {
    const dir = t.testdir({});
    const business = createPenaltyDb(dir, ROWS, { invalid: INVALID });
    const receiver = createReceiver({ gateways: { 'hs-test': TEST_SECRET }, clockOffsetMs: offset });
    const { url } = await receiver.listen(0, '127.0.0.1');
    const configFile = writeTestConfig({ dir, businessDb: business.file, platformUrl: url, pageSize: 50, batchMaxRecords: 40, pollSecs: 1 });
    const gw = startGatewayProcess(configFile, { env: { LOG_LEVEL: 'info' } });
    t.teardown(async () => {
      gw.child.kill('SIGKILL');
      await gw.exited;
      business.db.close();
      await receiver.close();
    });
    const base = await statusUrl(gw);

    await expectConserved(t, { receiver, business: business.db, invalid: INVALID });
    const refusals = receiver.batches().filter((b) => b.status === 401);
    t.ok(receiver.stats().authFailures >= 1, 'the platform refused the machine\'s own time at first');
    t.ok(refusals.every((b) => b.code === 'AUTH_TIMESTAMP'), 'only for the timestamp');
    t.ok(receiver.stats().authFailures <= 2, 'one refusal per kind of request (heartbeat, batch), then signed on the platform time');
    t.notMatch(gw.output(), /delivery paused/, 'delivery never paused for it');
    t.ok(receiver.heartbeats().length >= 1, 'the start-up heartbeat got through too');

    const shown = await statusUntil(base, (s) => s.verdict.level === 'fault');
    const secs = Math.round((shown.platform.heartbeat.clockOffsetMs ?? 0) / 1000);
    t.ok(Math.abs(secs - offset / 1000) <= 2, `the page shows ≈${offset / 1000} s (${secs})`);
    t.ok(Math.abs((shown.platform.clock?.correctionMs ?? 0) - offset) <= 2000, 'and signs with the platform time');
    t.equal(shown.verdict.level, 'fault', 'a wrong machine clock is a fault even while delivery goes on');
    t.match(shown.verdict.reasons.join('\n'), new RegExp(`本机时钟比平台${offset > 0 ? '慢' : '快'} 600 秒，超过平台 300 秒的签名时限：请校正本机时间并启用 NTP 自动对时`));
    const page = await (await fetch(base)).text();
    t.match(page, /<tr id="clock-offset">[\s\S]*?<span class="bad">-?600 秒<\/span>[\s\S]*?网关已按平台时间签名/, 'the page row says it too');
    t.match(gw.output(), /signing with the platform's time from now on/, 'the correction was logged');

    // Changes keep arriving while the clock is off.
    updateRows(business.db, [1, 2, 3, 150], 'v2');
    await expectConserved(t, { receiver, business: business.db, invalid: INVALID });

    // The platform's clock is put right: the stale correction costs one refusal, then delivery follows.
    receiver.setClockOffset(0);
    updateRows(business.db, [4, 5, 299], 'v3');
    await expectConserved(t, { receiver, business: business.db, invalid: INVALID });
    const fixed = await statusUntil(base, (s) => Math.abs(s.platform.heartbeat.clockOffsetMs ?? Infinity) < 2000);
    t.ok(Math.abs(fixed.platform.heartbeat.clockOffsetMs ?? Infinity) < 2000, 'the page follows the clock back to ≈0 s');
    t.ok(Math.abs(fixed.platform.clock?.correctionMs ?? Infinity) < 2000, 'and signing with it');
    t.notMatch(fixed.verdict.reasons.join('\n'), /本机时钟|时间戳/, 'the clock fault is gone');
    t.equal(receiver.stats().stale, 0);
  });
}
