/**
 * The status page wired to the running gateway: what it reads and does
 * (StatusDeps), from the configuration in effect at each request, and the
 * server that serves it. The composition root (gateway.ts) hands its parts
 * over.
 */
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { resolvePath } from '../config/load.js';
import type { Secrets } from '../config/secrets.js';
import type { SecretBindings } from '../config/secret-bindings.js';
import type { LocalPaths } from '../config/local-paths.js';
import { dropFolders } from '../connectors/files/folder-watcher.js';
import { gatewayDepartment } from './catalog/index.js';
import type { ApplyOutcome, BundleVia } from './control/contract.js';
import { folderJobName } from './files/folder-job-name.js';
import { openReport } from './files/report-file.js';
import type { Audit } from './observability/audit.js';
import type { Metrics } from './observability/metrics.js';
import { probeConfiguration } from './probe/probe.js';
import { offerProfile } from './profiles/suggest/offer.js';
import type { ProfileOffer } from './profiles/suggest/offer-ref.js';
import { queryRejections } from './rejections/query.js';
import type { Standards } from './standards/index.js';
import { acceptUpload, declareNoData, resendAfterFix } from './status/actions.js';
import { buildStatusApp } from './status/app.js';
import type { StatusDeps } from './status/deps.js';
import { UPLOAD_LIMIT_MIB } from './status/pages/upload.js';
import { isLoopback, securityOptionsFrom } from './status/security/options.js';
import { statusTransport } from './status/security/tls.js';
import type { RecentFiles } from './files/recent-files.js';
import { buildTemplate, templateFileName, templateXlsx } from './templates/index.js';
import { coverageAt, effectiveConfig, gatewaySnapshot, readiness, type ReportParts } from './gateway-report.js';

/** The running gateway's parts the status page reads and acts on. */
export interface StatusParts extends ReportParts {
  standards: Standards;
  recentFiles: RecentFiles;
  /** The local secrets as last loaded. */
  secrets(): Secrets;
  bindings: SecretBindings;
  paths: LocalPaths;
  metrics: Metrics;
  applyBundle(envelope: unknown, via: BundleVia): Promise<ApplyOutcome>;
  logger: Logger;
}

export type StatusApp = Awaited<ReturnType<typeof buildStatusApp>>;

/**
 * Builds the status page for `status`: HTTPS with `status.tls`, plain HTTP
 * on loopback or when allowed (warned). `listen` serves it and resolves with
 * its URL; the app is handed back first, so a gateway that fails to listen
 * still closes it.
 */
export async function statusServer(parts: StatusParts, audit: Audit): Promise<{ app: StatusApp; listen(): Promise<string> }> {
  const { config, baseDir } = parts.loaded;
  const { logger } = parts;
  const status = config.status;
  const exposed = !isLoopback(status.host);
  const tls = status.tls && {
    certFile: resolvePath(baseDir, status.tls.certFile),
    keyFile: resolvePath(baseDir, status.tls.keyFile),
    ...(status.tls.caFile ? { caFile: resolvePath(baseDir, status.tls.caFile) } : {}),
  };
  const transport = statusTransport({ tls, allowPlainHttp: status.allowPlainHttp }, exposed);
  if (transport.plainHttpExposed) {
    logger.warn({ host: status.host }, 'status.allowPlainHttp: the status page is served to the network over plain HTTP; passwords, tokens and session cookies cross it in clear (set status.tls)');
  }
  const app = await buildStatusApp({ ...statusDeps(parts, exposed), tls: transport.tls, audit });
  const listen = async () => {
    await app.listen({ host: status.host, port: status.port });
    const address = app.server.address() as AddressInfo;
    const url = `${transport.tls ? 'https' : 'http'}://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/`;
    if (transport.tls) {
      const { subject, validTo } = transport.tls;
      const days = Math.floor((validTo.getTime() - Date.now()) / 86_400_000);
      // Once it has expired, browsers refuse the page that would have said so: warn while there is time.
      if (days < CERT_WARN_DAYS) logger.warn({ subject, validTo: validTo.toISOString() }, `the status page certificate (status.tls.certFile) expires in ${days} days: issue a new one`);
      else logger.info({ subject, validTo: validTo.toISOString() }, 'status page served over HTTPS');
    }
    return url;
  };
  return { app, listen };
}

