import { createHash } from 'node:crypto';
import type { StatusUser } from './contract.js';
import { verifyPassword } from './password.js';

const CACHE_MS = 60_000;
const WINDOW_MS = 60_000;

export type BearerCheck = { user: StatusUser } | { refused: 'invalid' | 'limited' };

/**
 * `Authorization: Bearer <token>` for scripts: the token is checked against
 * every user's scrypt hash. scrypt costs ~50 ms, so a token that matched is
 * remembered for a minute, by its sha256 (the token itself is not kept);
 * a client whose tokens failed `failuresPerMinute` times is refused without
 * checking for the rest of the minute, so guessing is as slow as at the
 * login form and cannot keep the CPU busy.
 */
export class BearerTokens {
  readonly #users: readonly StatusUser[];
  readonly #now: () => number;
  readonly #failuresPerMinute: number;
  readonly #cache = new Map<string, { user: StatusUser; untilMs: number }>();
  readonly #failures = new Map<string, { count: number; untilMs: number }>();

  constructor(users: readonly StatusUser[], failuresPerMinute: number, now: () => number = Date.now) {
    this.#users = users;
    this.#failuresPerMinute = failuresPerMinute;
    this.#now = now;
  }

  async check(token: string, client: string): Promise<BearerCheck> {
    const digest = createHash('sha256').update(token).digest('base64');
    const now = this.#now();
    const cached = this.#cache.get(digest);
    if (cached && cached.untilMs > now) return { user: cached.user };
    this.#cache.delete(digest);

    const failures = this.#failures.get(client);
    if (failures && failures.untilMs > now && failures.count >= this.#failuresPerMinute) return { refused: 'limited' };
    for (const user of this.#users) {
      if (await verifyPassword(token, user.hash)) {
        this.#forgetExpired(now);
        this.#cache.set(digest, { user, untilMs: now + CACHE_MS });
        return { user };
      }
    }
    this.#forgetExpired(now);
    const entry = this.#failures.get(client) ?? { count: 0, untilMs: now + WINDOW_MS };
    entry.count += 1;
    this.#failures.set(client, entry);
    return { refused: 'invalid' };
  }

  #forgetExpired(now: number): void {
    for (const [key, entry] of this.#cache) if (entry.untilMs <= now) this.#cache.delete(key);
    for (const [key, entry] of this.#failures) if (entry.untilMs <= now) this.#failures.delete(key);
  }
}
