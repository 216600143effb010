/**
 * The composition root: builds the whole object graph from one validated
 * configuration and runs it until stop(). Nothing else reads configuration
 * or creates long-lived components.
 *
 * Store, platform client, deliverer, heartbeat and status server live for
 * the whole process; what `sources` and `jobs` build (control/runtime.ts)
 * lives for one configuration, swapped when a signed bundle is applied.
 * The configuration in effect is the local file's with `sources` and
 * `jobs` replaced by the current bundle's.
 */
import { keepHeapsSmall } from './heap.js';
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/load.js';
import { resolvePath } from '../config/load.js';
import { Secrets } from '../config/secrets.js';
import { SecretBindings } from '../config/secret-bindings.js';
import { LocalPaths } from '../config/local-paths.js';
import { loadCatalog, type Catalog } from './catalog/index.js';
import { Deliverer } from './delivery/deliverer.js';
import { WireThread, type PlatformLink } from './delivery/wire-thread.js';
import { Heartbeat } from './delivery/heartbeat.js';
import type { RunSummary } from './jobs/runner.js';
import type { TriggerKind } from './jobs/scheduler.js';
import { loadStandards, type Standards } from './standards/index.js';
import type { FileCategory } from './files/index.js';
import { fileCategory } from './files/template-category.js';
import type { Store } from './store/store.js';
import type { DataFolder } from './store/data-folder.js';
import { openDataFolderUpgrading } from './store/upgrade.js';
import { preparePrivateFolder } from './store/private-files.js';
import { storeCipher } from './store/store-keys.js';
import { DiskGuard, diskAwareDeliveryStore, type DiskState } from './store/disk.js';
import { NO_AUDIT, openAuditLog, type Audit } from './observability/audit.js';
import type { ConfigView, StatusSnapshot } from './status/snapshot.js';
import { checkJobs } from './control/job-checks.js';
import { requirePreflight } from './preflight/preflight.js';
import { Runtime, type RunJobOptions, type RuntimeDeps } from './control/runtime.js';
import type { RunConfig } from './control/runtime-diff.js';
import type { ApplyOutcome, BundleVia } from './control/contract.js';
import { Controller } from './control/controller.js';
import { initialRuntime, readPublicKey } from './control/startup.js';
import { BundleFolder } from './control/bundle-folder.js';
import { syncJobIdentities } from './control/identities.js';
import { LayeredSecrets } from './control/layered-secrets.js';
import { EventBus, type GatewayEvent } from './observability/events.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { logEvents } from './observability/log-events.js';
import { RecentFiles } from './files/recent-files.js';
import { gatewaySnapshot, gauges, heartbeatBody } from './gateway-report.js';
import { statusServer, type StatusApp, type StatusParts } from './gateway-status.js';
import { join } from 'node:path';

export interface GatewayOptions {
  logger: Logger;
  softwareVersion: string;
  demo?: boolean;
  catalog?: Catalog;
  /** Start jobs on their schedules (false for `credit-gateway run`). */
  schedule?: boolean;
  /** Serve the status page (false for `credit-gateway run`). */
  serveStatus?: boolean;
  /** Deliver to the platform and send heartbeats (false for `credit-gateway run --no-deliver`). */
  deliver?: boolean;
}

