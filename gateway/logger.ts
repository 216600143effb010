import pino, { type Logger } from 'pino';

/**
 * The one root logger: JSON lines, secrets removed wherever they might be
 * nested, errors under `err`. Components take a child with `component`.
 */
export const REDACT_PATHS = [
  'secret', '*.secret', 'password', '*.password', 'token', '*.token',
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
  'headers["x-content-digest"]',
];

export function createLogger(options: { level?: string; destination?: string | number } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
    },
    pino.destination({ dest: options.destination ?? 1, sync: true, mkdir: true }),
  );
}
