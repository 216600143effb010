import { Secrets } from '../../config/secrets.js';

/**
 * The local secrets read again (a secret set after start counts), over the
 * ones the gateway started with (which may have come from elsewhere than
 * the file and environment, e.g. a test's).
 */
export class LayeredSecrets extends Secrets {
  readonly #fresh: Secrets;
  readonly #base: Secrets;

  constructor(fresh: Secrets, base: Secrets) {
    super({});
    this.#fresh = fresh;
    this.#base = base;
  }

  override has(name: string): boolean {
    return this.#fresh.has(name) || this.#base.has(name);
  }

  override get(name: string, path: string): string {
    return this.#fresh.has(name) ? this.#fresh.get(name, path) : this.#base.get(name, path);
  }
}
