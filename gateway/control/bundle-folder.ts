/**
 * The bundle folder, for gateways that cannot reach the platform: a signed
 * envelope file (`*.json`, as `credit-gateway bundle sign` writes it) put
 * into the folder is offered like one from the heartbeat, then moved to
 * applied/ or rejected/ beside a `<name>.result.txt` saying why. Polled,
 * not watched: the folder is often an SMB share, where change events are
 * not delivered. A file is taken once its size stayed the same for one
 * poll, so a copy still in progress is not read half-way. One bad file
 * never stops the folder.
 */
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ApplyOutcome, BundleVia } from './contract.js';

export interface BundleFolderOptions {
  root: string;
  offer: (envelope: unknown, via: BundleVia) => Promise<ApplyOutcome>;
  logger: Logger;
  /** Default 3000 ms. */
  pollMs?: number;
}

export interface BundleFileResult {
  file: string;
  status: ApplyOutcome['status'] | 'unreadable';
  message: string;
}

export class BundleFolder {
  readonly #o: BundleFolderOptions;
  readonly #log: Logger;
  /** Sizes seen at the last poll, by file name. */
  #sizes = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;
  #polling: Promise<void> | null = null;
  #stopped = true;

  constructor(options: BundleFolderOptions) {
    this.#o = options;
    this.#log = options.logger.child({ component: 'bundle-folder', folder: options.root });
  }

  async start(): Promise<void> {
    await mkdir(this.#o.root, { recursive: true });
    this.#stopped = false;
    this.#log.info('bundle folder watched');
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#polling;
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#polling = this.poll()
        .then(() => undefined, (err: unknown) => this.#log.error({ err }, 'the bundle folder could not be read'))
        .finally(() => {
          this.#polling = null;
          this.#schedule(this.#o.pollMs ?? 3000);
        });
    }, ms);
    this.#timer.unref();
  }

  /** One look at the folder: every file whose size held still since the last look is taken, in name order. */
  async poll(): Promise<BundleFileResult[]> {
    const names = (await readdir(this.#o.root, { withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.json'))
      .map((e) => e.name)
      .sort();
    const sizes = new Map<string, number>();
    const results: BundleFileResult[] = [];
    for (const name of names) {
      try {
        const { size } = await stat(join(this.#o.root, name));
        if (this.#sizes.get(name) !== size || size === 0) {
          sizes.set(name, size);
          continue;
        }
        results.push(await this.#take(name));
      } catch (err) {
        this.#log.error({ err, file: name }, 'a bundle file could not be handled; the next one is still taken');
      }
    }
    this.#sizes = sizes;
    return results;
  }

  async #take(name: string): Promise<BundleFileResult> {
    const file = join(this.#o.root, name);
    let envelope: unknown;
    let result: BundleFileResult;
    try {
      envelope = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
    } catch (err) {
      result = { file: name, status: 'unreadable', message: `the file is not a JSON envelope: ${(err as Error).message}` };
      await this.#file(name, 'rejected', result);
      return result;
    }
    const outcome = await this.#o.offer(envelope, 'folder');
    result = { file: name, status: outcome.status, message: outcome.message };
    await this.#file(name, outcome.status === 'applied' ? 'applied' : 'rejected', result, outcome);
    return result;
  }

  async #file(name: string, into: 'applied' | 'rejected', result: BundleFileResult, outcome?: ApplyOutcome): Promise<void> {
    const folder = join(this.#o.root, into);
    await mkdir(folder, { recursive: true });
    let target = name;
    const taken = async (n: string) => stat(join(folder, n)).then(() => true, () => false);
    if (await taken(target)) target = `${name.replace(/\.json$/i, '')}.${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
    const lines = [
      `outcome: ${result.status}`,
      ...(outcome ? [`version: ${outcome.version}`, `at: ${outcome.at}`] : [`at: ${new Date().toISOString()}`]),
      'reasons:',
      ...(result.message ? result.message.split('; ').map((r) => `  ${r}`) : []),
      '',
    ];
    // Reasons may quote values a trial read from a source: readable by the service user only.
    // Written aside and renamed, so whoever watches the folder never reads half a result.
    const resultFile = join(folder, `${target}.result.txt`);
    await writeFile(`${resultFile}.tmp`, lines.join('\n'), { encoding: 'utf8', mode: 0o600 });
    await rename(`${resultFile}.tmp`, resultFile);
    await rename(join(this.#o.root, name), join(folder, target));
    this.#log.info({ file: name, outcome: result.status, into }, 'bundle file handled');
  }
}
