/**
 * Applies configuration bundles safely (DESIGN invariant 7, platform-api.md
 * section 4): one at a time, whichever way they arrive. Verify (verify.ts),
 * try on the real local systems (trial.ts), swap the runtime, record the
 * outcome, tell the platform at once, then watch a probation period: a
 * source that worked before and fails now rolls the bundle back. Any
 * failure before the swap leaves the running configuration untouched.
 */
import type { Logger } from 'pino';
import type { Secrets } from '../../config/secrets.js';
import type { SecretBindings } from '../../config/secret-bindings.js';
import type { LocalPaths } from '../../config/local-paths.js';
import type { Store } from '../store/store.js';
import type { ConfigOutcomeView, ConfigView } from './config-view.js';
import type { ApplyOutcome, Bundle, BundleProblem, BundleVia, StoredBundle } from './contract.js';
import { applyProblem, joinProblems } from './apply-errors.js';
import { syncJobIdentities } from './identities.js';
import { diffRuntime, type RunConfig } from './runtime-diff.js';
import type { Runtime } from './runtime.js';
import { tryConfiguration, type TrialDeps } from './trial.js';
import { verifyEnvelope } from './verify.js';

export interface ControllerOptions {
  gatewayId: string;
  /** PEM of the credit center's public key; null when none is configured (every bundle is refused). */
  publicKeyPem: string | null;
  allowOlderVersion: boolean;
  trialRows: number;
  probationSecs: number;
  store: Store;
  logger: Logger;
  /** The local file's sources and jobs: where a rollback returns when no earlier bundle is left. */
  localConfig: RunConfig;
  /** Reads the local secrets again and makes them the gateway's; throws when the secrets file cannot be read. */
  reloadSecrets: () => Secrets;
  /** The runtime in effect. */
  current: () => Runtime;
  /** A runtime for a configuration (throws ConfigError when its jobs name what the catalog lacks). */
  build: (config: RunConfig, version: number) => Runtime;
  /** Makes a runtime the one in effect (status, heartbeat, runJob). */
  install: (runtime: Runtime) => void;
  /** Whether runtimes run their schedules and drop folders. */
  schedule: boolean;
  trialDeps: () => TrialDeps;
  /** Sends a heartbeat now, so the platform learns an outcome without waiting for the interval. */
  beat: () => Promise<unknown>;
  /** The issuedAt of the bundle in effect at start, if one is. */
  issuedAt?: string | null;
  /** Every outcome once stored (for events and metrics). */
  onOutcome?: (outcome: ApplyOutcome) => void;
  /** How often probation looks at the sources, ms (default 250). */
  probationPollMs?: number;
}

/** The offer's identity: the same bytes signed the same way, offered again. */
function offerKey(envelope: unknown): string | null {
  if (typeof envelope !== 'object' || envelope === null) return null;
  const e = envelope as Record<string, unknown>;
  return typeof e.signature === 'string' ? `${String(e.version)}:${e.signature}` : null;
}

function claimedVersion(envelope: unknown): number {
  const v = typeof envelope === 'object' && envelope !== null ? (envelope as Record<string, unknown>).version : undefined;
  return Number.isSafeInteger(v) ? (v as number) : 0;
}

const view = (o: ApplyOutcome): ConfigOutcomeView => ({ version: o.version, status: o.status, message: o.message, at: o.at, via: o.via });

export class Controller {
  readonly #o: ControllerOptions;
  readonly #log: Logger;
  /** Offers seen, by version and signature: the platform offers the same bundle with every heartbeat until it learns the outcome. */
  readonly #handled = new Map<string, Promise<ApplyOutcome>>();
  #queue: Promise<unknown> = Promise.resolve();
  #probation: AbortController | null = null;
  #probationDone: Promise<void> = Promise.resolve();
  #issuedAt: string | null;
  #stopped = false;

  constructor(options: ControllerOptions) {
    this.#o = options;
    this.#log = options.logger.child({ component: 'control' });
    this.#issuedAt = options.issuedAt ?? null;
    const current = options.store.currentBundle();
    if (current && options.current().version === current.version) {
      const outcome: ApplyOutcome = { version: current.version, status: 'applied', message: 'running', at: current.appliedAt, via: 'startup' };
      this.#handled.set(`${current.version}:${current.signature}`, Promise.resolve(outcome));
    }
  }

  /**
   * Verifies, tries and applies a signed envelope; the outcome is stored,
   * logged and reported in the following heartbeats. An offer from the
   * heartbeat of a bundle already being applied or decided is not decided
   * again: the earlier outcome is returned.
   */
  offer(envelope: unknown, via: BundleVia): Promise<ApplyOutcome> {
    const key = offerKey(envelope);
    const earlier = key ? this.#handled.get(key) : undefined;
    if (via === 'heartbeat' && earlier) return earlier;
    const run = this.#queue.then(() => this.#apply(envelope, via));
    this.#queue = run.catch(() => undefined);
    if (key) this.#handled.set(key, run);
    return run;
  }