/** What the status page reads and does, from the configuration in effect at each request. */
export function statusDeps(parts: StatusParts, exposed: boolean): StatusDeps {
  const { config, baseDir } = parts.loaded;
  const { store } = parts;
  const logger = parts.logger.child({ component: 'status' });
  const now = () => new Date();
  return {
    snapshot: () => gatewaySnapshot(parts),
    rejections: (q) => queryRejections(store, q),
    runJob: (name) => {
      const runtime = parts.runtime();
      if (!runtime.hasJob(name)) return false;
      void runtime.scheduler.runNow(name).catch(() => undefined);
      return true;
    },
    resend: (id, by) =>
      resendAfterFix({
        getRejection: (i) => store.getRejection(i),
        requestResend: (i, at) => store.requestResend(i, at),
        hasJob: (job) => parts.runtime().hasJob(job),
        reread: (job) => {
          const runtime = parts.runtime();
          void runtime.scheduler.runOnce(job, async () => {
            await runtime.runJob(job, 'snapshot');
          }).catch((err: unknown) => logger.warn({ err, job }, 'the complete read asked for on the status page failed'));
        },
        now, logger,
      }, id, by),
    declareNoData: (category, by, note) =>
      declareNoData({
        period: (code) => {
          const row = coverageAt(parts, now()).find((c) => c.code === code);
          return row ? row.period : null;
        },
        declareNoData: (d) => store.declareNoData(d),
        now, logger,
      }, category, by, note),
    // One byte under the form's limit: a body the multipart parser cut at its limit is then refused, never stored short.
    upload: (file, by) => {
      const folder = uploadFolder(parts);
      const profiles = () => (folder ? parts.runtime().profilesFor(folder.name) : []);
      return acceptUpload({ folder, recent: parts.recentFiles, profiles, maxBytes: UPLOAD_LIMIT_MIB * 1024 * 1024 - 1, now, logger }, file, by);
    },
    report: async (name, where, file) => {
      const source = parts.runtime().config.sources.find((s) => s.name === name);
      return source?.kind === 'folder' ? openReport(dropFolders(resolvePath(baseDir, source.path)), where, file) : null;
    },
    suggestProfile: (source, file) => suggestProfile(parts, source, file),
    template: async (code) => {
      const category = parts.catalog.byCode(code);
      if (!category) return null;
      const spec = buildTemplate(category, parts.standards.standardFor(category), parts.standards.codeTables, 'xlsx');
      return { filename: templateFileName(category, 'xlsx'), body: await templateXlsx(spec) };
    },
    putBundle: async (envelope) => {
      const outcome = await parts.applyBundle(envelope, 'admin');
      return outcome.status === 'applied'
        ? { ok: true, message: `配置版本 ${outcome.version} 已应用` }
        : { ok: false, code: 'BUNDLE_REJECTED', message: `配置版本 ${outcome.version} 未应用：${outcome.message}` };
    },
    // On connections of its own, with the local file's rules for secrets and paths: the running jobs keep theirs.
    probe: () => probeConfiguration(
      { config: effectiveConfig(config, parts.runtime()), secrets: parts.secrets(), baseDir },
      { catalog: parts.catalog, standards: parts.standards, bindings: parts.bindings, paths: parts.paths },
    ),
    metrics: async () => ({ contentType: parts.metrics.contentType, body: await parts.metrics.render() }),
    ready: () => readiness(parts),
    security: securityOptionsFrom(config.status, parts.secrets(), exposed),
    logger,
  };
}

/** The drop folder uploads go to: status.uploadSource, else the first folder source of the configuration in effect. */
function uploadFolder(parts: Pick<StatusParts, 'loaded' | 'runtime'>) {
  const { config, baseDir } = parts.loaded;
  const folders = parts.runtime().config.sources.filter((s) => s.kind === 'folder');
  const source = config.status.uploadSource ? folders.find((f) => f.name === config.status.uploadSource) : folders[0];
  if (!source || source.kind !== 'folder') return null;
  const root = resolvePath(baseDir, source.path);
  return { name: source.name, job: folderJobName(source.name), root, incoming: join(root, 'incoming') };
}

/** 生成导出方案 on the status page: `profile suggest` on a file of a folder source's rejected/, the department's categories the candidates. */
async function suggestProfile(parts: StatusParts, sourceName: string, file: string): Promise<ProfileOffer | null> {
  const runtime = parts.runtime();
  const source = runtime.config.sources.find((s) => s.name === sourceName);
  if (source?.kind !== 'folder') return null;
  const { config, baseDir } = parts.loaded;
  const own = gatewayDepartment(parts.catalog, config.gateway)?.categories ?? [];
  return offerProfile({
    folder: dropFolders(resolvePath(baseDir, source.path)).rejected,
    name: file,
    candidates: own.length > 0 ? own : parts.catalog.categories,
    standardFor: (c) => parts.standards.standardFor(c),
    department: config.gateway.department,
    taken: runtime.profilesFor(sourceName).map((p) => p.name),
    now: new Date(),
    gatewayId: config.gateway.id,
  });
}

/** The status page certificate is due for renewal when it expires within this many days. */
const CERT_WARN_DAYS = 30;
