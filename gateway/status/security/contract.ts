/**
 * The status server's access rules, shared by the security plugin and the
 * routes. Every route declares its access in its route config:
 *
 *   app.get('/x', { config: { access: 'viewer' } }, handler)
 *
 *  - public: always served (/healthz, /readyz, the login page, static CSS)
 *  - viewer: needs a login when login is required (exposed, or requireLogin)
 *  - admin: needs the admin role; methods other than GET/HEAD also need the
 *    CSRF token (form field `_csrf`, query `_csrf` for multipart forms, or
 *    header `x-csrf-token`), unless the request carries
 *    `Authorization: Bearer <token>` (scripts, not browsers, send that).
 * A route without `access` is refused: forgetting it cannot open a hole.
 */

import type { Audit } from '../../observability/audit.js';

export type Access = 'public' | 'viewer' | 'admin';
export type Role = 'viewer' | 'admin';

export interface Viewer {
  /** null when no login is required (loopback) and nobody logged in. */
  name: string | null;
  role: Role;
  /** How the viewer is known, for the audit log. */
  via?: 'session' | 'token' | 'loopback';
}

export interface StatusUser {
  name: string;
  role: Role;
  /** The scrypt hash from local secrets (see password.ts). */
  hash: string;
}

export interface SecurityOptions {
  /** The server listens on an address other than loopback. */
  exposed: boolean;
  /** Login needed for viewer and admin routes (always true when exposed). */
  requireLogin: boolean;
  users: StatusUser[];
  sessionMinutes: number;
  /** Login attempts per client address per minute. Default 5. */
  loginAttemptsPerMinute?: number;
  /** Set cookies with Secure and send HSTS (the page is served over HTTPS, or behind a TLS-terminating proxy). Default false. */
  secureCookies?: boolean;
  /** Where logins, logouts, token use and refused access are recorded. Default nowhere. */
  audit?: Audit;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /** Who is asking; set by the security plugin before any handler runs. */
    viewer: Viewer | null;
    /** The CSRF token to embed in this response's forms. */
    csrfToken: string;
  }
}
