import type { Role, SecurityOptions, StatusUser } from './contract.js';
import { StatusSecurityError } from './errors.js';
import { isPasswordHash } from './password.js';

export { isLoopback } from '../../delivery/platform-url.js';

/** The `status` member of the configuration, as far as security reads it. */
export interface StatusSecurityConfig {
  requireLogin: boolean;
  users: readonly { name: string; role: Role; secretRef: string }[];
  sessionMinutes: number;
}

/**
 * SecurityOptions from the configuration and local secrets, refusing weak
 * setups before anything listens: an exposed page without users, or a user
 * whose secret holds a password instead of its hash. `exposed` is
 * `!isLoopback(config.status.host)`.
 */
export function securityOptionsFrom(status: StatusSecurityConfig, secrets: { get(name: string, path: string): string }, exposed: boolean): SecurityOptions {
  const requireLogin = exposed || status.requireLogin;
  if (requireLogin && status.users.length === 0) {
    throw new StatusSecurityError('STATUS_LOGIN_NOT_CONFIGURED', exposed ? 'status.host is not a loopback address' : 'status.requireLogin is true');
  }
  const seen = new Set<string>();
  const users: StatusUser[] = status.users.map((user, i) => {
    if (seen.has(user.name)) throw new StatusSecurityError('STATUS_USER_DUPLICATE', `status.users[${i}].name "${user.name}"`);
    seen.add(user.name);
    const path = `status.users[${i}].secretRef`;
    const hash = secrets.get(user.secretRef, path);
    // The value is never quoted: it may be the very password that should not be there.
    if (!isPasswordHash(hash)) throw new StatusSecurityError('STATUS_SECRET_NOT_HASHED', `${path} (secret "${user.secretRef}" of user "${user.name}")`);
    return { name: user.name, role: user.role, hash };
  });
  return { exposed, requireLogin, users, sessionMinutes: status.sessionMinutes };
}
