/**
 * The one configuration schema. Local YAML files and signed JSON bundles are
 * both validated against it, once, at load time. Unknown members are errors
 * (a typo must not silently become a default); units are in member names.
 * Secrets never appear here: only names of secrets (`…Ref`).
 */
import { Type, type Static } from '@sinclair/typebox';
import { SOURCE_DEFAULTS } from '../connectors/options.js';

const Name = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', description: 'letters, digits, _ . - (max 64)' });
const SecretRef = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', description: 'name of a local secret' });
const SubjectKind = Type.Union([Type.Literal('legal'), Type.Literal('natural'), Type.Literal('individual_business')]);
/**
 * The subject's code: a column, or several where legal and natural persons
 * share one table or export (统一社会信用代码 beside 身份证号): the first that
 * is not blank in the row wins.
 */
const SubjectCode = Type.Union([
  Type.String({ minLength: 1 }),
  Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'columns tried in order: the first not blank in the row is the code' }),
]);

/** Whom a row is about, in a job's or a profile's mapping: the same language for both. */
const SubjectRule = Type.Object(
  {
    kind: Type.Union([
      SubjectKind,
      Type.Object(
        { column: Type.String({ minLength: 1 }), values: Type.Record(Type.String(), SubjectKind) },
        { additionalProperties: false },
      ),
    ]),
    name: Type.String({ minLength: 1 }),
    code: SubjectCode,
  },
  { additionalProperties: false },
);

const FieldCode = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*$' });

const FieldRule = Type.Object(
  {
    column: Type.Optional(Type.String({ minLength: 1 })),
    const: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Null()])),
    date: Type.Optional(
      Type.Union([
        Type.Literal('YYYY-MM-DD'), Type.Literal('YYYYMMDD'), Type.Literal('YYYY/MM/DD'), Type.Literal('YYYY.MM.DD'),
        Type.Literal('excel'), Type.Literal('zh'), Type.Literal('any'),
      ], { description: 'YYYY-MM-DD, YYYYMMDD, YYYY/MM/DD, YYYY.MM.DD, excel (day numbers), zh (2017年6月2日), or any (every unambiguous shape)' }),
    ),
    trim: Type.Optional(Type.Boolean()),
    upper: Type.Optional(Type.Boolean()),
    halfWidth: Type.Optional(Type.Boolean()),
    required: Type.Optional(Type.Boolean()),
    firstOf: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    concat: Type.Optional(
      Type.Object(
        { columns: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }), separator: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
    ),
    /** The department's codes translated: the name of a code table of the category's standard (`cflb`), or inline, source value → value to send. */
    codes: Type.Optional(
      Type.Union([
        Type.String({ minLength: 1, description: 'name of a code table of the data standard, e.g. cflb' }),
        Type.Record(Type.String(), Type.String()),
      ]),
    ),
  },
  { additionalProperties: false },
);

const Schedule = Type.Union([
  Type.Object({ cron: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  Type.Object({ intervalSecs: Type.Integer({ minimum: 1, maximum: 31_536_000 }) }, { additionalProperties: false }),
]);

/**
 * What every source kind shares; the defaults are the connectors' own
 * (connectors/options.ts), so a source behaves the same whether a member is
 * written out or left to its default.
 */
const sourceCommon = {
  name: Name,
  pageSize: Type.Integer({ minimum: 1, maximum: 100_000, default: SOURCE_DEFAULTS.pageSize, description: 'rows per page' }),
  rowsPerSecond: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'average read rate cap over all jobs of this source' })),
  queryTimeoutMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: SOURCE_DEFAULTS.queryTimeoutMs }),
  connectTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000, default: SOURCE_DEFAULTS.connectTimeoutMs }),
};

const TimeZone = Type.String({ minLength: 1, description: 'IANA time zone, e.g. Asia/Shanghai' });

/** A database server reached over the network; the password is a secret's name, resolved at start. */
const networkSource = {
  ...sourceCommon,
  host: Type.String({ minLength: 1 }),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65_535 })),
  database: Type.String({ minLength: 1 }),
  user: Type.String({ minLength: 1 }),
  passwordRef: SecretRef,
  /** The zone the database's naive DATETIME values were written in: it decides the instant every such value stands for. */
  timeZone: Type.String({ minLength: 1, default: SOURCE_DEFAULTS.timeZone, description: 'IANA time zone, e.g. Asia/Shanghai' }),
};

