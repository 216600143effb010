/**
 * The department as the catalog knows it: start goes ahead without, but the
 * status page's coverage (which categories the department owes, which are
 * fed) then lists only what is fed. A warning, with the nearest names of
 * today and of 2017, or the nearest provider codes.
 */
import type { GatewayConfig } from '../../config/schema.js';
import type { Catalog } from '../catalog/index.js';
import { closeIdentifiers } from '../catalog/close-matches.js';
import { closeDepartmentNames, resolveDepartment } from '../catalog/department-lookup.js';
import type { FoundProblem } from './problem.js';

export function departmentWarnings(config: Readonly<GatewayConfig>, catalog: Catalog, usable: (path: string) => boolean): FoundProblem[] {
  const { provider, department } = config.gateway;
  if (provider !== undefined) {
    if (!usable('gateway.provider')) return [];
    const codes = typeof provider === 'string' ? [{ code: provider, path: 'gateway.provider' }] : provider.map((code, i) => ({ code, path: `gateway.provider[${i}]` }));
    return codes
      .filter(({ code }) => !catalog.provider(code))
      .map(({ code, path }) => ({
        path,
        code: 'CONFIG_DEPARTMENT_UNKNOWN',
        message: `"${code}" is not a provider code of the information catalog`,
        suggestions: closeIdentifiers(code, catalog.providers.map((p) => p.code)).map((near) => `${near} ${catalog.provider(near)?.name ?? ''}`.trim()),
      }));
  }
  if (!usable('gateway.department') || resolveDepartment(catalog, department)) return [];
  return [{
    path: 'gateway.department',
    code: 'CONFIG_DEPARTMENT_UNKNOWN',
    message: `"${department}" is not a department the catalog knows (by today's name or its 2017 one), and gateway.provider is not set`,
    suggestions: closeDepartmentNames(catalog, department).slice(0, 3),
  }];
}
