import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens: an HMAC, under a secret made at start, of the session id, or
 * of a random pre-session cookie when nobody is logged in (the login form,
 * and loopback without login, where any web page the contact visits could
 * post to 127.0.0.1). A page from elsewhere can neither read the cookie nor
 * the token embedded in our forms. Tokens die with the process.
 */
export class CsrfTokens {
  readonly #secret = randomBytes(32);

  tokenFor(binding: string): string {
    return createHmac('sha256', this.#secret).update(binding).digest('base64url');
  }

  verify(binding: string | undefined, token: string | undefined): boolean {
    if (!binding || !token) return false;
    const expected = Buffer.from(this.tokenFor(binding));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/** A fresh value for the pre-session cookie. */
export function newCsrfBinding(): string {
  return randomBytes(32).toString('base64url');
}
