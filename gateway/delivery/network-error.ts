import type { DeliveryFailure } from './contract.js';

/**
 * Turns whatever the HTTP stack threw into a catalogue code, so delivery and
 * the status page branch on `code`, never on error classes. The caller says
 * which of its own signals fired, because an abort looks the same either way.
 */

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|EPROTO$|ERR_OSSL_)/;

export function classifyNetworkError(
  err: unknown,
  fired: { timedOut: boolean; aborted: boolean; timeoutMs: number },
): DeliveryFailure {
  if (fired.aborted) return { code: 'DELIVERY_ABORTED', message: 'request cancelled: the gateway is stopping' };
  if (fired.timedOut) return { code: 'DELIVERY_TIMEOUT', message: `no complete answer within ${fired.timeoutMs} ms` };
  const code = errorCode(err);
  const message = errorMessage(err);
  if (code && TIMEOUT_CODES.has(code)) return { code: 'DELIVERY_TIMEOUT', message };
  if (code && TLS_CODE.test(code)) return { code: 'DELIVERY_TLS', message: `${code}: ${message}` };
  // ECONNREFUSED, ECONNRESET, ENOTFOUND, EHOSTUNREACH, UND_ERR_SOCKET (other
  // side closed) and anything unknown: the platform was not reached, or the
  // answer was lost; either way the batch is resent under the same id.
  return { code: 'DELIVERY_UNREACHABLE', message: code && !message.includes(code) ? `${code}: ${message}` : message };
}

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] || err.name;
  return String(err);
}
