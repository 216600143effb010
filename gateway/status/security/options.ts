import type { Role, SecurityOptions, StatusUser } from './contract.js';
import { StatusSecurityError, type StatusSecurityCode } from './errors.js';
import { isPasswordHash } from './password.js';

export { isLoopback } from '../../delivery/platform-url.js';

/** The `status` member of the configuration, as far as security reads it. */
export interface StatusSecurityConfig {
  requireLogin: boolean;
  users: readonly { name: string; role: Role; secretRef: string }[];
  sessionMinutes: number;
}

/** A weak setup the gateway refuses to serve, at the member that makes it so. */
export interface StatusSetupProblem {
  code: StatusSecurityCode;
  path: string;
  detail: string;
}

type SecretReader = { get(name: string, path: string): string };

/**
 * Every weak setup of the page's logins at once: an exposed page (or one
 * told to ask for a login) without users, two users of one name, a user
 * whose secret holds a password instead of its hash. A user whose secret is
 * not defined is the secrets' check's to report, not this one's.
 */
export function statusSecurityProblems(status: StatusSecurityConfig, secrets: SecretReader, exposed: boolean): StatusSetupProblem[] {
  const problems: StatusSetupProblem[] = [];
  if ((exposed || status.requireLogin) && status.users.length === 0) {
    problems.push({ code: 'STATUS_LOGIN_NOT_CONFIGURED', path: 'status.users', detail: exposed ? 'status.host is not a loopback address' : 'status.requireLogin is true' });
  }
  const seen = new Set<string>();
  status.users.forEach((user, i) => {
    if (seen.has(user.name)) problems.push({ code: 'STATUS_USER_DUPLICATE', path: `status.users[${i}].name`, detail: `status.users[${i}].name "${user.name}"` });
    seen.add(user.name);
    const path = `status.users[${i}].secretRef`;
    let hash: string;
    try {
      hash = secrets.get(user.secretRef, path);
    } catch {
      return;
    }
    // The value is never quoted: it may be the very password that should not be there.
    if (!isPasswordHash(hash)) problems.push({ code: 'STATUS_SECRET_NOT_HASHED', path, detail: `${path} (secret "${user.secretRef}" of user "${user.name}")` });
  });
  return problems;
}

/**
 * SecurityOptions from the configuration and local secrets, refusing weak
 * setups before anything listens (statusSecurityProblems; the first is
 * thrown, `config check` and start's preflight list them all). `exposed` is
 * `!isLoopback(config.status.host)`.
 */
export function securityOptionsFrom(status: StatusSecurityConfig, secrets: SecretReader, exposed: boolean): SecurityOptions {
  const [first] = statusSecurityProblems(status, secrets, exposed);
  if (first) throw new StatusSecurityError(first.code, first.detail);
  const requireLogin = exposed || status.requireLogin;
  const users: StatusUser[] = status.users.map((user, i) => ({ name: user.name, role: user.role, hash: secrets.get(user.secretRef, `status.users[${i}].secretRef`) }));
  return { exposed, requireLogin, users, sessionMinutes: status.sessionMinutes };
}