  /** Waits for the apply in progress and the probation after it (tests, shutdown). */
  async settled(): Promise<void> {
    await this.#queue;
    await this.#probationDone;
    await this.#queue;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#probation?.abort();
    await this.#queue.catch(() => undefined);
    await this.#probationDone;
  }

  /** What the status page shows of the configuration in effect and the bundles tried. */
  configView(): ConfigView {
    const { store } = this.#o;
    const version = this.#o.current().version;
    const last = store.lastBundleOutcome();
    return {
      version,
      source: version > 0 ? 'bundle' : 'file',
      appliedAt: version > 0 ? (store.currentBundle()?.appliedAt ?? null) : null,
      issuedAt: version > 0 ? this.#issuedAt : null,
      publicKey: this.#o.publicKeyPem !== null,
      lastOutcome: last && view(last),
      history: store.bundleHistory(20).map(view),
    };
  }

  async #apply(envelope: unknown, via: BundleVia): Promise<ApplyOutcome> {
    const o = this.#o;
    // A newer offer ends the watch over the last one: it worked long enough to be replaced on purpose.
    this.#probation?.abort();
    await this.#probationDone;
    const reject = (version: number, problems: BundleProblem[]) =>
      this.#finish({ version, status: 'rejected', message: joinProblems(problems), at: new Date().toISOString(), via });
    if (!o.publicKeyPem) return reject(claimedVersion(envelope), [applyProblem('CONTROL_NO_PUBLIC_KEY', 'no credit center public key is configured (control.publicKeyFile): every bundle is refused')]);
    let secrets: Secrets;
    try {
      secrets = o.reloadSecrets();
    } catch (err) {
      const e = err as { code?: string; message: string };
      return reject(claimedVersion(envelope), [{ code: e.code ?? 'CONFIG_SECRETS_FILE_INVALID', message: e.message }]);
    }
    const old = o.current();
    const verified = verifyEnvelope(envelope, {
      publicKeyPem: o.publicKeyPem, gatewayId: o.gatewayId, runningVersion: old.version,
      allowOlderVersion: o.allowOlderVersion, hasSecret: (name) => secrets.has(name), bindings: o.trialDeps().bindings, paths: o.trialDeps().paths,
    });
    if (!verified.ok) return reject(verified.version ?? claimedVersion(envelope), verified.problems);
    const { bundle, bytes } = verified;
    if (verified.override) {
      this.#log.warn({ version: bundle.version, running: old.version, via }, 'control.allowOlderVersion let a bundle that is not newer than the running one through');
    }
    const next: RunConfig = { sources: bundle.sources, jobs: bundle.jobs, profiles: bundle.profiles ?? [] };
    const problems = await tryConfiguration(old.config, next, o.trialRows, o.trialDeps());
    if (problems.length > 0) return reject(bundle.version, problems);
    let runtime: Runtime;
    try {
      runtime = o.build(next, bundle.version);
    } catch (err) {
      return reject(bundle.version, [applyProblem('CONTROL_TRIAL_CONFIG', (err as Error).message)]);
    }
    const okBefore = [...old.sourceStates()].filter(([, state]) => state === 'ok').map(([name]) => name);
    const changedJobs = diffRuntime(old.config, next).changedJobs;
    const swappedAt = Date.now();
    try {
      await this.#swap(old, runtime);
    } catch (err) {
      this.#log.error({ err, version: bundle.version }, 'the new configuration could not be started; going back to the one before');
      await this.#swap(o.current(), o.build(old.config, old.version)).catch((e: unknown) => this.#log.error({ err: e }, 'going back failed too'));
      return reject(bundle.version, [applyProblem('CONTROL_SWAP_FAILED', (err as Error).message)]);
    }
    this.#issuedAt = bundle.issuedAt;
    const outcome = this.#finish(
      { version: bundle.version, status: 'applied', message: `applied: ${describeChange(old.config, next)}`, at: new Date().toISOString(), via },
      { bytes, signature: (envelope as { signature: string }).signature },
    );
    this.#watch(runtime, okBefore, changedJobs, swappedAt, via);
    return outcome;
  }

  /**
   * Stops the old runtime (schedules, folders, runs in progress finish their
   * page), closes the sources that changed or went away, hands the rest over
   * open and starts the new one. Queued records are not touched.
   */
  async #swap(old: Runtime, next: Runtime): Promise<void> {
    const changed = new Set(diffRuntime(old.config, next.config).changedSources);
    const keep = new Set(next.config.sources.filter((s) => !changed.has(s.name)).map((s) => s.name));
    await old.stop(keep);
    await old.closeSources(keep);
    next.adopt(old, keep);
    syncJobIdentities(this.#o.store, next.config, this.#log);
    this.#o.install(next);
    await next.start(this.#o.schedule);
  }

  /** Probation: each changed job runs once at once; a source that was ok before and fails now rolls back. */
  #watch(runtime: Runtime, okBefore: string[], changedJobs: string[], since: number, via: BundleVia): void {
    const o = this.#o;
    const abort = new AbortController();
    this.#probation = abort;
    const jobs = changedJobs.filter((name) => runtime.config.jobs.some((j) => j.name === name && j.enabled));
    for (const name of jobs) void runtime.scheduler.runNow(name).catch(() => undefined);
    const deadline = since + o.probationSecs * 1000;
    const succeeded = () => {
      const states = new Map(o.store.jobStates().map((s) => [s.job, s.lastSuccessAt]));
      return jobs.every((name) => {
        const at = states.get(name);
        return at !== null && at !== undefined && Date.parse(at) >= since;
      });
    };
    this.#probationDone = (async () => {
      while (!abort.signal.aborted && !this.#stopped && o.current() === runtime) {
        const failing = okBefore.find((name) => runtime.sourceStates().get(name) === 'error');
        if (failing) {
          const rollback = this.#queue.then(() => this.#rollback(runtime, failing, via));
          this.#queue = rollback.catch((err: unknown) => this.#log.error({ err }, 'rollback failed'));
          return;
        }
        if (succeeded()) {
          this.#log.info({ version: runtime.version, jobs }, 'probation passed: every changed job has run successfully');
          return;
        }
        if (Date.now() >= deadline) {
          this.#log.info({ version: runtime.version }, 'probation over');
          return;
        }
        await sleep(o.probationPollMs ?? 250, abort.signal);
      }
    })();
  }

  async #rollback(failed: Runtime, sourceName: string, via: BundleVia): Promise<void> {
    const o = this.#o;
    if (o.current() !== failed || this.#stopped) return;
    const error = failed.sourceView(sourceName)?.lastError;
    const version = failed.version;
    const previous = o.store.previousBundle(version);
    const target = (previous && this.verifyStored(previous)) || null;
    const config: RunConfig = target ? { sources: target.sources, jobs: target.jobs, profiles: target.profiles ?? [] } : o.localConfig;
    const targetVersion = target?.version ?? 0;
    await this.#swap(failed, o.build(config, targetVersion));
    this.#issuedAt = target?.issuedAt ?? null;
    const at = new Date().toISOString();
    o.store.markBundleRolledBack(version, at);
    const back = target ? `version ${targetVersion} runs again` : 'the local configuration file runs again';
    const reason = error ? `${error.code}: ${error.message}` : 'error';
    this.#finish({ version, status: 'rolled_back', message: `source "${sourceName}" worked before and failed after the swap (${reason}); ${back}`, at, via });
    // Jobs read again from where the configuration they run now left off.
    for (const job of o.current().config.jobs) if (job.enabled) void o.current().scheduler.runNow(job.name).catch(() => undefined);
  }

  verifyStored(stored: StoredBundle): Bundle | null {
    const o = this.#o;
    const deps = o.trialDeps();
    const secrets = deps.secrets();
    return verifyStoredBundle(stored, { publicKeyPem: o.publicKeyPem, gatewayId: o.gatewayId, hasSecret: (n) => secrets.has(n), bindings: deps.bindings, paths: deps.paths }, this.#log);
  }

  #finish(outcome: ApplyOutcome, applied?: { bytes: Buffer; signature: string }): ApplyOutcome {
    this.#o.store.recordBundleOutcome(outcome, applied);
    this.#o.onOutcome?.(outcome);
    const fields = { version: outcome.version, status: outcome.status, via: outcome.via, message: outcome.message };
    if (outcome.status === 'applied') this.#log.info(fields, 'configuration bundle applied');
    else if (outcome.status === 'rejected') this.#log.warn(fields, 'configuration bundle rejected; the running configuration is unchanged');
    else this.#log.error(fields, 'configuration bundle rolled back');
    if (!this.#stopped) {
      const timer = setTimeout(() => void this.#o.beat().catch(() => undefined), 0);
      timer.unref();
    }
    return outcome;
  }
}