export const SqliteSourceSchema = Type.Object(
  {
    ...sourceCommon,
    kind: Type.Literal('sqlite'),
    file: Type.String({ minLength: 1, description: 'path of the SQLite database file, relative to the config file' }),
    // SQLite has no zone of its own: only a zone stated here is compared with anything.
    timeZone: Type.Optional(TimeZone),
  },
  { additionalProperties: false },
);

export const MysqlSourceSchema = Type.Object({ ...networkSource, kind: Type.Literal('mysql') }, { additionalProperties: false });

export const PostgresSourceSchema = Type.Object({ ...networkSource, kind: Type.Literal('postgres') }, { additionalProperties: false });

export const MssqlSourceSchema = Type.Object(
  {
    ...networkSource,
    kind: Type.Literal('mssql'),
    instanceName: Type.Optional(Type.String({ minLength: 1, description: 'named instance, e.g. SQLEXPRESS' })),
    encrypt: Type.Optional(Type.Boolean()),
    trustServerCertificate: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const OracleSourceSchema = Type.Object(
  {
    ...networkSource,
    kind: Type.Literal('oracle'),
    // With connectString, host and database may be left out.
    host: Type.Optional(Type.String({ minLength: 1 })),
    database: Type.Optional(Type.String({ minLength: 1, description: 'service name' })),
    connectString: Type.Optional(Type.String({ minLength: 1, description: 'Easy Connect string or TNS alias' })),
    thickLibDir: Type.Optional(Type.String({ minLength: 1, description: 'Oracle Instant Client folder (thick mode, for 11g)' })),
  },
  { additionalProperties: false },
);

/**
 * A drop folder: staff put files made from the catalog's templates into
 * `<path>/incoming/`; each file's name starts with its category code, so a
 * folder needs no job. Read once a file's size and time have not changed for
 * `stableMs`; `usePolling` for SMB/NFS shares, where change events do not
 * arrive. `maxFileBytes`: larger files are refused (default 512 MiB).
 */
export const FolderSourceSchema = Type.Object(
  {
    name: Name,
    kind: Type.Literal('folder'),
    path: Type.String({ minLength: 1, description: 'the folder holding incoming/, processed/ and rejected/, relative to the config file' }),
    stableMs: Type.Integer({ minimum: 0, maximum: 3_600_000, default: 2000, description: 'how long a file must stay unchanged before it is read' }),
    usePolling: Type.Boolean({ default: false, description: 'poll the folder instead of waiting for change events (SMB/NFS shares)' }),
    maxFileBytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 * 1024 * 1024 * 1024, description: 'larger files are refused' })),
  },
  { additionalProperties: false },
);

/** One schema per source kind, chosen by `kind`; validation reports a source's problems against its own kind. */
export const SOURCE_SCHEMAS = {
  sqlite: SqliteSourceSchema,
  mysql: MysqlSourceSchema,
  postgres: PostgresSourceSchema,
  mssql: MssqlSourceSchema,
  oracle: OracleSourceSchema,
  folder: FolderSourceSchema,
} as const;

export const SourceSchema = Type.Union([SqliteSourceSchema, MysqlSourceSchema, PostgresSourceSchema, MssqlSourceSchema, OracleSourceSchema, FolderSourceSchema]);

const Columns = Type.Array(Type.String({ minLength: 1 }), { minItems: 1 });

const jobCommon = {
  name: Name,
  source: Name,
  category: Type.String({ pattern: '^P[0-9]{2}-[0-9]{3}$', description: 'catalog code, e.g. P07-002' }),
  /** One SELECT or WITH statement; anything else is refused when the configuration loads. */
  query: Type.String({ minLength: 1 }),
  key: Columns,
  subject: SubjectRule,
  fields: Type.Record(FieldCode, Type.Union([Type.String({ minLength: 1 }), FieldRule])),
  deleted: Type.Optional(
    Type.Object(
      { column: Type.String({ minLength: 1 }), values: Type.Array(Type.Union([Type.String(), Type.Number()]), { minItems: 1 }) },
      { additionalProperties: false },
    ),
  ),
  schedule: Type.Optional(Schedule),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  enabled: Type.Boolean({ default: true }),
};

