import { readFileSync } from 'node:fs';
import { connect, type PeerCertificate } from 'node:tls';

/**
 * One TLS handshake with the platform, nothing sent over it, for `doctor`:
 * which certificate the platform shows and whether the CA in use (the
 * configured caFile, or Node's built-in roots and NODE_EXTRA_CA_CERTS)
 * trusts it for the platform's host name. Never throws: a failure to get
 * that far is the answer.
 */
export interface TlsProbeOptions {
  url: string;
  caFile?: string;
  clientCertFile?: string;
  clientKeyFile?: string;
  timeoutMs: number;
}

export type TlsProbeResult =
  | { ok: true; subject: string; issuer: string; validTo: string; validToMs: number; protocol: string }
  | { ok: false; code: string; detail: string; subject?: string; issuer?: string; validTo?: string };

export function probeTls(o: TlsProbeOptions): Promise<TlsProbeResult> {
  const url = new URL(o.url);
  let ca: Buffer | undefined;
  let cert: Buffer | undefined;
  let key: Buffer | undefined;
  try {
    ca = o.caFile ? readFileSync(o.caFile) : undefined;
    cert = o.clientCertFile ? readFileSync(o.clientCertFile) : undefined;
    key = o.clientKeyFile ? readFileSync(o.clientKeyFile) : undefined;
  } catch (err) {
    return Promise.resolve({ ok: false, code: 'FILE_UNREADABLE', detail: (err as Error).message });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port: Number(url.port || 443),
      servername: /^[\d.:]+$/.test(host) ? undefined : host,
      ca, cert, key,
      // Verified below, so an untrusted certificate can still be described.
      rejectUnauthorized: false,
      timeout: o.timeoutMs,
    });
    const done = (r: TlsProbeResult) => {
      socket.destroy();
      resolve(r);
    };
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate();
      const described = describe(peer);
      if (!socket.authorized) {
        const code = String((socket.authorizationError as unknown as { code?: string })?.code ?? socket.authorizationError ?? 'UNTRUSTED');
        // Node gives the verification failure as its OpenSSL code alone: nothing more to say than the code.
        const detail = String(socket.authorizationError);
        done({ ok: false, code, detail: detail === code ? '' : detail, ...described });
        return;
      }
      done({ ok: true, ...described, validToMs: Date.parse(peer.valid_to), protocol: socket.getProtocol() ?? '?' });
    });
    socket.once('timeout', () => done({ ok: false, code: 'TIMEOUT', detail: `no TLS handshake within ${Math.round(o.timeoutMs / 1000)} s` }));
    socket.once('error', (err: NodeJS.ErrnoException) => done({ ok: false, code: err.code ?? 'ERROR', detail: err.message }));
  });
}

function describe(peer: PeerCertificate): { subject: string; issuer: string; validTo: string } {
  const name = (n: PeerCertificate['subject'] | undefined) => (n ? [n.CN, n.O].filter(Boolean).join(', ') : '') || '?';
  return { subject: name(peer.subject), issuer: name(peer.issuer), validTo: peer.valid_to ?? '?' };
}
