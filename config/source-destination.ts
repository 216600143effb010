/**
 * Where a configured source connects, read from its members alone: the
 * host(s) and port (or SQL Server instance) its connector will reach, so a
 * secret can be checked against where it may go (secret-bindings.ts) before
 * anything connects.
 *
 * Hosts are compared as written, normalised only in ways that cannot change
 * the machine reached: ASCII case, IPv6 brackets and spelling, one trailing
 * dot. Names are never resolved: the check must be decided before any
 * network I/O and give the same answer every time, and a DNS answer is
 * neither (whoever controls the resolver could answer the allowed address at
 * the check and another at the connection). So allowing `10.1.2.3` does not
 * allow a name that resolves to it: list both if both are used. Anything
 * this file cannot read with certainty (a host with spaces or non-ASCII, an
 * Oracle descriptor without HOST) is "unclear", which no rule allows.
 */
import { isIPv6 } from 'node:net';
import { SOURCE_DEFAULT_PORTS } from '../connectors/options.js';
import type { DatabaseSourceConfig } from './schema.js';

/**
 * One place a connection goes. `port` null with no `instance`: the port is
 * not known from the configuration (an Oracle TNS alias, a host in a list
 * that shares a later port), so only a rule for the whole host allows it.
 */
export interface Endpoint {
  host: string;
  port: number | null;
  /** A SQL Server named instance: the port is whatever the host's SQL Browser says. */
  instance?: string;
}

/**
 * `endpoints`: every place the connection may go (all must be allowed);
 * null when they cannot be read with certainty. `exact`: the destination as
 * one canonical text, for comparing a source with a local one as a whole.
 */
export interface Destination {
  endpoints: Endpoint[] | null;
  exact: string;
  /** As the configuration wrote it, for messages. */
  written: string;
}

const HOST_NAME = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/;

/**
 * The host as compared, or null when it is not a plain host name, IPv4 or
 * IPv6 address, or (PostgreSQL) an absolute Unix socket folder.
 */
export function normaliseHost(raw: string): string | null {
  if (raw.startsWith('/')) return /[\s\0]/.test(raw) ? null : raw;
  let host = raw.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (isIPv6(host)) return new URL(`http://[${host}]/`).hostname.slice(1, -1);
  return HOST_NAME.test(host) ? host : null;
}

export function formatEndpoint(e: Endpoint): string {
  const host = e.host.includes(':') ? `[${e.host}]` : e.host;
  if (e.instance !== undefined) return `${host}\\${e.instance}`;
  return e.port === null ? host : `${host}:${e.port}`;
}

/**
 * `host`, `host:port`, `[v6]:port`, `v6`, `host\INSTANCE` (as written in
 * `secrets.allow`); `port` undefined means any port of the host. Null when
 * the text is none of these.
 */
