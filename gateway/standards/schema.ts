/**
 * The shape of the seed files, as TypeBox schemas: what a hand edit of
 * seeds/standards/*.json may contain. Unknown members are errors, so a typo
 * (`requried`) is caught at load instead of silently meaning "optional".
 * Cross-references (unique codes, code tables that exist) are checked in
 * check.ts, which the schema cannot express.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { INFO_TYPES } from '../catalog/types.js';
import { FIELD_TYPES, IDENTIFIER_KINDS, RULE_KINDS, SUBJECT_ROLES } from './types.js';

const literals = (values: readonly string[]): TSchema => Type.Union(values.map((v) => Type.Literal(v)));

const Code = Type.String({ pattern: '^[A-Z][A-Z0-9_]*$', description: 'upper-case letters, digits and _' });
const Chinese = Type.String({ pattern: '[\\u4e00-\\u9fff]', description: 'Chinese text' });
const Text = Type.String({ minLength: 1 });

const Field = Type.Object(
  {
    code: Code,
    name: Chinese,
    type: literals(FIELD_TYPES),
    maxLength: Type.Optional(Type.Integer({ minimum: 1 })),
    required: Type.Boolean(),
    codeTable: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]*$' })),
    multiple: Type.Optional(Type.Boolean()),
    format: Type.Optional(Text),
    scale: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
    unit: Type.Optional(Text),
    identifier: Type.Optional(literals(IDENTIFIER_KINDS)),
    longTerm: Type.Optional(Type.Boolean()),
    subject: Type.Optional(literals(SUBJECT_ROLES)),
    description: Chinese,
    aliases: Type.Optional(Type.Array(Text)),
  },
  { additionalProperties: false },
);

const Rule = Type.Object(
  {
    kind: literals(RULE_KINDS),
    fields: Type.Array(Code, { minItems: 1 }),
    when: Type.Optional(
      Type.Object(
        { field: Code, in: Type.Optional(Type.Array(Text, { minItems: 1 })), filled: Type.Optional(Type.Literal(true)) },
        { additionalProperties: false },
      ),
    ),
    warnAbove: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    message: Chinese,
  },
  { additionalProperties: false },
);

const Retired = Type.Object(
  { code: Code, name: Chinese, note: Chinese, aliases: Type.Optional(Type.Array(Text)) },
  { additionalProperties: false },
);

export const StandardSchema = Type.Object(
  {
    infoType: literals(INFO_TYPES),
    code: Type.String({ pattern: '^[a-z][a-z0-9-]*$' }),
    name: Chinese,
    version: Text,
    source: Text,
    /** The identifying fields: a record's key (see types.ts). */
    key: Type.Array(Code, { minItems: 1 }),
    fields: Type.Array(Field, { minItems: 1 }),
    rules: Type.Array(Rule),
    retired: Type.Optional(Type.Array(Retired)),
  },
  { additionalProperties: false },
);

const CodeValue = Type.Object(
  {
    value: Text,
    label: Type.Optional(Chinese),
    aliases: Type.Optional(Type.Array(Text)),
    subjectKind: Type.Optional(literals(['legal', 'natural', 'individual_business'])),
    legacy: Type.Optional(Chinese),
  },
  { additionalProperties: false },
);

export const CodeTablesSchema = Type.Object(
  {
    tables: Type.Array(
      Type.Object(
        {
          code: Type.String({ pattern: '^[a-z][a-z0-9-]*$' }),
          name: Chinese,
          source: Text,
          values: Type.Array(CodeValue, { minItems: 1 }),
          otherPrefix: Type.Optional(Text),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
