import pino, { type Logger } from 'pino';
import { maskIdNumbersIn } from './identifiers/mask.js';

/**
 * The one root logger: JSON lines, secrets removed wherever they might be
 * nested, identity numbers masked wherever they might appear (message,
 * format arguments, nested strings, child bindings, error messages),
 * errors under `err`. Components take a child with `component`.
 */
export const REDACT_PATHS = [
  'secret', '*.secret', 'password', '*.password', 'token', '*.token',
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
  'headers["x-content-digest"]',
];

/** Deeper than any object we log on purpose; beyond it values are left to pino as they are. */
const MAX_DEPTH = 8;

export interface LoggerOptions {
  level?: string;
  destination?: string | number;
  /** Told when the destination refuses a write (a full disk); lines are kept, then dropped, never thrown. */
  onWriteError?: (err: unknown) => void;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
      serializers: { err: maskError },
      hooks: {
        // The message and its format arguments; the merging object is done by formatters.log.
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          // pino would take a lone error's message as the line's message, unmasked: hand it over masked.
          const lead = first instanceof Error ? [{ err: first }, ...(rest.length > 0 ? [] : [first.message])] : [first];
          const masked = [...lead, ...rest].map((arg, i) => (i === 0 && typeof arg === 'object' && arg !== null ? arg : maskValue(arg, 0, new WeakSet())));
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
      // pino writes a child's bindings as JSON once, past formatters (bindings formatters apply to the root only).
      onChild: (child) => {
        const own = child as unknown as Record<symbol, string>;
        own[pino.symbols.chindingsSym] = maskIdNumbersIn(own[pino.symbols.chindingsSym] ?? '');
      },
      formatters: {
        log: (object) => maskValue(object, 0, new WeakSet()) as Record<string, unknown>,
        bindings: (bindings) => maskValue(bindings, 0, new WeakSet()) as pino.Bindings,
      },
    },
    // A log file the gateway creates is the service user's alone (masked or not, it describes records).
    unfailingDestination(options.destination ?? 1, options.onWriteError ?? (() => undefined)),
  );
}

/** Lines kept in memory while the destination refuses them (a full disk); beyond this they are dropped. */
const MAX_UNWRITTEN_BYTES = 4 * 1024 * 1024;

/**
 * A log that cannot be written (a full disk under a log file or a redirected
 * stdout) must never throw into the code that logs: the gateway may be in the
 * middle of recording an acknowledgement. Lines wait in memory up to
 * MAX_UNWRITTEN_BYTES, beyond that they are dropped, and writing resumes by
 * itself when the destination takes lines again. A file it creates is 0600.
 */
function unfailingDestination(dest: string | number, onWriteError: (err: unknown) => void): pino.DestinationStream {
  const sink = pino.destination({ dest, sync: true, mkdir: true, mode: 0o600, maxLength: MAX_UNWRITTEN_BYTES });
  sink.on('error', onWriteError);
  return sink;
}

/**
 * A copy with every identity number inside strings masked: plain objects and
 * arrays are walked, anything else is left as it is (errors are masked by
 * the `err` serializer, once pino has turned them into plain fields).
 */
export function maskValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return maskIdNumbersIn(value);
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => maskValue(v, depth + 1, seen));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null && proto !== SERIALIZED_ERROR) return value;
  return maskEntries(value, depth, seen);
}

/** pino's serialized errors (and their causes) have a prototype of their own; their enumerable fields are what gets written. */
const SERIALIZED_ERROR: unknown = Object.getPrototypeOf(pino.stdSerializers.err(new Error()));

/** Errors are left to this serializer, which runs after formatters.log: pino's own, then masked. */
function maskError(err: Error): unknown {
  return maskValue(pino.stdSerializers.err(err), 0, new WeakSet());
}

function maskEntries(value: object, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[maskIdNumbersIn(k)] = maskValue(v, depth + 1, seen);
  return out;
}
