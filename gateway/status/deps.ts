import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { StatusSnapshot } from './snapshot.js';
import type { RejectionQuery, RejectionResult } from '../rejections/query.js';
import type { SecurityOptions } from './security/contract.js';
import type { StatusTls } from './security/tls.js';
import type { Audit } from '../observability/audit.js';
import type { ProbeReport } from '../probe/report.js';
import type { ProfileOffer } from '../profiles/suggest/offer-ref.js';

/**
 * What the status application needs from the running gateway. The
 * composition root provides it; tests provide their own. Everything the
 * page shows or does goes through here.
 */

export type { RejectionQuery };


export interface ActionResult {
  ok: boolean;
  /** A sentence for the person who clicked, Chinese. */
  message: string;
  /** What happened, stable; the page says `action.<code>` from i18n with `params` in its reader's language when the tables know it. */
  code?: string;
  params?: Record<string, string | number>;
}

export interface UploadResult extends ActionResult {
  /** The name the file was stored under in the drop folder's incoming/. */
  file?: string;
  /** How the folder will read it (files/upload.ts UploadWay): a template, a profile's export by its name, or an export to be claimed by its headers. */
  way?: 'template' | 'profile' | 'signature';
  /** The profile whose name pattern fits (its title or name), when `way` is 'profile'. */
  profile?: string;
}

export interface ReadyCheck {
  name: string;
  ok: boolean;
  message: string;
}

export interface StatusDeps {
  snapshot(): StatusSnapshot;
  rejections(query: RejectionQuery): RejectionResult;
  /** Starts a run of the job now; false when there is no such job. */
  runJob(name: string): boolean;
  /**
   * "Resend after fix": the row is read again from its source (a complete
   * read of its job, whatever the cursor), so the fixed version travels; a
   * file's row asks for the fixed file to be uploaded again.
   */
  resend(rejectionId: number, by: string | null): Promise<ActionResult>;
  /** "No data this period" for a category of this department. */
  declareNoData(category: string, by: string | null, note: string | null): ActionResult;
  /** A filled-in template file, put into the drop folder (same checks, same report). */
  upload(file: { filename: string; stream: Readable; /** The category chosen on the form, when the file's name does not start with its code. */ category?: string }, by: string | null): Promise<UploadResult>;
  /** A drop folder's error report (`where`: processed or rejected), as stored; null when there is no such report. */
  report?(source: string, where: string, name: string): Promise<Readable | null>;
  /**
   * 生成导出方案: `profile suggest` on a file a folder source put in
   * rejected/ (`name` as it is there, from a URL: checked before any use);
   * null when there is no such file; absent: the page offers none.
   */
  suggestProfile?(source: string, name: string): Promise<ProfileOffer | null>;
  /** The empty XLSX template of a catalog category, as `credit-gateway template` writes it; null for an unknown code. */
  template?(code: string): Promise<{ filename: string; body: Buffer } | null>;
  /**
   * 试运行检查: the probe (gateway/probe/) of the configuration in effect, on
   * connections of its own; absent: the page offers none.
   */
  probe?(): Promise<ProbeReport>;
  /** A signed bundle envelope `{version, bundle, signature}` (platform-api.md section 4) by the admin API. */
  putBundle(envelope: unknown, by: string | null): Promise<ActionResult>;
  /** Prometheus text exposition. */
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Store open, configuration valid … */
  ready(): ReadyCheck[];
  security: SecurityOptions;
  /** Serve HTTPS with this certificate; absent or null: plain HTTP. */
  tls?: StatusTls | null;
  /** Where logins, token use and admin actions are recorded; absent: nowhere. */
  audit?: Audit;
  logger?: Logger;
}
