import { createHash } from 'node:crypto';
import type { StatusUser } from './contract.js';
import { verifyPassword } from './password.js';

const CACHE_MS = 60_000;

/**
 * `Authorization: Bearer <token>` for scripts: the token is checked against
 * every user's scrypt hash. scrypt costs ~50 ms, so a token that matched is
 * remembered for a minute, by its sha256 (the token itself is not kept).
 */
export class BearerTokens {
  readonly #users: readonly StatusUser[];
  readonly #now: () => number;
  readonly #cache = new Map<string, { user: StatusUser; untilMs: number }>();

  constructor(users: readonly StatusUser[], now: () => number = Date.now) {
    this.#users = users;
    this.#now = now;
  }

  /** The user the token belongs to, or undefined. */
  async check(token: string): Promise<StatusUser | undefined> {
    const digest = createHash('sha256').update(token).digest('base64');
    const now = this.#now();
    const cached = this.#cache.get(digest);
    if (cached && cached.untilMs > now) return cached.user;
    this.#cache.delete(digest);
    for (const user of this.#users) {
      if (await verifyPassword(token, user.hash)) {
        for (const [key, entry] of this.#cache) if (entry.untilMs <= now) this.#cache.delete(key);
        this.#cache.set(digest, { user, untilMs: now + CACHE_MS });
        return user;
      }
    }
    return undefined;
  }
}