/**
 * A bundle kept in the store, verified again with the configured key (the
 * key may have changed since); null, logged, when it no longer verifies.
 * Its version is not compared: it is the one that ran.
 */
export function verifyStoredBundle(
  stored: StoredBundle,
  ctx: { publicKeyPem: string | null; gatewayId: string; hasSecret: (name: string) => boolean; bindings: SecretBindings; paths: LocalPaths },
  logger: Logger,
): Bundle | null {
  if (!ctx.publicKeyPem) {
    logger.error({ version: stored.version }, 'a bundle is stored but no public key is configured (control.publicKeyFile): running the local configuration file');
    return null;
  }
  const result = verifyEnvelope(
    { version: stored.version, bundle: stored.bytes.toString('base64'), signature: stored.signature },
    { publicKeyPem: ctx.publicKeyPem, gatewayId: ctx.gatewayId, runningVersion: stored.version, allowOlderVersion: true, hasSecret: ctx.hasSecret, bindings: ctx.bindings, paths: ctx.paths },
  );
  if (result.ok) return result.bundle;
  logger.error({ version: stored.version, problems: joinProblems(result.problems) }, 'the stored bundle no longer verifies: running the local configuration file');
  return null;
}

/** What an apply changed, in a few words for the log and the platform. */
function describeChange(previous: RunConfig, next: RunConfig): string {
  const diff = diffRuntime(previous, next);
  return `${diff.changedSources.length} source(s) and ${diff.changedJobs.length} job(s) new or changed`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
