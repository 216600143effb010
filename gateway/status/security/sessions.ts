import { randomBytes } from 'node:crypto';
import type { Role } from './contract.js';

export interface Session {
  id: string;
  name: string;
  role: Role;
  lastSeenMs: number;
}

/**
 * Logins of the status page, in memory: a restart logs everybody out, which
 * is acceptable for a page a few people look at. Ids are 32 random bytes;
 * a session ends after `idleMs` without a request, or at logout.
 */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #idleMs: number;
  readonly #now: () => number;

  constructor(idleMs: number, now: () => number = Date.now) {
    this.#idleMs = idleMs;
    this.#now = now;
  }

  create(name: string, role: Role): Session {
    this.#sweep();
    const session = { id: randomBytes(32).toString('base64url'), name, role, lastSeenMs: this.#now() };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, its idle clock restarted; undefined when unknown or expired. */
  touch(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    const now = this.#now();
    if (now - session.lastSeenMs > this.#idleMs) {
      this.#sessions.delete(id);
      return undefined;
    }
    session.lastSeenMs = now;
    return session;
  }

  destroy(id: string | undefined): void {
    if (id) this.#sessions.delete(id);
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** Expired sessions go when a new one comes, so abandoned logins do not pile up. */
  #sweep(): void {
    const now = this.#now();
    for (const [id, s] of this.#sessions) if (now - s.lastSeenMs > this.#idleMs) this.#sessions.delete(id);
  }
}
