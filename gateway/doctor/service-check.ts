import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type { GatewayConfig } from '../../config/schema.js';
import { type LockHolder, processAlive } from '../store/lock.js';
import type { Finding } from './contract.js';

/**
 * Service state: systemd's word where systemd runs the machine and knows
 * the unit; otherwise whether a live process holds the data folder (the pid
 * file the lock holder writes, store/lock.ts) and whether the status page
 * answers. Not running is a warning: doctor is also run before the first start.
 */
export interface ServiceCheckContext {
  config: Readonly<GatewayConfig>;
  holder: LockHolder | null;
  /** True where systemd is the init system (/run/systemd/system exists). */
  systemd: boolean;
  unit?: string;
}

export const UNIT = 'credit-gateway';

export function systemdRuns(): boolean {
  return process.platform === 'linux' && existsSync('/run/systemd/system');
}

export async function checkService(ctx: ServiceCheckContext): Promise<Finding> {
  const base = { id: 'service', title: 'title.service' } as const;
  const unit = ctx.unit ?? UNIT;
  if (ctx.systemd) {
    const state = await systemctl(['is-active', unit]);
    if (state === 'active') return { ...base, state: 'pass', message: 'service.systemdActive', params: { unit } };
    if (state === 'failed') return { ...base, state: 'fail', message: 'service.systemdFailed', fix: 'service.systemdFailed.fix', params: { unit } };
    if (state !== null && (await systemctl(['show', '-p', 'LoadState', '--value', unit])) === 'loaded') {
      return { ...base, state: 'warn', message: 'service.systemdInactive', fix: 'service.systemdInactive.fix', params: { unit, state } };
    }
    // Unit not installed (a --prefix trial install, a hand-started gateway): the folder tells.
  }
  const holder = ctx.holder && ctx.holder.host === hostname() && processAlive(ctx.holder.pid) ? ctx.holder : null;
  const page = await statusAnswers(ctx.config);
  const params = { pid: holder?.pid ?? 0, since: holder?.since ?? '', command: holder?.command ?? '', page: page ?? '' };
  if (holder && page) return { ...base, state: 'pass', message: 'service.running', params };
  if (holder) return { ...base, state: 'pass', message: 'service.runningNoPage', params };
  return { ...base, state: 'warn', message: 'service.stopped', fix: ctx.systemd ? 'service.systemdInactive.fix' : 'service.stopped.fix', params: { ...params, unit } };
}

function systemctl(args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('systemctl', args, { timeout: 5000 }, (err, stdout) => {
      const out = String(stdout ?? '').trim();
      resolve(out || (err ? null : ''));
    });
  });
}

/** The status page's /healthz, when it answers: its URL; null otherwise. */
async function statusAnswers(config: Readonly<GatewayConfig>): Promise<string | null> {
  const s = config.status;
  if (s.port === 0) return null;
  const host = s.host === '0.0.0.0' || s.host === '::' ? '127.0.0.1' : s.host;
  const scheme = s.tls ? 'https' : 'http';
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${s.port}`;
  try {
    // Only whether it answers counts: its own certificate is the status page's business, not this check's.
    const { Agent, request } = await import('undici');
    const dispatcher = new Agent({ connect: { rejectUnauthorized: false, timeout: 3000 } });
    try {
      const res = await request(`${url}/healthz`, { dispatcher, headersTimeout: 3000, bodyTimeout: 3000 });
      await res.body.dump();
      return res.statusCode === 200 ? url : null;
    } finally {
      await dispatcher.close();
    }
  } catch {
    return null;
  }
}

