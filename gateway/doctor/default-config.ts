import { join, resolve } from 'node:path';

/**
 * Where an installed gateway's configuration is, so `credit-gateway doctor`
 * needs no --config after the installer ran: the launcher sets
 * CREDIT_GATEWAY_HOME to P/opt/credit-gateway, and the configuration is
 * P/etc/credit-gateway/gateway.yaml (the install layout, P = / or --prefix).
 * Null when not started by the launcher.
 */
export function installedConfigFile(env: NodeJS.ProcessEnv): string | null {
  const home = env.CREDIT_GATEWAY_HOME;
  if (!home) return null;
  return join(resolve(home, '..', '..'), 'etc', 'credit-gateway', 'gateway.yaml');
}
