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
import type { DatabaseSourceConfig, FolderSourceConfig, IncrementalJobConfig, JobConfig } from '../config/schema.js';
import { ConfigError, type ConfigProblem } from '../config/errors.js';
import { connectorOptions, requireSecrets } from '../config/source-options.js';
import type { Row, Source } from '../connectors/contract.js';
import { fileLimits } from '../connectors/files/limits.js';
import { createSource } from '../connectors/registry.js';
import { frequencyToSchedule, loadCatalog, type Catalog } from './catalog/index.js';
import { Deliverer } from './delivery/deliverer.js';
import { PlatformClient } from './delivery/client.js';
import { Heartbeat } from './delivery/heartbeat.js';
import { planIncremental, planSnapshot, probeIsFresh, type CachedProbe } from './jobs/plan.js';
import { runIncremental, type MapRow, type RunSummary } from './jobs/runner.js';
import { Scheduler, type Schedule, type TriggerKind } from './jobs/scheduler.js';
import { runSnapshot } from './jobs/snapshot.js';
import { sourceWarnings, type Warning } from './jobs/warnings.js';
import { mapAndValidate } from './validation/map-and-validate.js';
import { normaliseFieldCodes } from './validation/field-codes.js';
import { fieldByCode, loadStandards, lookupHeader, subjectFromFields, type Standard, type Standards, type SubjectRole } from './standards/index.js';
import { categoryFromMapping, DropFolder, type FileCategory } from './files/index.js';
import type { FieldRule, JobMapping } from './mapping/types.js';
import type { ValidateOptions } from './validation/validate-record.js';
import { DATA_SHEET } from './templates/index.js';
import { Store } from './store/store.js';
import { buildStatusApp } from './status/app.js';
import { collectHeartbeat, collectSnapshot, describeSchedule, type SourceHealth } from './status/collect.js';
import type { StatusSnapshot } from './status/snapshot.js';
import { describeError, GatewayError } from './errors.js';

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
  config: DatabaseSourceConfig;
  index: number;
  source: Source | null;
  /** Set while the source is being opened, so jobs starting together share one connection attempt. */
  opening: Promise<Source> | null;
  /** Runs using the source now: a failed run closes it only when no other run still reads it. */
  users: number;
  health: SourceHealth;
}

/** What the gateway remembers of a job between runs (not persisted: a restart probes again). */
interface JobEntry {
  config: JobConfig;
  /** The data standard of the job's category: every row is checked against it. */
  standard: Readonly<Standard>;
  probes: Partial<Record<TriggerKind, CachedProbe>>;
  warnings: Partial<Record<TriggerKind, Warning[]>>;
}

/** A drop folder: files in, records out, no job of its own. */
interface FolderEntry {
  config: FolderSourceConfig;
  folder: DropFolder;
}

/** The name the store keeps a drop folder's records, counters and rejections under (':' is not allowed in job names). */
const folderJobName = (source: string) => `${source}:folder`;

/** The key under which the snapshot schedule of an incremental job records its own runs (':' is not allowed in job names). */
const snapshotRunKey = (job: string) => `${job}:snapshot`;

