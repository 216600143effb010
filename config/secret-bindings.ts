/**
 * Where each local secret may be sent, decided by the local configuration
 * alone, so that not even a bundle signed with the credit center's own key
 * can send one elsewhere:
 *
 * - the platform secret (`platform.secretRef`) signs requests to the
 *   platform and is never a source's password;
 * - status users' secrets (password hashes) and any secret the local
 *   configuration does not name for a database are never sent anywhere;
 * - a database secret goes only to the hosts the local configuration allows
 *   it for: implicitly the host and port (or SQL Server instance) of the
 *   local sources whose `passwordRef` it is, and explicitly `secrets.allow`,
 *   e.g. `{ hr_db: ['10.1.2.3', 'db2.example:1521'] }` (a host without a
 *   port allows every port of it). Bundles cannot change either.
 *
 * Hosts are compared as source-destination.ts says: as written, without DNS.
 */
import type { ConfigProblem } from './errors.js';
import type { DatabaseSourceConfig, SourceConfig } from './schema.js';
import { formatEndpoint, parseAllowEntry, sourceDestination, type Endpoint } from './source-destination.js';

/** What binds secrets: the local configuration (a bundle has no say). */
export interface LocalSecretUse {
  platform: { secretRef: string };
  status?: { users: readonly { secretRef: string }[] };
  secrets?: { allow?: Readonly<Record<string, readonly string[]>> };
  sources: readonly SourceConfig[];
}

/** Why a secret may not go where a source would send it. */
export type BindingRefusal =
  | { kind: 'reserved'; role: 'platform' | 'status'; host: string }
  | { kind: 'elsewhere'; host: string; allowed: string[] }
  | { kind: 'unclear'; host: string; allowed: string[] };

interface Rule {
  host: string;
  /** Absent: any port of the host. */
  port?: number;
  instance?: string;
}

const passwordRefOf = (s: SourceConfig): string | null => (s.kind === 'sqlite' || s.kind === 'folder' ? null : s.passwordRef);

function formatRule(rule: Rule): string {
  return formatEndpoint({ host: rule.host, port: rule.port ?? null, ...(rule.instance !== undefined ? { instance: rule.instance } : {}) });
}

function ruleAllows(rule: Rule, e: Endpoint): boolean {
  if (rule.host !== e.host) return false;
  if (rule.instance !== undefined) return e.instance === rule.instance;
  if (rule.port === undefined) return true;
  return e.instance === undefined && e.port === rule.port;
}

export class SecretBindings {
  readonly #platform: string;
  readonly #status: ReadonlySet<string>;
  /** Per database secret: the rules for single endpoints, and whole destinations of local sources. */
  readonly #rules = new Map<string, Rule[]>();
  readonly #exact = new Map<string, Set<string>>();
  /** Local destinations no rule can stand for (a TNS alias, an unclear host), as written, for messages. */
  readonly #wholeOnly = new Map<string, Set<string>>();

