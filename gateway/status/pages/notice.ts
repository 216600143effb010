/**
 * The outcome of a form post, shown once on the page it redirects to. Kept
 * in memory under a random id (`?notice=<id>`) rather than in the URL, so a
 * link cannot make the page say something the gateway did not.
 */
import { randomBytes } from 'node:crypto';

export interface Notice {
  ok: boolean;
  message: string;
  /** The message is another component's words, shown as said (not the page's language). */
  quoted?: boolean;
}

const KEEP_MS = 10 * 60_000;
const MAX = 200;

export class Notices {
  readonly #notices = new Map<string, Notice & { until: number }>();

  add(notice: Notice, now = Date.now()): string {
    for (const [id, n] of this.#notices) if (n.until < now || this.#notices.size >= MAX) this.#notices.delete(id);
    const id = randomBytes(9).toString('base64url');
    this.#notices.set(id, { ...notice, until: now + KEEP_MS });
    return id;
  }

  get(id: string | undefined, now = Date.now()): Notice | null {
    if (!id) return null;
    const n = this.#notices.get(id);
    if (!n || n.until < now) return null;
    return { ok: n.ok, message: n.message, ...(n.quoted ? { quoted: true } : {}) };
  }
}
