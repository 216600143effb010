/**
 * The composition root: builds the whole object graph from one validated
 * configuration and runs it until stop(). Nothing else reads configuration
 * or creates long-lived components.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/load.js';
import { resolvePath } from '../config/load.js';
import type { JobConfig, SourceConfig } from '../config/schema.js';
import { ConfigError } from '../config/errors.js';
import type { Source } from '../connectors/contract.js';
import { createSource } from '../connectors/registry.js';
import { frequencyToSchedule, loadCatalog, type Catalog } from './catalog/index.js';
import { Deliverer } from './delivery/deliverer.js';
import { PlatformClient } from './delivery/client.js';
import { Heartbeat } from './delivery/heartbeat.js';
import { runIncremental, type RunSummary } from './jobs/runner.js';
import { Scheduler, type Schedule } from './jobs/scheduler.js';
import { mapAndValidate } from './validation/map-and-validate.js';
import { Store } from './store/store.js';
import { buildStatusApp } from './status/app.js';
import { collectHeartbeat, collectSnapshot, describeSchedule, type SourceHealth } from './status/collect.js';
import type { StatusSnapshot } from './status/snapshot.js';
import { describeError } from './errors.js';

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

interface SourceEntry {
  config: SourceConfig;
  source: Source | null;
  health: SourceHealth;
}

export class Gateway {
  readonly #loaded: LoadedConfig;
  readonly #options: GatewayOptions;
  readonly #logger: Logger;
  readonly #catalog: Catalog;
  readonly #store: Store;
  readonly #sources = new Map<string, SourceEntry>();
  readonly #client: PlatformClient;
  readonly #deliverer: Deliverer;
  readonly #heartbeat: Heartbeat;
  readonly #scheduler: Scheduler;
  readonly #startedAt = new Date().toISOString();
  readonly #abort = new AbortController();
  #statusApp: ReturnType<typeof buildStatusApp> | null = null;
  #statusUrl: string | null = null;

  private constructor(loaded: LoadedConfig, options: GatewayOptions) {
    const { config, secrets, baseDir } = loaded;
    this.#loaded = loaded;
    this.#options = options;
    this.#logger = options.logger;
    this.#catalog = options.catalog ?? loadCatalog();
    checkCategories(config.jobs, this.#catalog);

    const dataDir = resolvePath(baseDir, config.gateway.dataDir);
    mkdirSync(dataDir, { recursive: true });
    this.#store = Store.open({ file: resolvePath(dataDir, 'gateway.sqlite'), logger: this.#logger.child({ component: 'store' }) });

    for (const source of config.sources) {
      this.#sources.set(source.name, { config: source, source: null, health: { state: 'unknown', lastSuccessAt: null, lastError: null } });
    }

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
      store: this.#store,
      client: this.#client,
      limits: { maxRecords: p.batchMaxRecords, maxBytes: p.batchMaxBytes },
      backoff: { baseMs: p.backoffBaseMs, maxMs: p.backoffMaxMs },
      authRetryMs: p.authRetrySecs * 1000,
      logger: this.#logger.child({ component: 'delivery' }),
    });
    this.#heartbeat = new Heartbeat({
      client: this.#client,
      intervalSecs: p.heartbeatIntervalSecs,
      collect: () => this.#heartbeatBody(),
      logger: this.#logger.child({ component: 'heartbeat' }),
    });

    const lastSuccess = new Map(this.#store.jobStates().map((s) => [s.job, s.lastSuccessAt]));
    this.#scheduler = new Scheduler({
      jobs: config.jobs
        .filter((j) => j.enabled)
        .map((job) => ({
          name: job.name,
          schedule: this.#scheduleOf(job),
          run: async () => {
            await this.runJob(job.name);
          },
          lastSuccessAt: lastSuccess.get(job.name) ? new Date(lastSuccess.get(job.name)!) : null,
        })),
      logger: this.#logger.child({ component: 'scheduler' }),
      retryBaseSecs: config.scheduling.retryBaseSecs,
      retryMaxSecs: config.scheduling.retryMaxSecs,
    });
  }

  /** Builds the gateway and starts delivery, heartbeat, schedules and the status page. */
  static async start(loaded: LoadedConfig, options: GatewayOptions): Promise<Gateway> {
    const gateway = new Gateway(loaded, options);
    try {
      await gateway.#start();
    } catch (err) {
      await gateway.stop();
      throw err;
    }
    return gateway;
  }

  async #start(): Promise<void> {
    const { config } = this.#loaded;
    if (this.#options.serveStatus !== false) {
      this.#statusApp = buildStatusApp({
        snapshot: () => this.snapshot(),
        rejections: (f) => ({
          total: this.#store.countRejections({ category: f.category, code: f.code }),
          items: this.#store.listRejections(f).map((r) => ({ at: r.at, source: r.source, job: r.job, category: r.category, key: r.key, field: r.field, code: r.code, message: r.message })),
        }),
        runJob: (name) => {
          if (!config.jobs.some((j) => j.name === name)) return false;
          void this.#scheduler.runNow(name).catch(() => undefined);
          return true;
        },
      });
      await this.#statusApp.listen({ host: config.status.host, port: config.status.port });
      const address = this.#statusApp.server.address() as AddressInfo;
      this.#statusUrl = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/`;
    }
    if (this.#options.deliver !== false) {
      this.#deliverer.start();
      this.#heartbeat.start();
    }
    if (this.#options.schedule !== false) this.#scheduler.start();
    this.#logger.info({ gatewayId: config.gateway.id, jobs: config.jobs.length, status: this.#statusUrl }, 'gateway started');
  }

  get statusUrl(): string | null {
    return this.#statusUrl;
  }

  get store(): Store {
    return this.#store;
  }

  /** One run of a job: keyset pages from its cursor until the source has no more. */
  async runJob(name: string): Promise<RunSummary> {
    const job = this.#loaded.config.jobs.find((j) => j.name === name);
    if (!job) throw new ConfigError('CONFIG_REFERENCE', [{ path: 'jobs', message: `no job named "${name}"` }]);
    const entry = this.#sources.get(job.source)!;
    const startedAt = new Date().toISOString();
    try {
      const source = await this.#openSource(entry);
      const summary = await runIncremental(
        {
          name: job.name,
          query: job.query,
          cursor: job.cursor,
          pageSize: job.pageSize ?? entry.config.pageSize,
          mapRow: (row, observedAt) => {
            const outcome = mapAndValidate(job, row, { gatewayId: this.#loaded.config.gateway.id, observedAt });
            return outcome.ok ? { record: outcome.record } : { rejection: outcome.rejection };
          },
        },
        { source, store: this.#store, signal: this.#abort.signal, onPage: (r) => { if (r.queued > 0) this.#deliverer.wake(); } },
      );
      const finishedAt = new Date().toISOString();
      entry.health = { state: 'ok', lastSuccessAt: finishedAt, lastError: null };
      this.#store.recordRun(job.name, { startedAt, finishedAt, ok: true, error: null });
      this.#logger.info({ job: job.name, ...summary, cursor: undefined }, 'job run finished');
      return summary;
    } catch (err) {
      const at = new Date().toISOString();
      const error = describeError(err);
      entry.health = { ...entry.health, state: 'error', lastError: { ...error, at } };
      // A broken connection is not reused: the next run reopens the source.
      await entry.source?.close().catch(() => undefined);
      entry.source = null;
      this.#store.recordRun(job.name, { startedAt, finishedAt: at, ok: false, error: { code: error.code, message: error.message } });
      this.#logger.warn({ job: job.name, code: error.code, err }, 'job run failed');
      throw err;
    }
  }

  /** Sends what is queued now and waits until the queue is empty or an attempt fails. */
  async flush(): Promise<{ pending: number; reason: string | null }> {
    const { pending } = await this.#deliverer.flush();
    const error = this.#deliverer.state().lastError;
    return { pending, reason: pending > 0 && error ? `${error.code}: ${error.message}` : null };
  }

  snapshot(): StatusSnapshot {
    const { config } = this.#loaded;
    return collectSnapshot({
      config,
      catalog: this.#catalog,
      store: this.#store,
      scheduler: this.#scheduler,
      delivery: this.#deliverer.state(),
      heartbeat: this.#heartbeat.state(),
      sources: [...this.#sources.values()].map((e) => ({ name: e.config.name, kind: e.config.kind, ...e.health })),
      schedules: new Map(config.jobs.map((j) => [j.name, describeSchedule(this.#scheduleOf(j), !j.schedule)])),
      softwareVersion: this.#options.softwareVersion,
      startedAt: this.#startedAt,
      demo: this.#options.demo ?? false,
    });
  }

  /** Stops schedules, waits for runs and the request in flight, closes everything. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#scheduler.stop().catch(() => undefined);
    await this.#heartbeat.stop();
    await this.#deliverer.stop();
    await this.#statusApp?.close().catch(() => undefined);
    for (const entry of this.#sources.values()) await entry.source?.close().catch(() => undefined);
    await this.#client.close();
    this.#store.close();
    this.#logger.info('gateway stopped');
  }

  #scheduleOf(job: JobConfig): Schedule {
    if (job.schedule) return job.schedule;
    const category = this.#catalog.byCode(job.category)!;
    return frequencyToSchedule(category.frequency, this.#loaded.config.scheduling.realtimePollSecs);
  }

  async #openSource(entry: SourceEntry): Promise<Source> {
    if (entry.source) return entry.source;
    const c = entry.config;
    const source = await createSource({ ...c, file: resolvePath(this.#loaded.baseDir, c.file) });
    await source.open();
    entry.source = source;
    return source;
  }

  #heartbeatBody() {
    // A local configuration file has no bundle version: 0 until signed bundles arrive.
    return collectHeartbeat(this.snapshot(), this.#store, 0);
  }
}

function checkCategories(jobs: readonly JobConfig[], catalog: Catalog): void {
  const problems = jobs.flatMap((job, i) =>
    catalog.byCode(job.category) ? [] : [{ path: `jobs[${i}].category`, message: `"${job.category}" is not in the information catalog (see credit-gateway catalog)` }],
  );
  if (problems.length > 0) throw new ConfigError('CONFIG_REFERENCE', problems);
}