/**
 * Reads rows changed since the last run, by a keyset cursor.
 *
 * `cursor`: the change column first (a timestamp, or a number that only
 * grows), then the key columns, which break ties between rows sharing a
 * timestamp, e.g. [updated_at, id].
 *
 * `safetyLagSecs`: each run reads only up to the database's clock minus this
 * lag. A transaction's rows carry the time they were written but appear only
 * when it commits; rows of a transaction still open at the read would fall
 * behind the cursor and be missed for ever. 5 s outlasts ordinary
 * transactions; raise it where long batch transactions write the table.
 *
 * Where the database shows its open transactions to the account (MySQL and
 * MariaDB with PROCESS, PostgreSQL with pg_read_all_stats, SQL Server with
 * VIEW SERVER STATE, Oracle with SELECT on V_$TRANSACTION and V_$SESSION),
 * each run reads instead up to the start of the oldest transaction still
 * open (or the clock, when none is), less a quarter second and the column's
 * step: fresher than the lag, and a long transaction is waited for however
 * long it stays open.
 * `safetyLagSecs` then applies only where that cannot be seen.
 *
 * `cursorClock`: who stamps the cursor column. `database` (default): a
 * column default, NOW()/now()/SYSDATE, a trigger, so the open transactions
 * bound what can still arrive. `application`: the application writes its own
 * clock's time into the column, which says nothing about when the row
 * commits: every run keeps to `safetyLagSecs`.
 *
 * `lookbackSecs`: each run first reads this far back behind the cursor again
 * (timestamp cursors only), for databases whose transactions may stay open
 * longer than the lag; rows re-read unchanged are not sent again.
 *
 * NULL rule: a row whose cursor value is NULL cannot be placed in the keyset
 * and is invisible to incremental reads. The job's probe counts such rows and
 * the status page warns with the count; a `snapshotSchedule` reads them.
 *
 * `snapshotSchedule`: a complete read on a slower schedule beside the
 * incremental one (never at the same time), which sends deletes for rows gone
 * from the source and picks up what incremental reads cannot see.
 */
export const IncrementalJobSchema = Type.Object(
  {
    ...jobCommon,
    mode: Type.Literal('incremental', { default: 'incremental' }),
    cursor: Columns,
    safetyLagSecs: Type.Integer({ minimum: 0, maximum: 3600, default: 5 }),
    cursorClock: Type.Union([Type.Literal('database'), Type.Literal('application')], { default: 'database' }),
    lookbackSecs: Type.Integer({ minimum: 0, maximum: 2_592_000, default: 0 }),
    snapshotSchedule: Type.Optional(Schedule),
  },
  { additionalProperties: false },
);

/**
 * For tables with no usable change column: every run reads the whole query in
 * key order; only changed rows travel, and rows no longer present are sent as
 * `delete` after a complete run (an interrupted run deletes nothing).
 */
export const SnapshotJobSchema = Type.Object({ ...jobCommon, mode: Type.Literal('snapshot') }, { additionalProperties: false });

/** One schema per job mode, chosen by `mode` (default incremental). */
export const JOB_SCHEMAS = { incremental: IncrementalJobSchema, snapshot: SnapshotJobSchema } as const;

export const JobSchema = Type.Union([IncrementalJobSchema, SnapshotJobSchema]);

/** Globs on file and sheet names: `*` and `?` only, compared without regard to case. */
const Globs = Type.Array(Type.String({ minLength: 1, maxLength: 200, description: 'a name pattern: * for any run of characters, ? for one' }), { minItems: 1 });

/**
 * A recurring export of a national or provincial system (全国教师资格信息系统,
 * 金税三期 …) or data returned by an upper-level department, read from a drop
 * folder or the upload page as it comes, without retyping: which files it
 * is (by name and/or header signature), which sheets and header rows, and
 * the mapping to the category's fields in the jobs' mapping language
 * (gateway/profiles/). Columns are named by the export's own headers; a
 * two-row header's columns by `上/下` or the lower cell alone.
 */
