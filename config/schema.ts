/**
 * The one configuration schema. Local YAML files and signed JSON bundles are
 * both validated against it, once, at load time. Unknown members are errors
 * (a typo must not silently become a default); units are in member names.
 * Secrets never appear here: only names of secrets (`…Ref`).
 */
import { Type, type Static } from '@sinclair/typebox';

const Name = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', description: 'letters, digits, _ . - (max 64)' });
const SecretRef = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', description: 'name of a local secret' });
const SubjectKind = Type.Union([Type.Literal('legal'), Type.Literal('natural'), Type.Literal('individual_business')]);

const FieldRule = Type.Object(
  {
    column: Type.Optional(Type.String({ minLength: 1 })),
    const: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Null()])),
    date: Type.Optional(
      Type.Union([
        Type.Literal('YYYY-MM-DD'), Type.Literal('YYYYMMDD'), Type.Literal('YYYY/MM/DD'),
        Type.Literal('excel'), Type.Literal('zh'),
      ]),
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
  },
  { additionalProperties: false },
);

const Schedule = Type.Union([
  Type.Object({ cron: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  Type.Object({ intervalSecs: Type.Integer({ minimum: 1, maximum: 31_536_000 }) }, { additionalProperties: false }),
]);

export const SqliteSourceSchema = Type.Object(
  {
    name: Name,
    kind: Type.Literal('sqlite'),
    file: Type.String({ minLength: 1, description: 'path of the SQLite database file, relative to the config file' }),
    pageSize: Type.Integer({ minimum: 1, maximum: 100_000, default: 500 }),
  },
  { additionalProperties: false },
);

export const SourceSchema = Type.Union([SqliteSourceSchema]);

export const JobSchema = Type.Object(
  {
    name: Name,
    source: Name,
    category: Type.String({ pattern: '^P[0-9]{2}-[0-9]{3}$', description: 'catalog code, e.g. P07-002' }),
    query: Type.String({ minLength: 1 }),
    mode: Type.Literal('incremental', { default: 'incremental' }),
    cursor: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    key: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    subject: Type.Object(
      {
        kind: Type.Union([
          SubjectKind,
          Type.Object(
            { column: Type.String({ minLength: 1 }), values: Type.Record(Type.String(), SubjectKind) },
            { additionalProperties: false },
          ),
        ]),
        name: Type.String({ minLength: 1 }),
        code: Type.String({ minLength: 1 }),
      },
      { additionalProperties: false },
    ),
    fields: Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*$' }), Type.Union([Type.String({ minLength: 1 }), FieldRule])),
    deleted: Type.Optional(
      Type.Object(
        { column: Type.String({ minLength: 1 }), values: Type.Array(Type.Union([Type.String(), Type.Number()]), { minItems: 1 }) },
        { additionalProperties: false },
      ),
    ),
    schedule: Type.Optional(Schedule),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    enabled: Type.Boolean({ default: true }),
  },
  { additionalProperties: false },
);

export const ConfigSchema = Type.Object(
  {
    gateway: Type.Object(
      {
        id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'gatewayId issued by the credit center' }),
        department: Type.String({ minLength: 1 }),
        dataDir: Type.String({ minLength: 1, default: './data' }),
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
    status: Type.Object(
      {
        host: Type.String({ default: '127.0.0.1' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8650 }),
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
    secrets: Type.Object(
      { file: Type.Optional(Type.String({ minLength: 1 })) },
      { additionalProperties: false, default: {} },
    ),
    sources: Type.Array(SourceSchema, { default: [] }),
    jobs: Type.Array(JobSchema, { default: [] }),
  },
  { additionalProperties: false },
);

export type GatewayConfig = Static<typeof ConfigSchema>;
export type SourceConfig = Static<typeof SourceSchema>;
export type JobConfig = Static<typeof JobSchema>;
export type ScheduleConfig = Static<typeof Schedule>;