export class Gateway {
  readonly #loaded: LoadedConfig;
  readonly #options: GatewayOptions;
  readonly #logger: Logger;
  readonly #catalog: Catalog;
  readonly #standards: Standards;
  readonly #store: Store;
  readonly #sources = new Map<string, SourceEntry>();
  readonly #folders: FolderEntry[] = [];
  /** One FileCategory per catalog code a dropped file named, built on first use (null: not in the catalog). */
  readonly #fileCategories = new Map<string, FileCategory | null>();
  readonly #jobs = new Map<string, JobEntry>();
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
    // A seed the gateway cannot trust stops it here (StandardsError: its code, the file and member, and what to do).
    this.#standards = loadStandards();
    const standards = checkFieldCodes(config.jobs, this.#catalog, this.#standards, this.#logger);
    requireSecrets(config, secrets);

    const dataDir = resolvePath(baseDir, config.gateway.dataDir);
    mkdirSync(dataDir, { recursive: true });
    this.#store = Store.open({ file: resolvePath(dataDir, 'gateway.sqlite'), logger: this.#logger.child({ component: 'store' }) });

    config.sources.forEach((source, index) => {
      if (source.kind === 'folder') return;
      this.#sources.set(source.name, {
        config: source, index, source: null, opening: null, users: 0,
        health: { state: 'unknown', lastSuccessAt: null, lastError: null, warnings: [] },
      });
    });
    config.jobs.forEach((job, i) => this.#jobs.set(job.name, { config: job, standard: standards[i]!, probes: {}, warnings: {} }));

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
    for (const source of config.sources) {
      if (source.kind !== 'folder') continue;
      this.#folders.push({
        config: source,
        folder: new DropFolder({
          root: resolvePath(baseDir, source.path),
          job: folderJobName(source.name),
          gatewayId: config.gateway.id,
          category: (code) => this.#fileCategory(code),
          store: this.#store,
          ...(source.maxFileBytes !== undefined ? { limits: fileLimits({ maxFileBytes: source.maxFileBytes }) } : {}),
          watch: { stableMs: source.stableMs, usePolling: source.usePolling },
          logger: this.#logger.child({ source: source.name }),
          onPage: (r) => {
            if (r.queued > 0) this.#deliverer.wake();
          },
        }),
      });
    }
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
        .map((job) => {
          const since = (key: string) => (lastSuccess.get(key) ? new Date(lastSuccess.get(key)!) : null);
          const snapshot = job.mode === 'incremental' ? job.snapshotSchedule : undefined;
          return {
            name: job.name,
            schedule: this.#scheduleOf(job),
            run: async () => {
              await this.runJob(job.name);
            },
            lastSuccessAt: since(job.name),
            ...(snapshot
              ? { snapshot: { schedule: snapshot, run: async () => { await this.runJob(job.name, 'snapshot'); }, lastSuccessAt: since(snapshotRunKey(job.name)) } }
              : {}),
          };
        }),
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
          items: this.#store.listRejections(f).map((r) => ({ id: r.id, at: r.at, source: r.source, job: r.job, category: r.category, key: r.key, field: r.field, code: r.code, message: r.message })),
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
    if (this.#options.schedule !== false) {
      this.#scheduler.start();
      for (const { folder } of this.#folders) await folder.start();
    }
    this.#logger.info({ gatewayId: config.gateway.id, jobs: config.jobs.length, folders: this.#folders.length, status: this.#statusUrl }, 'gateway started');
  }

  get statusUrl(): string | null {
    return this.#statusUrl;
  }

  get store(): Store {
    return this.#store;
  }

  /**
   * One run of a job: an incremental run reads keyset pages from its cursor
   * up to the database's clock minus the safety lag; a snapshot run (a
   * snapshot job, or `kind` 'snapshot' for an incremental job's snapshot
   * schedule) reads everything and then sends deletes. A failure puts the
   * source in error with the reason and leaves the cursor at the last
   * committed page; the scheduler retries with back-off.
   */
  async runJob(name: string, kind: TriggerKind = 'regular'): Promise<RunSummary> {
    const jobEntry = this.#jobs.get(name);
    if (!jobEntry) throw new ConfigError('CONFIG_REFERENCE', [{ path: 'jobs', message: `no job named "${name}"` }]);
    const job = jobEntry.config;
    const snapshot = job.mode === 'snapshot' || kind === 'snapshot';
    const runKeys = job.mode === 'incremental' && kind === 'snapshot' ? [job.name, snapshotRunKey(job.name)] : [job.name];
    const entry = this.#sources.get(job.source)!;
    const startedAt = new Date().toISOString();
    entry.users += 1;
    try {
      const source = await this.#openSource(entry);
      const summary = snapshot ? await this.#snapshotRun(jobEntry, source, entry) : await this.#incrementalRun(jobEntry, job as IncrementalJobConfig, source, entry);
      const finishedAt = new Date().toISOString();
      entry.health = { ...entry.health, state: 'ok', lastSuccessAt: finishedAt, lastError: null };
      if (snapshot && !summary.complete) {
        // Stopped between pages (the gateway is stopping): not a success, or a missed snapshot would look done.
        const error = describeError(new GatewayError('JOB_SNAPSHOT_INCOMPLETE', `${summary.rowsRead} rows read`));
        for (const key of runKeys) this.#store.recordRun(key, { startedAt, finishedAt, ok: false, error: { code: error.code, message: error.message } });
      } else {
        for (const key of runKeys) this.#store.recordRun(key, { startedAt, finishedAt, ok: true, error: null });
      }
      this.#logger.info({ job: job.name, snapshot, ...summary, cursor: undefined }, 'job run finished');
      return summary;
    } catch (err) {
      const at = new Date().toISOString();
      const error = describeError(err);
      entry.health = { ...entry.health, state: 'error', lastError: { ...error, at } };
      // The probe is repeated after a failure: the table or the query may have changed.
      jobEntry.probes = {};
      // A broken connection is not reused: the next run reopens the source, unless another run still reads it.
      if (entry.users === 1) {
        await entry.source?.close().catch(() => undefined);
        entry.source = null;
      }
      for (const key of runKeys) this.#store.recordRun(key, { startedAt, finishedAt: at, ok: false, error: { code: error.code, message: error.message } });
      this.#logger.warn({ job: job.name, snapshot, code: error.code, err }, 'job run failed');
      throw err;
    } finally {
      entry.users -= 1;
    }
  }

  async #incrementalRun(jobEntry: JobEntry, job: IncrementalJobConfig, source: Source, entry: SourceEntry): Promise<RunSummary> {
    const cached = jobEntry.probes.regular;
    const plan = await planIncremental(
      source,
      { query: job.query, cursor: job.cursor, safetyLagSecs: job.safetyLagSecs, lookbackSecs: job.lookbackSecs, snapshotScheduled: job.snapshotSchedule !== undefined },
      this.#store.getCursor(job.name),
      probeIsFresh(cached, Date.now()) ? cached : undefined,
    );
    if (plan.probe !== cached?.probe) jobEntry.probes.regular = { probe: plan.probe, atMs: Date.now() };
    jobEntry.warnings.regular = plan.warnings;
    entry.health = { ...entry.health, warnings: sourceWarnings({ facts: plan.facts, timeZone: entry.config.timeZone }) };
    return runIncremental(
      { name: job.name, query: job.query, cursor: job.cursor, pageSize: job.pageSize ?? entry.config.pageSize, mapRow: this.#mapRow(jobEntry) },
      this.#runDeps(source),
      plan.window,
    );
  }

  async #snapshotRun(jobEntry: JobEntry, source: Source, entry: SourceEntry): Promise<RunSummary> {
    const job = jobEntry.config;
    const cached = jobEntry.probes.snapshot;
    const plan = await planSnapshot(source, { query: job.query, key: job.key }, probeIsFresh(cached, Date.now()) ? cached : undefined);
    if (plan.probe !== cached?.probe) jobEntry.probes.snapshot = { probe: plan.probe, atMs: Date.now() };
    jobEntry.warnings.snapshot = plan.warnings;
    entry.health = { ...entry.health, warnings: sourceWarnings({ facts: plan.facts, timeZone: entry.config.timeZone }) };
    return runSnapshot(
      { name: job.name, query: job.query, key: job.key, pageSize: job.pageSize ?? entry.config.pageSize, mapRow: this.#mapRow(jobEntry) },
      this.#runDeps(source),
    );
  }

  #mapRow({ config: job, standard }: JobEntry): MapRow {
    const gatewayId = this.#loaded.config.gateway.id;
    const codeTables = this.#standards.codeTables;
    return (row, observedAt) => {
      const outcome = mapAndValidate(job, row, { gatewayId, observedAt, codeTables }, { standard });
      return outcome.ok ? { record: outcome.record } : { rejection: outcome.rejection };
    };
  }

  #runDeps(source: Source) {
    return {
      source,
      store: this.#store,
      signal: this.#abort.signal,
      onPage: (r: { queued: number }) => {
        if (r.queued > 0) this.#deliverer.wake();
      },
    };
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
      sources: [
        ...[...this.#sources.values()].map((e) => ({ name: e.config.name, kind: e.config.kind, ...e.health })),
        ...this.#folders.map((e) => this.#folderStatus(e)),
      ],
      schedules: new Map(config.jobs.map((j) => [j.name, describeSchedule(this.#scheduleOf(j), !j.schedule)])),
      snapshotSchedules: new Map(
        config.jobs.flatMap((j) => (j.mode === 'incremental' && j.snapshotSchedule ? [[j.name, describeSchedule(j.snapshotSchedule, false)] as const] : [])),
      ),
      jobWarnings: new Map([...this.#jobs.values()].map((j) => [j.config.name, [...(j.warnings.regular ?? []), ...(j.warnings.snapshot ?? [])]])),
      softwareVersion: this.#options.softwareVersion,
      startedAt: this.#startedAt,
      demo: this.#options.demo ?? false,
    });
  }

  /** Stops schedules, waits for runs and the request in flight, closes everything. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#scheduler.stop().catch(() => undefined);
    for (const { folder } of this.#folders) await folder.stop().catch(() => undefined);
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

  /** The source, opened (open() again on a kept source lets a connector reconnect a dropped session). */
  async #openSource(entry: SourceEntry): Promise<Source> {
    if (entry.source) {
      await entry.source.open();
      return entry.source;
    }
    entry.opening ??= (async () => {
      const { baseDir, secrets } = this.#loaded;
      const source = await createSource(connectorOptions(entry.config, entry.index, { baseDir, secrets }));
      try {
        await source.open();
      } catch (err) {
        await source.close().catch(() => undefined);
        throw err;
      }
      entry.source = source;
      return source;
    })().finally(() => {
      entry.opening = null;
    });
    return entry.opening;
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

  #folderStatus({ config, folder }: FolderEntry) {
    const h = folder.health;
    const rows = this.#store.jobStats().find((s) => s.job === folderJobName(config.name))?.total;
    const last = h.lastOutcome;
    const refused = h.state === 'attention' && last?.status === 'rejected'
      ? [{ code: last.code, message: `文件 ${last.file} 被整体拒收（${last.code}）`, action: `查看 rejected/ 中的错误报告 ${last.report.split(/[\\/]/).pop() ?? ''}，修正后重新放入 incoming/` }]
      : [];
    return {
      name: config.name,
      kind: config.kind,
      state: h.state === 'failing' ? ('error' as const) : h.state,
      lastSuccessAt: h.lastFileAt,
      lastError: h.lastError,
      warnings: refused,
      files: {
        processed: h.counts.processed, rejected: h.counts.rejected, left: h.counts.left, lastFileAt: h.lastFileAt,
        rowsRead: rows?.rowsRead ?? 0, queued: rows?.queued ?? 0, rejectedRows: rows?.rejectedLocal ?? 0,
      },
    };
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

/**
 * Each job's standard, by its category. A field code the standard does not
 * know (or names twice), or a code table it does not have, refuses the
 * configuration with the member's path; retired fields are logged.
 */
function checkFieldCodes(jobs: readonly JobConfig[], catalog: Catalog, standards: Standards, logger: Logger): Readonly<Standard>[] {
  const problems: ConfigProblem[] = [];
  const result = jobs.map((job, i) => {
    const standard = standards.standardFor(catalog.byCode(job.category)!);
    const codes = normaliseFieldCodes(job.fields, standard);
    for (const e of codes.errors) problems.push({ path: `jobs[${i}].fields.${e.field}`, message: `${e.message} (${e.code})` });
    for (const w of codes.warnings) logger.warn({ job: job.name, field: w.field, code: w.code }, w.message);
    for (const [field, rule] of Object.entries(job.fields)) {
      if (typeof rule !== 'string' && typeof rule.codes === 'string' && !standards.codeTables[rule.codes]) {
        problems.push({
          path: `jobs[${i}].fields.${field}.codes`,
          message: `no code table "${rule.codes}" in the data standards (e.g. ${Object.keys(standard.codeTables).join(', ') || Object.keys(standards.codeTables).slice(0, 5).join(', ')}); or give the codes inline`,
        });
      }
    }
    return standard;
  });
  if (problems.length > 0) throw new ConfigError('CONFIG_REFERENCE', problems);
  return result;
}

/** Where a mixed standard's subject is read from: synthetic columns, filled per row from the fields (subjectFromFields). */
const SUBJECT_KIND = '#subject.kind';
const SUBJECT_CODE = '#subject.code';

/**
 * What the drop folder reads of one category: every field of its standard
 * (headers by name, code or alias; dates as typed in Excel), the standard's
 * key, the subject from the fields that repeat it, and every row validated
 * with the standard. Where a standard carries both a 统一社会信用代码 and a
 * 证件号码 (legal and natural persons in one file), the subject's code, in
 * the key too, is whichever the row's 行政相对人类别 calls for.
 */
function fileCategory(code: string, standard: Readonly<Standard>): FileCategory {
  const role = (r: SubjectRole) => standard.fields.find((f) => f.subject === r)?.code;
  const name = role('name')!;
  const kindField = role('kind');
  const codeFields = [role('legalCode'), role('naturalCode')].filter((c): c is string => c !== undefined);
  const mixed = codeFields.length > 1;
  const codeColumn = mixed ? SUBJECT_CODE : codeFields[0]!;
  const fields: Record<string, string | FieldRule> = {};
  for (const f of standard.fields) fields[f.code] = f.type === 'date' ? { column: f.code, date: 'excel' } : f.code;
  const mapping: JobMapping = {
    name: `files:${code}`,
    category: code,
    key: standard.key.map((k) => (mixed && codeFields.includes(k) ? SUBJECT_CODE : k)),
    subject: {
      kind: kindField
        ? { column: SUBJECT_KIND, values: { legal: 'legal', natural: 'natural', individual_business: 'individual_business' } }
        : role('legalCode') ? 'legal' : 'natural',
      name,
      code: codeColumn,
    },
    fields,
  };
  const validate: ValidateOptions & { standard: Readonly<Standard> } = { standard };
  const base = categoryFromMapping({
    code,
    resolveHeader: (header) => {
      const match = lookupHeader(standard, header);
      return match.kind === 'field' ? match.field.code : match.kind === 'retired' ? { retired: match.retired.note } : null;
    },
    mapping,
    validate,
    fieldName: (field) => fieldByCode(standard, field)?.name,
    sheet: DATA_SHEET,
  });
  const real = (columns: readonly string[]) =>
    [...new Set(columns.flatMap((c) => (c === SUBJECT_CODE ? codeFields : c === SUBJECT_KIND ? (kindField ? [kindField] : []) : [c])))];
  return {
    ...base,
    // A file must have the standard's required columns and its key; of a mixed subject's two codes, either may be left out.
    requiredFields: real(base.requiredFields.filter((c) => c !== SUBJECT_CODE)),
    fields: standard.fields.map((f) => f.code),
    mapRow: (row: Row, ctx) => {
      if (!kindField && !mixed) return base.mapRow(row, ctx);
      const subject = subjectFromFields(standard, row);
      return base.mapRow({ ...row, [SUBJECT_KIND]: subject.kind, [SUBJECT_CODE]: subject.code === '' ? null : subject.code }, ctx);
    },
    roleFields: {
      ...base.roleFields,
      key: real(mapping.key),
      'subject.code': codeFields,
      'subject.kind': kindField ? [kindField] : [],
    },
  };
}