export const ProfileSchema = Type.Object(
  {
    name: Name,
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'shown on the status page, e.g. 全国教师资格信息系统 认定导出' })),
    origin: Type.Union([Type.Literal('system'), Type.Literal('returned'), Type.Literal('own')], {
      default: 'system',
      description: "system: exported from a national or provincial system; returned: 上级部门返还; own: the department's own",
    }),
    system: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'the system (or, for returned, the upper department) the file comes from' })),
    sources: Type.Optional(Type.Array(Name, { minItems: 1, description: 'folder sources it applies to (default: every folder source and uploads)' })),
    match: Type.Object(
      {
        name: Type.Optional(Globs),
        headers: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'headers every matching sheet has (compared ignoring width, case and spaces)' })),
      },
      { additionalProperties: false, description: 'at least one of name and headers' },
    ),
    sheets: Type.Optional(
      Type.Object(
        {
          include: Type.Optional(Globs),
          exclude: Type.Optional(Globs),
          hidden: Type.Boolean({ default: false, description: 'read hidden sheets too' }),
        },
        { additionalProperties: false },
      ),
    ),
    header: Type.Optional(
      Type.Object(
        {
          row: Type.Optional(Type.Integer({ minimum: 1, maximum: 30, description: '1-based row of the (first) header row; default: found by match.headers' })),
          rows: Type.Union([Type.Literal(1), Type.Literal(2)], { default: 1, description: '2: a two-row header with merged group cells' }),
        },
        { additionalProperties: false },
      ),
    ),
    category: Type.String({ pattern: '^P[0-9]{2}-[0-9]{3}$', description: 'catalog code, e.g. P03-005' }),
    key: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: "export headers forming the record key (default: the headers mapped to the standard's key fields)" })),
    subject: SubjectRule,
    fields: Type.Record(FieldCode, Type.Union([Type.String({ minLength: 1 }), FieldRule]), { description: 'field code → export header, or a rule' }),
    deleted: Type.Optional(
      Type.Object(
        { column: Type.String({ minLength: 1 }), values: Type.Array(Type.Union([Type.String(), Type.Number()]), { minItems: 1 }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const ProviderCode = Type.String({ pattern: '^P[0-9]{2}$', description: 'catalog provider code, e.g. P07 (see credit-gateway catalog)' });

export const ConfigSchema = Type.Object(
  {
    gateway: Type.Object(
      {
        id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'gatewayId issued by the credit center' }),
        department: Type.String({ minLength: 1 }),
        /**
         * The catalog providers this department feeds: one code (`P07`), or a list for a department that took over
         * several 2017 providers (`[P09, P17]`). Left out, they follow from `department`: a 2017 name or alias, or a
         * name of today (黄石市市场监督管理局 feeds P01, P02, P06, P35 and P15-010; seeds/departments-2019.json).
         */
        provider: Type.Optional(Type.Union(
          [ProviderCode, Type.Array(ProviderCode, { minItems: 1, uniqueItems: true })],
          { description: 'a catalog provider code or a list of them, e.g. P07 or [P09, P17]; see credit-gateway catalog' },
        )),
        dataDir: Type.String({ minLength: 1, default: './data' }),
        /** Who to call about this gateway's data (附件5 names one technical contact per department); shown on the status page. */
        contacts: Type.Array(
          Type.Object(
            {
              name: Type.String({ minLength: 1 }),
              role: Type.Optional(Type.String({ minLength: 1, description: 'e.g. 技术联系人, 业务联系人' })),
              phone: Type.Optional(Type.String({ minLength: 1 })),
              email: Type.Optional(Type.String({ minLength: 1 })),
            },
            { additionalProperties: false },
          ),
          { default: [] },
        ),
      },
      { additionalProperties: false },
    ),
    platform: Type.Object(
      {
        url: Type.String({ pattern: '^https?://', description: 'base URL, e.g. https://platform.example/exchange' }),
        secretRef: SecretRef,
        algorithm: Type.Union([Type.Literal('sha256'), Type.Literal('sm3')], { default: 'sha256' }),
        gzip: Type.Boolean({ default: true }),
        timeoutMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 30_000 }),
        caFile: Type.Optional(Type.String({ minLength: 1 })),
        clientCertFile: Type.Optional(Type.String({ minLength: 1 })),
        clientKeyFile: Type.Optional(Type.String({ minLength: 1 })),
        batchMaxRecords: Type.Integer({ minimum: 1, maximum: 5000, default: 5000 }),
        batchMaxBytes: Type.Integer({ minimum: 1024, maximum: 8 * 1024 * 1024, default: 8 * 1024 * 1024 }),
        heartbeatIntervalSecs: Type.Integer({ minimum: 5, maximum: 3600, default: 60 }),
        authRetrySecs: Type.Integer({ minimum: 1, maximum: 3600, default: 60 }),
        backoffBaseMs: Type.Integer({ minimum: 10, maximum: 600_000, default: 1000 }),
        backoffMaxMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 300_000 }),
      },
      { additionalProperties: false },
    ),
    /**
     * The status page. It listens on loopback unless told otherwise; on any
     * other address every page and API needs a login (`users`), and the
     * gateway refuses to start without one, and without `tls` unless
     * `allowPlainHttp` says so. Each user's secret holds a password hash
     * made by `credit-gateway secrets set NAME --hash`, never the password.
     */
    status: Type.Object(
      {
        host: Type.String({ default: '127.0.0.1' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8650 }),
        /** Ask for a login on loopback too (always asked on other addresses). */
        requireLogin: Type.Boolean({ default: false }),
        users: Type.Array(
          Type.Object(
            {
              name: Name,
              role: Type.Union([Type.Literal('viewer'), Type.Literal('admin')], { description: 'viewer: read; admin: also run, resend, upload, configure' }),
              secretRef: SecretRef,
            },
            { additionalProperties: false },
          ),
          { default: [] },
        ),
        sessionMinutes: Type.Integer({ minimum: 1, maximum: 10_080, default: 480 }),
        /** The drop-folder source uploads from the page go to; default the first folder source, else a built-in one under dataDir. */
        uploadSource: Type.Optional(Name),
        /** Serve the page over HTTPS (paths relative to the config file); cookies are then `Secure` and HSTS is sent. */
        tls: Type.Optional(
          Type.Object(
            {
              certFile: Type.String({ minLength: 1, description: 'PEM certificate (chain), relative to the config file' }),
              keyFile: Type.String({ minLength: 1, description: 'PEM private key, unencrypted, mode 600; relative to the config file' }),
              caFile: Type.Optional(Type.String({ minLength: 1, description: "the issuing CA's PEM certificate, sent with the certificate; relative to the config file" })),
            },
            { additionalProperties: false },
          ),
        ),
        /** Emergency only: serve a non-loopback address without `tls` (passwords and tokens then cross the network in clear; warned at start and on the page). */
        allowPlainHttp: Type.Boolean({ default: false }),
        /** The audit log (logins, token use, admin actions, bundles); default `<dataDir>/audit.log`; relative to the config file. */
        auditFile: Type.Optional(Type.String({ minLength: 1 })),
      },
      { additionalProperties: false, default: {} },
    ),
    /**
     * Configuration from the credit center (platform-api.md sections 3 and 4):
     * signed bundles replace `sources` and `jobs`. Without `publicKeyFile`
     * every bundle is refused.
     */
    control: Type.Object(
      {
        publicKeyFile: Type.Optional(Type.String({ minLength: 1, description: "the credit center's Ed25519 public key (PEM), relative to the config file" })),
        /** Signed bundle files dropped here are applied (for networks where the gateway cannot reach the platform). */
        bundleFolder: Type.String({ minLength: 1, default: './bundles', description: 'relative to the config file' }),
        /** Rows each changed job reads when a bundle is tried before the swap. */
        trialRows: Type.Integer({ minimum: 1, maximum: 10_000, default: 20 }),
        /** After a swap, a source that worked before and fails within this time rolls the bundle back. */
        probationSecs: Type.Integer({ minimum: 1, maximum: 86_400, default: 300 }),
        /** Emergency only: accept a bundle whose version is not above the running one (logged on every use). */
        allowOlderVersion: Type.Boolean({ default: false }),
        /**
         * Local only (a bundle cannot change it): folders a bundle's `sqlite`
         * `file` and `folder` `path` may lie in, besides what the local
         * sources use; never the gateway's own data, bundle or configuration
         * folder (config/local-paths.ts). Relative to the config file.
         */
        allowPaths: Type.Array(Type.String({ minLength: 1, pattern: '^[^\\u0000]+$' }), {
          default: [],
          description: "folders holding the department's exports, e.g. [/srv/exports]",
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    scheduling: Type.Object(
      {
        realtimePollSecs: Type.Integer({ minimum: 1, maximum: 86_400, default: 10 }),
        retryBaseSecs: Type.Integer({ minimum: 1, maximum: 3600, default: 5 }),
        retryMaxSecs: Type.Integer({ minimum: 1, maximum: 86_400, default: 600 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /**
     * Local only (a bundle cannot change it). `allow`: hosts a database secret
     * may be sent to besides the local sources that use it, for sources a
     * bundle adds: `host` (any port), `host:port`, `[IPv6]:port` or
     * `host\INSTANCE`, compared as written, never resolved
     * (config/secret-bindings.ts).
     */
    secrets: Type.Object(
      {
        file: Type.Optional(Type.String({ minLength: 1 })),
        allow: Type.Record(SecretRef, Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }), {
          default: {},
          additionalProperties: false,
          description: 'secret name → hosts it may be sent to, e.g. { hr_db: [10.1.2.3, db2.example:1521] }',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    /**
     * The local store (dataDir/gateway.sqlite) and its room on disk. Below
     * `minFreeMiB` free on the data folder's filesystem, or with the store
     * (used pages and WAL) at `maxSizeMiB`, reading pauses while delivery and
     * acknowledgements go on; nothing queued is ever evicted. `reserveMiB` is
     * kept as a file in the data folder and given up only so an
     * acknowledgement can be recorded on a full disk.
     */
    store: Type.Object(
      {
        maxSizeMiB: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_048_576, description: 'store size cap (database used pages + WAL), MiB' })),
        minFreeMiB: Type.Integer({ minimum: 0, maximum: 1_048_576, default: 256, description: 'free space below which reading pauses, MiB' }),
        reserveMiB: Type.Integer({ minimum: 0, maximum: 1024, default: 32, description: 'space held back for acknowledgements on a full disk, MiB (0: none)' }),
        /**
         * Seal record payloads, record keys and rejection values in the store
         * with a local key (gateway/store/payload-crypto.ts). New values use
         * `keyRef`; values sealed with a key in `previousKeyRefs` are still read.
         */
        encryption: Type.Optional(
          Type.Object(
            {
              keyRef: SecretRef,
              algorithm: Type.Union([Type.Literal('aes-256-gcm'), Type.Literal('sm4')], { default: 'aes-256-gcm', description: 'sm4: SM4-CTR with HMAC-SM3 (国密)' }),
              previousKeyRefs: Type.Array(SecretRef, { default: [], description: 'keys of earlier rotations: read only' }),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    sources: Type.Array(SourceSchema, { default: [] }),
    jobs: Type.Array(JobSchema, { default: [] }),
    /** Exports read from drop folders and uploads (gateway/profiles/); a bundle's `profiles` apply beside these. */
    profiles: Type.Array(ProfileSchema, { default: [] }),
  },
  { additionalProperties: false },
);

export type GatewayConfig = Static<typeof ConfigSchema>;
export type SourceConfig = Static<typeof SourceSchema>;
export type SourceKind = SourceConfig['kind'];
export type FolderSourceConfig = Static<typeof FolderSourceSchema>;
/** A source a job reads with SQL: every kind but a drop folder. */
export type DatabaseSourceConfig = Exclude<SourceConfig, FolderSourceConfig>;
export type JobConfig = Static<typeof JobSchema>;
export type IncrementalJobConfig = Static<typeof IncrementalJobSchema>;
export type SnapshotJobConfig = Static<typeof SnapshotJobSchema>;
export type ScheduleConfig = Static<typeof Schedule>;
export type ProfileConfig = Static<typeof ProfileSchema>;
