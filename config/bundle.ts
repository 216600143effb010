/**
 * The bundle document of the credit center (platform-api.md section 4):
 * `{gatewayId, version, issuedAt, sources, jobs, catalog?, profiles?}`. Its
 * `sources`, `jobs` and `profiles` are checked exactly as a local
 * configuration's (validate.ts),
 * so a bundle is refused for the same reasons, with the same paths, as the
 * equivalent YAML file. Nothing here knows about signatures or this
 * gateway: gateway/control/verify.ts decides what is accepted.
 */
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { ConfigProblem } from './errors.js';
import type { JobConfig, ProfileConfig, SourceConfig } from './schema.js';
import { checkSourcesAndJobs, pointerToPath } from './validate.js';

const ISO_INSTANT = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$';

/** The top level; `sources` and `jobs` are checked member by member by validate.ts. */
export const BundleHeadSchema = Type.Object(
  {
    gatewayId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'the gateway.id of the gateway it is for' }),
    version: Type.Integer({ minimum: 1, description: 'a whole number above the version the gateway runs' }),
    issuedAt: Type.String({ pattern: ISO_INSTANT, description: 'ISO 8601 date and time with zone, e.g. 2026-03-01T09:00:00+08:00' }),
    sources: Type.Unknown(),
    jobs: Type.Unknown(),
    catalog: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    /** Export profiles the credit center writes once for every department using the same national system; they apply beside the local ones. */
    profiles: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

export interface BundleDocument {
  gatewayId: string;
  version: number;
  issuedAt: string;
  sources: SourceConfig[];
  jobs: JobConfig[];
  catalog?: Record<string, unknown>;
  profiles?: ProfileConfig[];
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Member names that hold a secret's value. A bundle carries only the names of
 * local secrets, in members ending in `Ref` (`passwordRef`, `secretRef`).
 */
const SECRET_NAME = /pass(word|wd)|pwd|secret|token|api[_-]?key|private[_-]?key/i;
const REFERENCE_NAME = /(Ref|_ref)$/;

function childPath(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

function walk(value: unknown, path: string, visit: (key: string, child: unknown, at: string) => void): void {
  if (Array.isArray(value)) {
    value.forEach((child, i) => walk(child, childPath(path, i), visit));
  } else if (isMapping(value)) {
    for (const [key, child] of Object.entries(value)) {
      const at = childPath(path, key);
      visit(key, child, at);
      walk(child, at, visit);
    }
  }
}

/** Paths of members, at any depth, whose name says they hold a secret value rather than a secret's name. */
export function secretValuePaths(doc: unknown): string[] {
  const paths: string[] = [];
  walk(doc, '', (key, _child, at) => {
    if (SECRET_NAME.test(key) && !REFERENCE_NAME.test(key)) paths.push(at);
  });
  return paths;
}

/** Every secret named by a `…Ref` member, at any depth, with its path; only well-formed names. */
export function secretReferences(doc: unknown): { path: string; name: string }[] {
  const refs: { path: string; name: string }[] = [];
  walk(doc, '', (key, child, at) => {
    // A malformed name may be a pasted value: it is a schema problem, never echoed as a name.
    if (REFERENCE_NAME.test(key) && typeof child === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(child)) refs.push({ path: at, name: child });
  });
  return refs;
}

function headProblems(doc: Record<string, unknown>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  // The two lists are reported by validate.ts, missing ones included.
  const seen = new Set<string>(['sources', 'jobs', 'profiles']);
  for (const error of Value.Errors(BundleHeadSchema, doc)) {
    const path = pointerToPath(error.path);
    if (seen.has(path)) continue;
    seen.add(path);
    const hint = (error.schema as { description?: string }).description;
    problems.push({ path, message: hint ? `${error.message} (${hint})` : error.message });
  }
  if (typeof doc.issuedAt === 'string' && !seen.has('issuedAt') && Number.isNaN(Date.parse(doc.issuedAt))) {
    problems.push({ path: 'issuedAt', message: 'is not a real date and time' });
  }
  return problems;
}

/**
 * Schema and reference problems of a parsed bundle, every one with its path,
 * and the bundle with defaults applied when there are none. The document
 * given is not changed.
 */
export function checkBundleDocument(doc: unknown): { bundle: BundleDocument | null; problems: ConfigProblem[] } {
  if (!isMapping(doc)) return { bundle: null, problems: [{ path: '', message: 'expected a JSON object at the top level' }] };
  const lists = checkSourcesAndJobs({ sources: doc.sources, jobs: doc.jobs, profiles: doc.profiles });
  const problems = [...headProblems(doc), ...lists.problems];
  if (problems.length > 0) return { bundle: null, problems };
  const bundle = { ...structuredClone(doc), sources: lists.sources, jobs: lists.jobs, ...(lists.profiles !== undefined ? { profiles: lists.profiles } : {}) } as unknown as BundleDocument;
  return { bundle, problems };
}
