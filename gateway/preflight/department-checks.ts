/**
 * The department as the catalog knows it: start goes ahead without, but the
 * status page's coverage (which categories the department owes, which are
 * fed) then shows nothing. A warning, with the nearest provider names.
 */
import type { GatewayConfig } from '../../config/schema.js';
import type { Catalog, CatalogProvider } from '../catalog/index.js';
import { closeIdentifiers, closeMatches } from '../catalog/close-matches.js';
import { normaliseName } from '../catalog/names.js';
import type { FoundProblem } from './problem.js';

const shown = (p: CatalogProvider) => `${p.code} ${p.name}${p.aliases.length > 0 ? ` (${p.aliases[0]})` : ''}`;

export function departmentWarnings(config: Readonly<GatewayConfig>, catalog: Catalog, usable: (path: string) => boolean): FoundProblem[] {
  const { provider, department } = config.gateway;
  if (provider !== undefined) {
    if (!usable('gateway.provider') || catalog.provider(provider)) return [];
    const near = closeIdentifiers(provider, catalog.providers.map((p) => p.code)).flatMap((code) => catalog.provider(code) ?? []);
    return [{ path: 'gateway.provider', code: 'CONFIG_DEPARTMENT_UNKNOWN', message: `"${provider}" is not a provider code of the information catalog`, suggestions: near.map(shown) }];
  }
  if (!usable('gateway.department') || catalog.provider(department)) return [];
  const near = closeMatches(normaliseName(department), catalog.providers.map((p) => ({ item: p, names: [p.name, ...p.aliases] })), 3);
  return [{ path: 'gateway.department', code: 'CONFIG_DEPARTMENT_UNKNOWN', message: `"${department}" is not a department of the information catalog, and gateway.provider is not set`, suggestions: near.map(shown) }];
}