export class Gateway {
  readonly #loaded: LoadedConfig;
  readonly #options: GatewayOptions;
  readonly #logger: Logger;
  readonly #catalog: Catalog;
  readonly #standards: Standards;
  readonly #store: Store;
  readonly #dataFolder: DataFolder;
  /** Settles when the first heartbeat of this process was answered or failed: jobs and delivery wait for its lastSeq. */
  readonly #firstHeartbeat: Promise<void>;
  #heartbeatSettled: () => void = () => undefined;
  /** Room on disk for the store: pauses reading, keeps acknowledgements recordable, checkpoints the WAL. */
  readonly #disk: DiskGuard;
  /** One FileCategory per catalog code a dropped file named, built on first use (null: not in the catalog). */
  readonly #fileCategories = new Map<string, FileCategory | null>();
  readonly #client: PlatformLink;
  readonly #deliverer: Deliverer;
  readonly #heartbeat: Heartbeat;
  readonly #startedAt = new Date().toISOString();
  #secrets: Secrets;
  /** From the local file only: no bundle changes where a secret may go. */
  readonly #bindings: SecretBindings;
  /** From the local file only: no bundle changes which local files and folders a source may name. */
  readonly #paths: LocalPaths;
  #runtime: Runtime;
  readonly #controller: Controller;
  readonly #bundleFolder: BundleFolder | null;
  #statusApp: StatusApp | null = null;
  #statusUrl: string | null = null;
  /** Logs and metrics count the same facts: every component reports here. */
  readonly #bus: EventBus;
  readonly #metrics: Metrics;
  readonly #recentFiles = new RecentFiles();
  /** Opened at start: who did what, in a file of its own. */
  #audit: Audit = NO_AUDIT;
  /** What the status page, the heartbeat and the metrics read of the gateway (gateway-report.ts, gateway-status.ts). */
  readonly #parts: StatusParts;

  private constructor(loaded: LoadedConfig, options: GatewayOptions, dataFolder: DataFolder) {
    const { config, secrets, baseDir } = loaded;
    this.#loaded = loaded;
    this.#options = options;
    this.#logger = options.logger;
    this.#secrets = secrets;
    this.#bindings = new SecretBindings(config);
    this.#paths = new LocalPaths(config, baseDir);
    this.#bus = new EventBus((err, event) => this.#logger.error({ err, event: event.type }, 'an event listener failed'));
    logEvents(this.#bus, this.#logger.child({ component: 'events' }));
    this.#catalog = options.catalog ?? loadCatalog();
    // A seed the gateway cannot trust stops it here (StandardsError: its code, the file and member, and what to do).
    this.#standards = loadStandards();
    // The local file's jobs are checked even when a bundle replaces them: they are what a rollback returns to.
    checkJobs(config.jobs, this.#catalog, this.#standards, this.#logger);

    this.#dataFolder = dataFolder;
    this.#store = dataFolder.store;
    this.#firstHeartbeat = new Promise((resolve) => (this.#heartbeatSettled = resolve));
    const dataDir = resolvePath(baseDir, config.gateway.dataDir);
    this.#disk = new DiskGuard({
      dataDir,
      store: this.#store,
      limits: { minFreeBytes: config.store.minFreeMiB * MIB, maxStoreBytes: config.store.maxSizeMiB === undefined ? null : config.store.maxSizeMiB * MIB },
      reserveBytes: config.store.reserveMiB * MIB,
      logger: this.#logger.child({ component: 'disk' }),
      onChange: (d, was) => this.#bus.emit({ type: 'disk_pressure', paused: d.paused, reason: d.reason, was, code: d.code, freeBytes: d.freeBytes, storeBytes: d.storeBytes }),
    });
    // The queue drained: the moment a checkpoint can empty the WAL and the outbox's free pages go back to the disk.
    this.#bus.subscribe((e) => {
      if (e.type === 'batch_delivered' && !this.#store.hasPending()) this.#disk.drained();
    });

