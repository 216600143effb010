import { resolvePath } from '../../config/load.js';
import type { GatewayConfig } from '../../config/schema.js';
import type { Secrets } from '../../config/secrets.js';
import { PlatformClient } from '../delivery/client.js';
import type { DeliveryLogger } from '../delivery/contract.js';
import type { HeartbeatBody } from '../delivery/heartbeat-body.js';
import { probeTls, type TlsProbeResult } from '../delivery/tls-probe.js';
import { describeError } from '../errors.js';
import { CLOCK_FAIL_MS, CLOCK_WARN_MS, type Finding } from './contract.js';

/**
 * Platform reachable (with TLS, naming the CA in use and the certificate
 * shown), authentication accepted, and this machine's clock against the
 * platform's: one real signed heartbeat through the gateway's own
 * PlatformClient, so what passes here is what the running gateway does.
 *
 * A 401 is told apart by the client's clock (platform-clock.ts): refused
 * for the timestamp names the clock, any other refusal names the secret.
 * The client signs again on the platform's time after a timestamp refusal,
 * so a clock 10 minutes off still shows whether the secret is right.
 * An offered configuration bundle is left alone: the platform offers it
 * again to the gateway's own next heartbeat.
 */
export interface PlatformCheckContext {
  config: Readonly<GatewayConfig>;
  baseDir: string;
  secrets: Secrets;
  heartbeat: Omit<HeartbeatBody, 'gatewayId'>;
  now: () => number;
}

const SILENT: DeliveryLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Within this many days of its end a certificate is warned about. */
const CERT_WARN_DAYS = 30;

export async function checkPlatform(ctx: PlatformCheckContext): Promise<Finding[]> {
  const p = ctx.config.platform;
  const url = p.url;
  const files = {
    caFile: p.caFile && resolvePath(ctx.baseDir, p.caFile),
    clientCertFile: p.clientCertFile && resolvePath(ctx.baseDir, p.clientCertFile),
    clientKeyFile: p.clientKeyFile && resolvePath(ctx.baseDir, p.clientKeyFile),
  };
  // Empty: Node's built-in roots (plus NODE_EXTRA_CA_CERTS, which Node reads at its start): messages.ts says so in words.
  const ca = files.caFile ?? (process.env.NODE_EXTRA_CA_CERTS ? `+${process.env.NODE_EXTRA_CA_CERTS}` : '');
  const platform = { id: 'platform', title: 'title.platform' } as const;
  const auth = { id: 'auth', title: 'title.auth' } as const;
  const clock = { id: 'platform-clock', title: 'title.platformClock' } as const;
  const skipped = (why: 'skip.platform'): Finding[] => [{ ...auth, state: 'skip', message: why }, { ...clock, state: 'skip', message: why }];

  let client: PlatformClient;
  try {
    client = new PlatformClient({
      url, gatewayId: ctx.config.gateway.id, secret: ctx.secrets.get(p.secretRef, 'platform.secretRef'),
      algorithm: p.algorithm, gzip: p.gzip, timeoutMs: Math.min(p.timeoutMs, 30_000), ...files, logger: SILENT, now: ctx.now,
    });
  } catch (err) {
    const e = describeError(err);
    return [{ ...platform, state: 'fail', message: 'platform.settings', fix: 'platform.settings.fix', params: { url, detail: e.message.startsWith(`${e.code}:`) ? e.message : `${e.code}: ${e.message}` } }, ...skipped('skip.platform')];
  }
  try {
    const tls = new URL(url).protocol === 'https:' ? await probeTls({ url, ...files, timeoutMs: Math.min(p.timeoutMs, 30_000) }) : null;
    const reply = await client.heartbeat({ gatewayId: ctx.config.gateway.id, ...ctx.heartbeat });
    const view = client.clock();
    if ('error' in reply && reply.error.code !== 'DELIVERY_AUTH') {
      return [notReached(platform, url, ca, tls, reply.error), ...skipped('skip.platform')];
    }
    const out: Finding[] = [reachFinding(platform, url, ca, tls, ctx.now())];
    if ('error' in reply) {
      const byClock = view.refusal !== null;
      out.push({ ...auth, state: 'fail', message: byClock ? 'auth.clock' : 'auth.secret', fix: byClock ? 'auth.clock.fix' : 'auth.secret.fix', params: { detail: reply.error.message, secretRef: p.secretRef, gatewayId: ctx.config.gateway.id } });
    } else {
      out.push({ ...auth, state: 'pass', message: 'auth.ok', params: { gatewayId: ctx.config.gateway.id } });
    }
    out.push(clockFinding(clock, view.offsetMs));
    return out;
  } finally {
    await client.close();
  }
}

/** No answer the gateway can use: the handshake's own view when it got as far as a certificate, else the client's failure. */
function notReached(base: { id: string; title: 'title.platform' }, url: string, ca: string, tls: TlsProbeResult | null, error: { code: string; message: string }): Finding {
  if (tls && !tls.ok && tls.subject !== undefined) {
    return { ...base, state: 'fail', message: 'platform.tlsFailed', fix: 'platform.tlsFailed.fix', params: { url, ca, code: tls.code, detail: tls.detail, certSubject: tls.subject, validTo: tls.validTo ?? '?' } };
  }
  if (error.code === 'DELIVERY_TLS') {
    return { ...base, state: 'fail', message: 'platform.tlsFailed', fix: 'platform.tlsFailed.fix', params: { url, ca, code: error.code, detail: error.message, certSubject: '?', validTo: '?' } };
  }
  return { ...base, state: 'fail', message: 'platform.unreachable', fix: 'platform.unreachable.fix', params: { url, code: error.code, detail: error.message } };
}

function reachFinding(base: { id: string; title: 'title.platform' }, url: string, ca: string, tls: TlsProbeResult | null, now: number): Finding {
  if (tls === null) return { ...base, state: 'pass', message: 'platform.okPlain', params: { url } };
  if (!tls.ok) {
    // The heartbeat got through, so the handshake the gateway makes works; the probe's own view is still worth a look.
    return { ...base, state: 'warn', message: 'platform.tlsFailed', fix: 'platform.tlsFailed.fix', params: { url, ca, code: tls.code, detail: tls.detail, certSubject: tls.subject ?? '?', validTo: tls.validTo ?? '?' } };
  }
  const days = Math.floor((tls.validToMs - now) / 86_400_000);
  const params = { url, ca, certSubject: tls.subject, issuer: tls.issuer, validTo: tls.validTo, days, protocol: tls.protocol };
  if (days < CERT_WARN_DAYS) return { ...base, state: 'warn', message: 'platform.certExpiring', fix: 'platform.certExpiring.fix', params };
  return { ...base, state: 'pass', message: 'platform.ok', params };
}

function clockFinding(base: { id: string; title: 'title.platformClock' }, offsetMs: number | null): Finding {
  if (offsetMs === null) return { ...base, state: 'warn', message: 'platformClock.unknown', fix: 'platformClock.unknown.fix' };
  const params = { offsetSecs: Math.round(offsetMs / 1000) };
  if (Math.abs(offsetMs) > CLOCK_FAIL_MS) return { ...base, state: 'fail', message: 'platformClock.off', fix: 'platformClock.off.fix', params };
  if (Math.abs(offsetMs) > CLOCK_WARN_MS) return { ...base, state: 'warn', message: 'platformClock.off', fix: 'platformClock.off.fix', params };
  return { ...base, state: 'pass', message: 'platformClock.ok', params };
}