  constructor(local: LocalSecretUse) {
    this.#platform = local.platform.secretRef;
    this.#status = new Set((local.status?.users ?? []).map((u) => u.secretRef));
    for (const source of local.sources) {
      const name = passwordRefOf(source);
      if (name === null) continue;
      const destination = sourceDestination(source as DatabaseSourceConfig);
      this.#exactFor(name).add(destination.exact);
      if (destination.endpoints === null || destination.endpoints.some((e) => e.port === null && e.instance === undefined)) {
        if (!this.#wholeOnly.has(name)) this.#wholeOnly.set(name, new Set());
        this.#wholeOnly.get(name)!.add(destination.written);
      }
      for (const e of destination.endpoints ?? []) {
        // A port this configuration does not know is allowed only as part of the whole destination above.
        if (e.instance !== undefined) this.#rulesFor(name).push({ host: e.host, instance: e.instance });
        else if (e.port !== null) this.#rulesFor(name).push({ host: e.host, port: e.port });
      }
    }
    for (const [name, entries] of Object.entries(local.secrets?.allow ?? {})) {
      const rules = this.#rulesFor(name);
      for (const entry of entries) {
        const rule = parseAllowEntry(entry);
        if (rule) rules.push(rule);
      }
    }
  }

  #rulesFor(name: string): Rule[] {
    if (!this.#rules.has(name)) this.#rules.set(name, []);
    return this.#rules.get(name)!;
  }

  #exactFor(name: string): Set<string> {
    if (!this.#exact.has(name)) this.#exact.set(name, new Set());
    return this.#exact.get(name)!;
  }

  /** Where the local configuration lets a database secret go, as an operator would write it. */
  allowedFor(name: string): string[] {
    return [...new Set([...(this.#rules.get(name) ?? []).map(formatRule), ...(this.#wholeOnly.get(name) ?? [])])];
  }

  /** Null when the source may be given this secret; otherwise why not. Pure: nothing is resolved or opened. */
  refusal(name: string, source: DatabaseSourceConfig): BindingRefusal | null {
    const destination = sourceDestination(source);
    const where = () => destination.endpoints?.map(formatEndpoint).join(', ') || destination.written;
    if (name === this.#platform) return { kind: 'reserved', role: 'platform', host: where() };
    if (this.#status.has(name)) return { kind: 'reserved', role: 'status', host: where() };
    if (this.#exact.get(name)?.has(destination.exact)) return null;
    const allowed = this.allowedFor(name);
    if (destination.endpoints === null) return { kind: 'unclear', host: destination.written, allowed };
    const rules = this.#rules.get(name) ?? [];
    const outside = destination.endpoints.find((e) => !rules.some((r) => ruleAllows(r, e)));
    return outside ? { kind: 'elsewhere', host: formatEndpoint(outside), allowed } : null;
  }
}

/** The refusal in words for logs, pages and the platform; names the secret and the host, never a value. */
export function describeRefusal(name: string, refusal: BindingRefusal): string {
  const head = `secret "${name}" may not be sent to ${refusal.host}`;
  if (refusal.kind === 'reserved') {
    return refusal.role === 'platform'
      ? `${head}: it is the platform secret, which goes only to the platform, never to a source`
      : `${head}: it is a status page user's secret, which is never sent anywhere`;
  }
  const allowed = refusal.allowed.length > 0 ? `the local configuration allows it only for ${refusal.allowed.join(', ')}` : 'the local configuration allows it for no host';
  return refusal.kind === 'elsewhere' ? `${head}: ${allowed}` : `${head}: which host that reaches cannot be told for certain; ${allowed}`;
}

/**
 * The local configuration's own misuse, reported at load (`config check`):
 * the platform secret or a status user's secret as a source's password, one
 * secret in two roles, `secrets.allow` for a secret that is not a database's
 * or with an entry that is not a host.
 */
export function secretUseProblems(local: LocalSecretUse): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const platform = local.platform.secretRef;
  const status = new Set((local.status?.users ?? []).map((u) => u.secretRef));
  const role = (name: string) => (name === platform ? 'the platform secret (platform.secretRef)' : status.has(name) ? "a status page user's secret" : null);
  (local.status?.users ?? []).forEach((u, i) => {
    if (u.secretRef === platform) problems.push({ path: `status.users[${i}].secretRef`, message: `"${u.secretRef}" is the platform secret (platform.secretRef): give the user a secret of its own` });
  });
  local.sources.forEach((s, i) => {
    const name = passwordRefOf(s);
    const used = name === null ? null : role(name);
    if (used) problems.push({ path: `sources[${i}].passwordRef`, message: `"${name}" is ${used}, which is never sent to a database: give the source the database account's own secret` });
  });
  for (const [name, entries] of Object.entries(local.secrets?.allow ?? {})) {
    const used = role(name);
    if (used) problems.push({ path: `secrets.allow.${name}`, message: `"${name}" is ${used}, which is never sent to a database: remove it from secrets.allow` });
    entries.forEach((entry, i) => {
      if (!parseAllowEntry(entry)) {
        problems.push({ path: `secrets.allow.${name}[${i}]`, message: `"${entry}" is not a host: write host, host:port, [IPv6]:port or host\\INSTANCE (names are compared as written, never resolved)` });
      }
    });
  }
  return problems;
}
