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
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/load.js';
import { resolvePath } from '../config/load.js';
import type { GatewayConfig } from '../config/schema.js';
import { Secrets } from '../config/secrets.js';
import { SecretBindings } from '../config/secret-bindings.js';
import { LocalPaths } from '../config/local-paths.js';
import { gatewayDepartment, loadCatalog, type Catalog } from './catalog/index.js';
import { Deliverer } from './delivery/deliverer.js';
import { PlatformClient } from './delivery/client.js';
import { Heartbeat } from './delivery/heartbeat.js';
import type { RunSummary } from './jobs/runner.js';
import type { TriggerKind } from './jobs/scheduler.js';
import { loadStandards, type Standards } from './standards/index.js';
import type { FileCategory } from './files/index.js';
import { fileCategory } from './files/template-category.js';
import { buildTemplate, templateFileName, templateXlsx } from './templates/index.js';
import { UPLOAD_LIMIT_MIB } from './status/pages/upload.js';
import type { Store } from './store/store.js';
import type { DataFolder } from './store/data-folder.js';
import { openDataFolderUpgrading } from './store/upgrade.js';
import { preparePrivateFolder } from './store/private-files.js';
import { storeCipher } from './store/store-keys.js';
import { DiskGuard, diskAwareDeliveryStore, type DiskState } from './store/disk.js';
import { buildStatusApp } from './status/app.js';
import { isLoopback, securityOptionsFrom } from './status/security/options.js';
import { statusTransport } from './status/security/tls.js';
import { NO_AUDIT, openAuditLog, type Audit } from './observability/audit.js';
import { collectHeartbeat, collectSnapshot } from './status/collect.js';
import type { ConfigView, StatusSnapshot } from './status/snapshot.js';
import { checkJobs } from './control/job-checks.js';
import { requirePreflight } from './preflight/preflight.js';
import { Runtime, type RunJobOptions, type RuntimeDeps } from './control/runtime.js';
import type { RunConfig } from './control/runtime-diff.js';
import type { ApplyOutcome, BundleVia } from './control/contract.js';
import { Controller, verifyStoredBundle } from './control/controller.js';
import { BundleFolder } from './control/bundle-folder.js';
import { syncJobIdentities } from './control/identities.js';
import { LayeredSecrets } from './control/layered-secrets.js';
import { folderJobName } from './control/runtime.js';
import { EventBus, type GatewayEvent } from './observability/events.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { logEvents } from './observability/log-events.js';
import { RecentFiles } from './files/recent-files.js';
import { openReport } from './files/report-file.js';
import { dropFolders } from '../connectors/files/folder-watcher.js';
import { offerProfile } from './profiles/suggest/offer.js';
import type { ProfileOffer } from './profiles/suggest/offer-ref.js';
import { acceptUpload, declareNoData, resendAfterFix } from './status/actions.js';
import { computeCoverage } from './status/coverage.js';
import { probeConfiguration } from './probe/probe.js';
import { coverageInput } from './status/coverage-input.js';
import { queryRejections } from './rejections/query.js';
import type { StatusDeps } from './status/deps.js';
import type { CoverageRow } from './status/snapshot.js';
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
  readonly #client: PlatformClient;
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
  #statusApp: Awaited<ReturnType<typeof buildStatusApp>> | null = null;
  #statusUrl: string | null = null;
  /** Logs and metrics count the same facts: every component reports here. */
  readonly #bus: EventBus;
  readonly #metrics: Metrics;
  readonly #recentFiles = new RecentFiles();
  /** Opened at start: who did what, in a file of its own. */
  #audit: Audit = NO_AUDIT;

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
      if (e.type === 'batch_delivered' && this.#store.queueStats().pending === 0) this.#disk.drained();
    });

    const p = config.platform;
    this.#client = new PlatformClient({
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
      collect: () => this.#heartbeatBody(),
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
    this.#metrics = createMetrics({ bus: this.#bus, gauges: () => this.#gauges() });
    const publicKeyPem = this.#readPublicKey();
    const local: RunConfig = { sources: config.sources, jobs: config.jobs };
    this.#runtime = this.#initialRuntime(local, publicKeyPem);
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
      issuedAt: this.#issuedAt,
      onOutcome: (o) => {
        this.#bus.emit({ type: 'config_outcome', version: o.version, status: o.status, via: o.via });
        // Who put an admin bundle is recorded by the status page (bundle.put); this is what came of it, by any path.
        this.#audit.record({ action: 'bundle', user: BUNDLE_ACTOR[o.via], via: o.via, target: `version ${o.version}`, outcome: o.status, detail: o.message });
      },
    });
    this.#bundleFolder = options.schedule !== false
      ? new BundleFolder({ root: resolvePath(baseDir, config.control.bundleFolder), offer: (e, via) => this.#controller.offer(e, via), logger: this.#logger })
      : null;
  }

  #issuedAt: string | null = null;

  /** The credit center's public key, or null (logged) when none is configured or it cannot be read: every bundle is then refused. */
  #readPublicKey(): string | null {
    const file = this.#loaded.config.control.publicKeyFile;
    if (!file) return null;
    const path = resolvePath(this.#loaded.baseDir, file);
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      this.#logger.error({ file: path, err }, 'the credit center public key (control.publicKeyFile) cannot be read: every configuration bundle will be refused');
      return null;
    }
  }

  /**
   * The last applied bundle, verified again, when there is one; otherwise,
   * or when it no longer verifies (the key changed), the local file's
   * sources and jobs. Nothing new is recorded either way.
   */
  #initialRuntime(local: RunConfig, publicKeyPem: string | null): Runtime {
    const stored = this.#store.currentBundle();
    if (stored) {
      const bundle = verifyStoredBundle(stored, { publicKeyPem, gatewayId: this.#loaded.config.gateway.id, hasSecret: (n) => this.#secrets.has(n), bindings: this.#bindings, paths: this.#paths }, this.#logger);
      if (bundle) {
        try {
          const runtime = new Runtime({ sources: bundle.sources, jobs: bundle.jobs, profiles: bundle.profiles ?? [] }, bundle.version, this.#runtimeDeps());
          this.#issuedAt = bundle.issuedAt;
          this.#logger.info({ version: bundle.version }, 'running the configuration bundle applied last');
          return runtime;
        } catch (err) {
          this.#logger.error({ err, version: bundle.version }, 'the stored bundle cannot run here: running the local configuration file');
        }
      }
    }
    return new Runtime(local, 0, this.#runtimeDeps());
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

  /** The local file's configuration with `sources` and `jobs` of the runtime in effect. */
  #effectiveConfig(): Readonly<GatewayConfig> {
    const { sources, jobs } = this.#runtime.config;
    return { ...this.#loaded.config, sources: [...sources], jobs: [...jobs] };
  }

  async #start(): Promise<void> {
    const { config, baseDir } = this.#loaded;
    const status = config.status;
    const auditFile = status.auditFile ? resolvePath(baseDir, status.auditFile) : join(resolvePath(baseDir, config.gateway.dataDir), 'audit.log');
    this.#audit = openAuditLog(auditFile, (err) => this.#logger.error({ err, file: auditFile }, 'the audit log cannot be written: logins and actions go unrecorded until it can (free disk space)'));
    if (this.#options.serveStatus !== false) {
      const exposed = !isLoopback(status.host);
      const tls = status.tls && {
        certFile: resolvePath(baseDir, status.tls.certFile),
        keyFile: resolvePath(baseDir, status.tls.keyFile),
        ...(status.tls.caFile ? { caFile: resolvePath(baseDir, status.tls.caFile) } : {}),
      };
      const transport = statusTransport({ tls, allowPlainHttp: status.allowPlainHttp }, exposed);
      if (transport.plainHttpExposed) {
        this.#logger.warn({ host: status.host }, 'status.allowPlainHttp: the status page is served to the network over plain HTTP; passwords, tokens and session cookies cross it in clear (set status.tls)');
      }
      this.#statusApp = await buildStatusApp({ ...this.#statusDeps(exposed), tls: transport.tls, audit: this.#audit });
      await this.#statusApp.listen({ host: status.host, port: status.port });
      const address = this.#statusApp.server.address() as AddressInfo;
      this.#statusUrl = `${transport.tls ? 'https' : 'http'}://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/`;
      if (transport.tls) {
        const { subject, validTo } = transport.tls;
        const days = Math.floor((validTo.getTime() - Date.now()) / 86_400_000);
        // Once it has expired, browsers refuse the page that would have said so: warn while there is time.
        if (days < CERT_WARN_DAYS) this.#logger.warn({ subject, validTo: validTo.toISOString() }, `the status page certificate (status.tls.certFile) expires in ${days} days: issue a new one`);
        else this.#logger.info({ subject, validTo: validTo.toISOString() }, 'status page served over HTTPS');
      }
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

  /** What the status page reads and does, from the configuration in effect at each request. */
  #statusDeps(exposed: boolean): StatusDeps {
    const { config } = this.#loaded;
    const logger = this.#logger.child({ component: 'status' });
    const now = () => new Date();
    return {
      snapshot: () => this.snapshot(),
      rejections: (q) => queryRejections(this.#store, q),
      runJob: (name) => {
        const runtime = this.#runtime;
        if (!runtime.hasJob(name)) return false;
        void runtime.scheduler.runNow(name).catch(() => undefined);
        return true;
      },
      resend: (id, by) =>
        resendAfterFix({
          getRejection: (i) => this.#store.getRejection(i),
          requestResend: (i, at) => this.#store.requestResend(i, at),
          hasJob: (job) => this.#runtime.hasJob(job),
          reread: (job) => {
            const runtime = this.#runtime;
            void runtime.scheduler.runOnce(job, async () => {
              await runtime.runJob(job, 'snapshot');
            }).catch((err: unknown) => logger.warn({ err, job }, 'the complete read asked for on the status page failed'));
          },
          now, logger,
        }, id, by),
      declareNoData: (category, by, note) =>
        declareNoData({
          period: (code) => {
            const row = this.#coverage(now()).find((c) => c.code === code);
            return row ? row.period : null;
          },
          declareNoData: (d) => this.#store.declareNoData(d),
          now, logger,
        }, category, by, note),
      // One byte under the form's limit: a body the multipart parser cut at its limit is then refused, never stored short.
      upload: (file, by) => {
        const folder = this.#uploadFolder();
        const profiles = () => (folder ? this.#runtime.profilesFor(folder.name) : []);
        return acceptUpload({ folder, recent: this.#recentFiles, profiles, maxBytes: UPLOAD_LIMIT_MIB * 1024 * 1024 - 1, now, logger }, file, by);
      },
      report: async (name, where, file) => {
        const source = this.#runtime.config.sources.find((s) => s.name === name);
        return source?.kind === 'folder' ? openReport(dropFolders(resolvePath(this.#loaded.baseDir, source.path)), where, file) : null;
      },
      suggestProfile: (source, file) => this.#suggestProfile(source, file),
      template: async (code) => {
        const category = this.#catalog.byCode(code);
        if (!category) return null;
        const spec = buildTemplate(category, this.#standards.standardFor(category), this.#standards.codeTables, 'xlsx');
        return { filename: templateFileName(category, 'xlsx'), body: await templateXlsx(spec) };
      },
      putBundle: async (envelope) => {
        const outcome = await this.applyBundle(envelope, 'admin');
        return outcome.status === 'applied'
          ? { ok: true, message: `配置版本 ${outcome.version} 已应用` }
          : { ok: false, code: 'BUNDLE_REJECTED', message: `配置版本 ${outcome.version} 未应用：${outcome.message}` };
      },
      // On connections of its own, with the local file's rules for secrets and paths: the running jobs keep theirs.
      probe: () => probeConfiguration(
        { config: this.#effectiveConfig(), secrets: this.#secrets, baseDir: this.#loaded.baseDir },
        { catalog: this.#catalog, standards: this.#standards, bindings: this.#bindings, paths: this.#paths },
      ),
      metrics: async () => ({ contentType: this.#metrics.contentType, body: await this.#metrics.render() }),
      ready: () => this.#readiness(),
      security: securityOptionsFrom(config.status, this.#secrets, exposed),
      logger,
    };
  }

  /** The drop folder uploads go to: status.uploadSource, else the first folder source of the configuration in effect. */
  #uploadFolder() {
    const { config, baseDir } = this.#loaded;
    const folders = this.#runtime.config.sources.filter((s) => s.kind === 'folder');
    const source = config.status.uploadSource ? folders.find((f) => f.name === config.status.uploadSource) : folders[0];
    if (!source || source.kind !== 'folder') return null;
    const root = resolvePath(baseDir, source.path);
    return { name: source.name, job: folderJobName(source.name), root, incoming: join(root, 'incoming') };
  }

  #coverage(now: Date): CoverageRow[] {
    const { config } = this.#loaded;
    const runtime = this.#runtime;
    return computeCoverage(coverageInput({
      catalog: this.#catalog,
      department: gatewayDepartment(this.#catalog, config.gateway),
      jobs: runtime.config.jobs,
      folders: runtime.config.sources.filter((s) => s.kind === 'folder'),
      store: this.#store,
      now,
    }));
  }

  #readiness() {
    let store: { name: string; ok: boolean; message: string };
    try {
      const queue = this.#store.queueStats();
      store = { name: 'store', ok: true, message: `open, ${queue.pending} records pending` };
    } catch (err) {
      store = { name: 'store', ok: false, message: err instanceof Error ? err.message : String(err) };
    }
    const disk = this.#disk.check();
    const runtime = this.#runtime;
    return [
      store,
      { name: 'disk', ok: !disk.paused, message: disk.message },
      { name: 'config', ok: true, message: runtime.version === 0 ? 'local configuration file in effect' : `bundle version ${runtime.version} in effect` },
    ];
  }

  #gauges() {
    const queue = this.#store.queueStats();
    const disk = this.#disk.check();
    return {
      queuePending: queue.pending,
      queueOldestAgeSecs: queue.oldestPendingAt ? Math.max(0, (Date.now() - Date.parse(queue.oldestPendingAt)) / 1000) : 0,
      openBatches: queue.openBatches,
      sources: this.#runtime.sourceViews().map((s) => ({ name: s.name, up: s.state !== 'error' })),
      configVersion: this.#runtime.version,
      clockOffsetMs: this.#client.clock().offsetMs,
      readingPaused: disk.paused,
      dataFreeBytes: disk.freeBytes,
      storeBytes: disk.storeBytes,
    };
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
    const runtime = this.#runtime;
    const now = new Date();
    return collectSnapshot({
      config: this.#effectiveConfig(),
      catalog: this.#catalog,
      store: this.#store,
      scheduler: runtime.scheduler,
      delivery: this.#deliverer.state(),
      heartbeat: this.#heartbeat.state(),
      clock: this.#client.clock(),
      sources: runtime.sourceViews(),
      schedules: runtime.schedules(),
      snapshotSchedules: runtime.snapshotSchedules(),
      jobWarnings: runtime.jobWarnings(),
      jobBounds: runtime.jobBounds(),
      softwareVersion: this.#options.softwareVersion,
      startedAt: this.#startedAt,
      demo: this.#options.demo ?? false,
      configView: this.configView(),
      coverage: this.#coverage(now),
      uploads: this.#recentFiles.views(this.#store.pendingByJob()),
      disk: this.#disk.check(),
      deliveredPerMinute: Math.round((this.#store.deliveredBetween(new Date(now.getTime() - 3_600_000).toISOString(), now.toISOString()) / 60) * 10) / 10,
      now,
    });
  }

  /** Stops schedules, waits for runs and the request in flight, closes everything. */
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
  /** 生成导出方案 on the status page: `profile suggest` on a file of a folder source's rejected/, the department's categories the candidates. */
  async #suggestProfile(sourceName: string, file: string): Promise<ProfileOffer | null> {
    const source = this.#runtime.config.sources.find((s) => s.name === sourceName);
    if (source?.kind !== 'folder') return null;
    const { config, baseDir } = this.#loaded;
    const own = gatewayDepartment(this.#catalog, config.gateway)?.categories ?? [];
    return offerProfile({
      folder: dropFolders(resolvePath(baseDir, source.path)).rejected,
      name: file,
      candidates: own.length > 0 ? own : this.#catalog.categories,
      standardFor: (c) => this.#standards.standardFor(c),
      department: config.gateway.department,
      taken: this.#runtime.profilesFor(sourceName).map((p) => p.name),
      now: new Date(),
      gatewayId: config.gateway.id,
    });
  }

  #fileCategory(code: string): FileCategory | null {
    const upper = code.toUpperCase();
    if (!this.#fileCategories.has(upper)) {
      const category = this.#catalog.byCode(upper);
      this.#fileCategories.set(upper, category ? fileCategory(category.code, this.#standards.standardFor(category)) : null);
    }
    return this.#fileCategories.get(upper)!;
  }

  #heartbeatBody() {
    const last = this.#store.lastBundleOutcome();
    return {
      ...collectHeartbeat(this.snapshot(), this.#store, this.#runtime.version),
      configApply: last && { version: last.version, status: last.status, message: last.message },
    };
  }
}

/** The status page certificate is due for renewal when it expires within this many days. */
const CERT_WARN_DAYS = 30;

/** Who brought a bundle, for the audit log: an admin's name is on the status page's bundle.put line. */
const BUNDLE_ACTOR: Record<BundleVia, string | null> = { heartbeat: 'platform', folder: 'bundle folder', admin: null, startup: null };

const MIB = 1024 * 1024;