export function parseAllowEntry(text: string): { host: string; port?: number; instance?: string } | null {
  const instance = /^([^\\]+)\\([A-Za-z0-9_$#-]{1,64})$/.exec(text);
  if (instance) {
    const host = normaliseHost(instance[1]!);
    return host === null ? null : { host, instance: instance[2]!.toLowerCase() };
  }
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  const hostPort = /^([^:]+):(\d{1,5})$/.exec(text);
  const [rawHost, rawPort] = bracketed ? [bracketed[1]!, bracketed[2]] : hostPort ? [hostPort[1]!, hostPort[2]] : [text, undefined];
  const host = normaliseHost(rawHost);
  if (host === null) return null;
  if (rawPort === undefined) return { host };
  const port = Number(rawPort);
  return port >= 1 && port <= 65_535 ? { host, port } : null;
}

function endpointOf(rawHost: string, port: number | null, instance?: string): Endpoint | null {
  const host = normaliseHost(rawHost);
  if (host === null) return null;
  return instance === undefined ? { host, port } : { host, port: null, instance: instance.toLowerCase() };
}

/** A bundle's text in a message: quoted, cut short, control characters shown as code points. */
function written(text: string): string {
  const cut = text.length > 120 ? `${text.slice(0, 120)}…` : text;
  return JSON.stringify(cut);
}

const exactOf = (kind: string, endpoints: (Endpoint | null)[], rest: string): string =>
  `${kind}://${endpoints.map((e) => (e ? formatEndpoint(e) : '?')).join(',')}${rest}`;

/** Where a database source's connector connects. */
export function sourceDestination(source: DatabaseSourceConfig): Destination {
  if (source.kind === 'sqlite') return { endpoints: [], exact: `sqlite:${source.file}`, written: source.file };
  if (source.kind === 'oracle') {
    // Thick mode reads network/admin (tnsnames.ora, sqlnet.ora) under the client folder: a name resolved there is only the same name with the same folder.
    const client = source.thickLibDir === undefined ? '' : `|client=${source.thickLibDir}`;
    if (source.connectString !== undefined) {
      const d = oracleDestination(source.connectString);
      return { ...d, exact: `${d.exact}${client}` };
    }
    const port = source.port ?? SOURCE_DEFAULT_PORTS.oracle;
    const e = endpointOf(source.host ?? '', port);
    return { endpoints: e ? [e] : null, exact: exactOf('oracle', [e], `/${source.database ?? ''}${client}`), written: written(`${source.host ?? ''}:${port}`) };
  }
  const instance = source.kind === 'mssql' ? source.instanceName : undefined;
  const port = source.port ?? SOURCE_DEFAULT_PORTS[source.kind];
  const e = endpointOf(source.host, instance === undefined ? port : null, instance);
  return { endpoints: e ? [e] : null, exact: exactOf(source.kind, [e], ''), written: written(instance === undefined ? `${source.host}:${port}` : `${source.host}\\${instance}`) };
}

/**
 * An Oracle connect string: a descriptor `(DESCRIPTION=(ADDRESS=(HOST=…)(PORT=…))…)`,
 * Easy Connect (Plus) `[tcp[s]://]host[:port][,host…][/service][?https_proxy=…]`,
 * or a bare name (a host, or a TNS alias the local tnsnames.ora defines,
 * which a bundle cannot change; its port is unknown). HTTPS proxies are
 * endpoints too: the connection goes through them.
 */
export function oracleDestination(connectString: string): Destination {
  const text = connectString.trim();
  const endpoints = text.startsWith('(') ? descriptorEndpoints(text) : easyConnectEndpoints(text);
  return { endpoints, exact: `oracle:${text.replace(/\s+/g, '').toLowerCase()}`, written: written(text) };
}

const ORACLE_DEFAULT = SOURCE_DEFAULT_PORTS.oracle;

function easyConnectEndpoints(text: string): Endpoint[] | null {
  const m = /^(?:(tcps?):)?(?:\/\/)?([^/?]+)(\/[^?]*)?(?:\?(.*))?$/i.exec(text);
  if (!m) return null;
  // Which port TCPS defaults to depends on the client's version: not known here.
  const fallback = m[1]?.toLowerCase() === 'tcps' ? null : ORACLE_DEFAULT;
  const endpoints: Endpoint[] = [];
  // Hosts in a list without their own port share one written later (or the default): not known for certain here.
  const items = m[2]!.split(/[,;]/);
  for (const [i, item] of items.entries()) {
    const parsed = parseAllowEntry(item.trim());
    if (!parsed || parsed.instance !== undefined) return null;
    const alone = items.length === 1 && !m[3] && !m[4];
    const port = parsed.port ?? (alone ? null : i === items.length - 1 ? fallback : null);
    endpoints.push({ host: parsed.host, port });
  }
  const params = new URLSearchParams(m[4] ?? '');
  const proxy = params.get('https_proxy');
  if (proxy !== null) {
    const portText = params.get('https_proxy_port');
    const e = endpointOf(proxy, portText === null ? null : Number(portText));
    if (!e || (portText !== null && !/^\d{1,5}$/.test(portText))) return null;
    endpoints.push(e);
  }
  return endpoints;
}

interface DescriptorNode {
  key: string;
  value: string | DescriptorNode[];
}

/** `(KEY=value)` and `(KEY=(…)(…))`, nested; null when it is not that. */
function parseDescriptor(text: string): DescriptorNode[] | null {
  let at = 0;
  const skip = () => {
    while (at < text.length && /\s/.test(text[at]!)) at += 1;
  };
  const nodes = (): DescriptorNode[] | null => {
    const list: DescriptorNode[] = [];
    skip();
    while (text[at] === '(') {
      at += 1;
      const eq = text.indexOf('=', at);
      if (eq < 0) return null;
      const key = text.slice(at, eq).trim().toUpperCase();
      at = eq + 1;
      skip();
      let value: string | DescriptorNode[];
      if (text[at] === '(') {
        const inner = nodes();
        if (inner === null) return null;
        value = inner;
      } else {
        const close = text.indexOf(')', at);
        if (close < 0) return null;
        value = text.slice(at, close).trim();
        at = close;
      }
      skip();
      if (text[at] !== ')') return null;
      at += 1;
      list.push({ key, value });
      skip();
    }
    return list;
  };
  const result = nodes();
  return result !== null && at === text.length ? result : null;
}

function descriptorEndpoints(text: string): Endpoint[] | null {
  const tree = parseDescriptor(text);
  if (tree === null) return null;
  const endpoints: Endpoint[] = [];
  let unclear = false;
  const value = (list: DescriptorNode[], key: string) => {
    const node = list.find((n) => n.key === key);
    return node && typeof node.value === 'string' ? node.value : undefined;
  };
  const port = (text: string | undefined, fallback: number | null) => {
    if (text === undefined) return fallback;
    return /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  };
  const visit = (list: DescriptorNode[]) => {
    const proxy = value(list, 'HTTPS_PROXY');
    if (proxy !== undefined) {
      const e = endpointOf(proxy, port(value(list, 'HTTPS_PROXY_PORT'), null));
      if (!e || Number.isNaN(e.port)) unclear = true;
      else endpoints.push(e);
    }
    for (const node of list) {
      if (typeof node.value === 'string') continue;
      if (node.key === 'ADDRESS') {
        const host = value(node.value, 'HOST');
        // A descriptor without PORT: the default depends on PROTOCOL and the client, so it is not known here.
        const e = host === undefined ? null : endpointOf(host, port(value(node.value, 'PORT'), null));
        if (!e || Number.isNaN(e.port)) unclear = true;
        else endpoints.push(e);
      }
      visit(node.value);
    }
  };
  visit(tree);
  return unclear || endpoints.length === 0 ? null : endpoints;
}
