import { parseArgs } from 'node:util';
import type { Algorithm, ReceiverOptions } from './types.js';

export interface CliConfig {
  port: number;
  host: string;
  options: ReceiverOptions;
}

export const USAGE = `usage: receiver --gateway ID=SECRET [--gateway ID=SECRET …] [--port 0] [--host 127.0.0.1]
                [--base-path /exchange] [--algorithms sha256,sm3] [--clock-skew-ms 300000]
                [--clock-offset-ms=-600000]
                [--max-records 5000] [--max-bytes 8388608]
gateways may also come from RECEIVER_GATEWAYS=id=secret,id2=secret2`;

/** `id=secret`; the secret is everything after the first `=`, so it may itself contain one. */
function parseGateway(spec: string, into: Record<string, string>): void {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1) throw new Error(`gateway must be id=secret, got ${JSON.stringify(spec.slice(0, eq < 0 ? 20 : eq))}…`);
  into[spec.slice(0, eq)] = spec.slice(eq + 1);
}

function integer(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new Error(`--${name} must be an integer >= ${min}`);
  return Number(value);
}

/** A platform clock behind the machine's is a negative offset. */
function signedInteger(name: string, value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^-?\d{1,15}$/.test(value)) throw new Error(`--${name} must be an integer (negative: behind)`);
  return Number(value);
}

/** Turns argv and the environment into a receiver configuration; throws with a message for the user. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliConfig {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      gateway: { type: 'string', multiple: true },
      'base-path': { type: 'string' },
      algorithms: { type: 'string' },
      'clock-skew-ms': { type: 'string' },
      'clock-offset-ms': { type: 'string' },
      'max-records': { type: 'string' },
      'max-bytes': { type: 'string' },
    },
  });
  const gateways: Record<string, string> = {};
  for (const spec of (env.RECEIVER_GATEWAYS ?? '').split(',').filter((s) => s.trim() !== '')) parseGateway(spec.trim(), gateways);
  for (const spec of values.gateway ?? []) parseGateway(spec, gateways);
  if (Object.keys(gateways).length === 0) throw new Error('at least one --gateway id=secret (or RECEIVER_GATEWAYS) is needed');

  const algorithms = values.algorithms?.split(',').map((a) => a.trim());
  for (const a of algorithms ?? []) if (a !== 'sha256' && a !== 'sm3') throw new Error(`unknown algorithm ${a}`);

  const port = integer('port', values.port, 0);
  if (port > 65535) throw new Error('--port must be at most 65535');
  return {
    port,
    host: values.host ?? '127.0.0.1',
    options: {
      gateways,
      basePath: values['base-path'],
      algorithms: algorithms as Algorithm[] | undefined,
      clockSkewMs: integer('clock-skew-ms', values['clock-skew-ms'], 300_000),
      clockOffsetMs: signedInteger('clock-offset-ms', values['clock-offset-ms']),
      maxRecords: integer('max-records', values['max-records'], 5000, 1),
      maxBytes: integer('max-bytes', values['max-bytes'], 8 * 1024 * 1024, 1),
    },
  };
}