    const p = config.platform;
    this.#client = new WireThread({
      url: p.url,
      gatewayId: config.gateway.id,
      secret: secrets.get(p.secretRef, 'platform.secretRef'),
      algorithm: p.algorithm,
      gzip: p.gzip,
      timeoutMs: p.timeoutMs,
      caFile: p.caFile && resolvePath(baseDir, p.caFile),
      clientCertFile: p.clientCertFile && resolvePath(baseDir, p.clientCertFile),
      clientKeyFile: p.clientKeyFile && resolvePath(baseDir, p.clientKeyFile),
      logger: this.#logger.child({ component: 'platform' }),
    });
    this.#deliverer = new Deliverer({
      store: diskAwareDeliveryStore(this.#store, this.#disk, this.#logger.child({ component: 'delivery' })),
      client: this.#client,
      limits: { maxRecords: p.batchMaxRecords, maxBytes: p.batchMaxBytes },
      backoff: { baseMs: p.backoffBaseMs, maxMs: p.backoffMaxMs },
      authRetryMs: p.authRetrySecs * 1000,
      logger: this.#logger.child({ component: 'delivery' }),
      onEvent: (event) => this.#bus.emit(event),
    });
    this.#heartbeat = new Heartbeat({
      client: this.#client,
      intervalSecs: p.heartbeatIntervalSecs,
      collect: () => heartbeatBody(this.#parts),
      onResponse: (reply) => {
        // Above the highest seq the platform holds from us, whatever this machine's clock or store say.
        if (reply.lastSeq !== undefined) this.#store.raiseSeq(reply.lastSeq);
        this.#heartbeatSettled();
        if (reply.config !== null) void this.#controller.offer(reply.config, 'heartbeat').catch((err: unknown) => this.#logger.error({ err }, 'applying the offered bundle failed'));
      },
      onResult: (r) => {
        if (!r.ok) this.#heartbeatSettled();
        this.#bus.emit({ type: 'heartbeat', ok: r.ok, clockOffsetMs: r.clockOffsetMs });
      },
      logger: this.#logger.child({ component: 'heartbeat' }),
    });
    this.#metrics = createMetrics({ bus: this.#bus, gauges: () => gauges(this.#parts) });
    const publicKeyPem = readPublicKey(config.control, baseDir, this.#logger);
    const local: RunConfig = { sources: config.sources, jobs: config.jobs };
    const first = initialRuntime({
      stored: this.#store.currentBundle(),
      local,
      verify: { publicKeyPem, gatewayId: config.gateway.id, hasSecret: (n) => this.#secrets.has(n), bindings: this.#bindings, paths: this.#paths },
      build: (c, version) => new Runtime(c, version, this.#runtimeDeps()),
      logger: this.#logger,
    });
    this.#runtime = first.runtime;
    syncJobIdentities(this.#store, this.#runtime.config, this.#logger);
    this.#controller = new Controller({
      gatewayId: config.gateway.id,
      publicKeyPem,
      allowOlderVersion: config.control.allowOlderVersion,
      trialRows: config.control.trialRows,
      probationSecs: config.control.probationSecs,
      store: this.#store,
      logger: this.#logger,
      localConfig: local,
      reloadSecrets: () => this.#reloadSecrets(),
      current: () => this.#runtime,
      build: (c, version) => new Runtime(c, version, this.#runtimeDeps()),
      install: (runtime) => {
        this.#runtime = runtime;
      },
      schedule: options.schedule !== false,
      trialDeps: () => this.#runtimeDeps(),
      beat: () => (options.deliver !== false ? this.#heartbeat.beat() : Promise.resolve(false)),
      issuedAt: first.issuedAt,
      onOutcome: (o) => {
        this.#bus.emit({ type: 'config_outcome', version: o.version, status: o.status, via: o.via });
        // Who put an admin bundle is recorded by the status page (bundle.put); this is what came of it, by any path.
        this.#audit.record({ action: 'bundle', user: BUNDLE_ACTOR[o.via], via: o.via, target: `version ${o.version}`, outcome: o.status, detail: o.message });
      },
    });
    this.#bundleFolder = options.schedule !== false
      ? new BundleFolder({ root: resolvePath(baseDir, config.control.bundleFolder), offer: (e, via) => this.#controller.offer(e, via), logger: this.#logger })
      : null;
    this.#parts = {
      loaded,
      softwareVersion: options.softwareVersion,
      startedAt: this.#startedAt,
      demo: options.demo ?? false,
      catalog: this.#catalog,
      standards: this.#standards,
      store: this.#store,
      runtime: () => this.#runtime,
      deliverer: this.#deliverer,
      heartbeat: this.#heartbeat,
      client: this.#client,
      disk: this.#disk,
      recentFiles: this.#recentFiles,
      configView: () => this.configView(),
      secrets: () => this.#secrets,
      bindings: this.#bindings,
      paths: this.#paths,
      metrics: this.#metrics,
      applyBundle: (envelope, via) => this.applyBundle(envelope, via),
      logger: this.#logger,
    };
  }

  /** The secrets file and environment read again, over the secrets the gateway started with. */
  #reloadSecrets(): Secrets {
    const { config, baseDir } = this.#loaded;
    const fresh = Secrets.load({ file: config.secrets.file ? resolvePath(baseDir, config.secrets.file) : undefined, env: process.env });
    this.#secrets = new LayeredSecrets(fresh, this.#loaded.secrets);
    return this.#secrets;
  }

  /**
   * Verifies, tries and applies a signed bundle envelope (the admin API's
   * `PUT`); resolves with the outcome, also stored and reported in the next
   * heartbeat.
   */
  applyBundle(envelope: unknown, via: BundleVia): Promise<ApplyOutcome> {
    return this.#controller.offer(envelope, via);
  }

  /** Waits until the bundle being applied, and the probation after it, are done. */
  async configSettled(): Promise<void> {
    await this.#controller.settled();
  }

  configView(): ConfigView {
    return this.#controller.configView();
  }

  /** Builds the gateway and starts delivery, heartbeat, schedules and the status page. */
  static async start(loaded: LoadedConfig, options: GatewayOptions): Promise<Gateway> {
    keepHeapsSmall();
    const dataDir = resolvePath(loaded.baseDir, loaded.config.gateway.dataDir);
    // Everything `config check` refuses, all at once, before anything opens (gateway/preflight).
    requirePreflight(loaded, { serveStatus: options.serveStatus !== false, ...(options.catalog ? { catalog: options.catalog } : {}) });
    // Private (0700 folder, 0600 files, refused when looser) and, with store.encryption, sealed at rest.
    preparePrivateFolder(dataDir);
    const cipher = storeCipher(loaded.config.store.encryption, loaded.secrets);
    // start and run deliver, so they hold the folder's lock; `run --no-deliver` only adds pages, beside a running gateway.
    const lockFor = options.schedule !== false ? 'start' : options.deliver !== false ? 'run' : null;
    // An older store is copied to backups/ before its migration (upgrade.ts): the release before stays a way back.
    const dataFolder = await openDataFolderUpgrading(dataDir, { logger: options.logger, lockFor, cipher });
    let gateway: Gateway;
    try {
      gateway = new Gateway(loaded, options, dataFolder);
    } catch (err) {
      // The lock too: a gateway that could not be built must not keep the next one out.
      dataFolder.close();
      throw err;
    }
    try {
      await gateway.#start();
    } catch (err) {
      await gateway.stop();
      throw err;
    }
    return gateway;
  }

  #runtimeDeps(): RuntimeDeps {
    const { config, baseDir } = this.#loaded;
    return {
      gatewayId: config.gateway.id,
      baseDir,
      secrets: () => this.#secrets,
      bindings: this.#bindings,
      paths: this.#paths,
      catalog: this.#catalog,
      standards: this.#standards,
      store: this.#store,
      scheduling: config.scheduling,
      fileCategory: (code) => this.#fileCategory(code),
      localProfiles: config.profiles,
      // Undefined only while the first runtime is built, before any file is read.
      currentProfiles: (source) => this.#runtime?.profilesFor(source) ?? [],
      wake: () => this.#deliverer.wake(),
      emit: (event) => this.#bus.emit(event),
      fileOutcome: (source, job, outcome) => this.#recentFiles.outcome(source, job, outcome, new Date().toISOString()),
      disk: this.#disk,
      logger: this.#logger,
    };
  }

  async #start(): Promise<void> {
    const { config, baseDir } = this.#loaded;
    const status = config.status;
    const auditFile = status.auditFile ? resolvePath(baseDir, status.auditFile) : join(resolvePath(baseDir, config.gateway.dataDir), 'audit.log');
    this.#audit = openAuditLog(auditFile, (err) => this.#logger.error({ err, file: auditFile }, 'the audit log cannot be written: logins and actions go unrecorded until it can (free disk space)'));
    if (this.#options.serveStatus !== false) {
      const server = await statusServer(this.#parts, this.#audit);
      this.#statusApp = server.app;
      this.#statusUrl = await server.listen();
    }
    this.#disk.start();
    if (this.#options.deliver !== false) {
      this.#heartbeat.start();
      // Its lastSeq raises the seq counter before this process queues or sends anything (a failed one does not hold things up).
      await this.#firstHeartbeat;
      this.#deliverer.start();
    }
    await this.#runtime.start(this.#options.schedule !== false);
    await this.#bundleFolder?.start();
    this.#logger.info({ gatewayId: config.gateway.id, jobs: this.#runtime.config.jobs.length, folders: this.#runtime.folderCount, status: this.#statusUrl }, 'gateway started');
  }

  get statusUrl(): string | null {
    return this.#statusUrl;
  }

  get store(): Store {
    return this.#store;
  }

  /** Room on disk for the store, measured now: whether reading is paused, and why in words. */
  diskState(): DiskState {
    return this.#disk.check();
  }

  /**
   * One run of a job of the configuration in effect (see Runtime.runJob): a
   * failure puts the source in error with the reason and leaves the cursor
   * at the last committed page.
   */
  async runJob(name: string, kind: TriggerKind = 'regular', options: RunJobOptions = {}): Promise<RunSummary> {
    return this.#runtime.runJob(name, kind, options);
  }

  /** Sends what is queued now and waits until the queue is empty or an attempt fails. */
  async flush(): Promise<{ pending: number; reason: string | null }> {
    const { pending } = await this.#deliverer.flush();
    const error = this.#deliverer.state().lastError;
    return { pending, reason: pending > 0 && error ? `${error.code}: ${error.message}` : null };
  }

  /**
   * For a one-shot run: sends what is queued and stops at the first failed
   * attempt (Deliverer.drain); failure says why records are left.
   */
  async deliverOnce(): Promise<{ pending: number; failure: { code: string; message: string } | null }> {
    return this.#deliverer.drain();
  }

  /** What happens, as it happens (pages committed, batches delivered or refused): the CLI's progress and run summary listen here. */
  subscribe(listener: (event: GatewayEvent) => void): () => void {
    return this.#bus.subscribe(listener);
  }

  snapshot(): StatusSnapshot {
    return gatewaySnapshot(this.#parts);
  }

  /**
   * Stops every part, each even when one before it failed (a part left
   * running keeps timers on a folder that may be gone next), then throws the
   * first failure.
   */
  async stop(): Promise<void> {
    const failures: unknown[] = [];
    const step = async (part: () => unknown) => {
      try {
        await part();
      } catch (err) {
        failures.push(err);
      }
    };
    await step(() => this.#bundleFolder?.stop());
    // Undefined when the constructor failed before the controller was built.
    await step(() => this.#controller?.stop());
    await step(() => this.#runtime.stop());
    await step(() => this.#heartbeat.stop());
    await step(() => this.#deliverer.stop());
    await step(() => this.#statusApp?.close());
    await step(() => this.#runtime.closeSources());
    await step(() => this.#client.close());
    await step(() => this.#disk?.stop());
    await step(() => this.#dataFolder.close());
    await step(() => this.#audit.close());
    if (failures.length > 0) {
      this.#logger.error({ err: failures[0], failures: failures.length }, 'gateway stopped, but not every part stopped cleanly');
      throw failures[0];
    }
    this.#logger.info('gateway stopped');
  }

  /** The category a dropped file's name stands for, from the catalog and its data standard. */
  #fileCategory(code: string): FileCategory | null {
    const upper = code.toUpperCase();
    if (!this.#fileCategories.has(upper)) {
      const category = this.#catalog.byCode(upper);
      this.#fileCategories.set(upper, category ? fileCategory(category.code, this.#standards.standardFor(category)) : null);
    }
    return this.#fileCategories.get(upper)!;
  }
}

/** Who brought a bundle, for the audit log: an admin's name is on the status page's bundle.put line. */
const BUNDLE_ACTOR: Record<BundleVia, string | null> = { heartbeat: 'platform', folder: 'bundle folder', admin: null, startup: null };

const MIB = 1024 * 1024;