/**
 * The status server's security error catalogue. Branch on `code`. Request
 * refusals carry their HTTP status and a Chinese sentence for the page; start
 * refusals (weak setups) carry the action that fixes the configuration.
 */
export interface StatusSecuritySpec {
  /** HTTP status of a refused request; 0 for refusals at start. */
  status: number;
  message: string;
  /** What the person reading the page sees. */
  zh: string;
  action: string;
}

export const STATUS_SECURITY_ERRORS = {
  // --- refused requests ---
  STATUS_LOGIN_REQUIRED: { status: 401, message: 'login required', zh: '请先登录', action: 'log in at /login, or send Authorization: Bearer <token>' },
  STATUS_TOKEN_INVALID: { status: 401, message: 'the bearer token is not valid', zh: '访问令牌无效', action: 'send the token whose hash is in the user\'s secret (credit-gateway secrets set NAME --hash)' },
  STATUS_TOKEN_RATE_LIMITED: { status: 429, message: 'too many wrong bearer tokens from this address', zh: '访问令牌错误次数过多，请一分钟后再试', action: 'check the token the script sends, and wait a minute' },
  STATUS_ADMIN_ONLY: { status: 403, message: 'this action needs the admin role', zh: '此操作需要管理员权限', action: 'log in as a user with role admin in status.users' },
  STATUS_CSRF: { status: 403, message: 'the form token is missing or wrong', zh: '表单已过期或来源不明，请刷新页面后重试', action: 'reload the page and submit the form again; scripts send Authorization: Bearer <token> instead' },
  STATUS_ROUTE_UNDECLARED: { status: 403, message: 'this route does not declare its access', zh: '此地址未声明访问权限，已拒绝', action: 'add config: { access: \'public\' | \'viewer\' | \'admin\' } to the route (a software fault: report it)' },
  STATUS_HOST_REFUSED: { status: 403, message: 'the status page on loopback answers only to loopback host names', zh: '本机状态页只接受本机地址访问', action: 'open the page as http://127.0.0.1:<port>/ or http://localhost:<port>/; to serve other addresses set status.host and status.users' },
  STATUS_LOGIN_RATE_LIMITED: { status: 429, message: 'too many login attempts', zh: '登录尝试过于频繁，请一分钟后再试', action: 'wait a minute and try again' },
  // --- refused setups at start ---
  STATUS_LOGIN_NOT_CONFIGURED: {
    status: 0,
    message: 'the status page needs a login but no user is configured',
    zh: '状态页需要登录，但未配置用户',
    action: 'add status.users with a secretRef, and set the hash with credit-gateway secrets set NAME --hash (or listen on 127.0.0.1)',
  },
  STATUS_SECRET_NOT_HASHED: {
    status: 0,
    message: 'a status user\'s secret is not a password hash',
    zh: '状态页用户的密钥不是密码哈希',
    action: 'store the hash, never the password: credit-gateway secrets set NAME --hash',
  },
  STATUS_USER_DUPLICATE: { status: 0, message: 'two status users have the same name', zh: '状态页用户重名', action: 'give every entry of status.users its own name' },
  STATUS_TLS_REQUIRED: {
    status: 0,
    message: 'the status page would serve a non-loopback address over plain HTTP',
    zh: '状态页对外开放但未启用 HTTPS',
    action: 'set status.tls.certFile and status.tls.keyFile (README: making a certificate), or listen on 127.0.0.1; only on a network protected otherwise, set status.allowPlainHttp: true',
  },
  STATUS_TLS_CERT_UNREADABLE: { status: 0, message: 'the status page certificate cannot be read', zh: '状态页证书文件无法读取', action: 'check status.tls.certFile: relative to the configuration file, readable by the service user' },
  STATUS_TLS_CERT_INVALID: { status: 0, message: 'the status page certificate is not a PEM certificate', zh: '状态页证书格式不正确', action: 'point status.tls.certFile at the PEM certificate (-----BEGIN CERTIFICATE-----), not the key or a DER/PFX file (convert with openssl x509 -inform der)' },
  STATUS_TLS_CERT_EXPIRED: { status: 0, message: 'the status page certificate has expired', zh: '状态页证书已过期', action: 'issue a new certificate (README: making a certificate) and replace status.tls.certFile and keyFile' },
  STATUS_TLS_CERT_NOT_YET_VALID: { status: 0, message: 'the status page certificate is not valid yet', zh: '状态页证书尚未生效', action: 'check the clock of this machine (NTP), or issue a certificate valid from today' },
  STATUS_TLS_KEY_UNREADABLE: { status: 0, message: 'the status page private key cannot be read', zh: '状态页私钥文件无法读取', action: 'check status.tls.keyFile: relative to the configuration file, owned and readable by the service user' },
  STATUS_TLS_KEY_UNSAFE: { status: 0, message: 'the status page private key is readable by other users', zh: '状态页私钥文件权限过宽', action: 'chmod 600 the key file and make the service user its owner' },
  STATUS_TLS_KEY_INVALID: { status: 0, message: 'the status page private key is not an unencrypted PEM private key', zh: '状态页私钥格式不正确或已加密', action: 'point status.tls.keyFile at the PEM private key; decrypt an encrypted one with openssl pkey -in enc.key -out plain.key' },
  STATUS_TLS_KEY_MISMATCH: { status: 0, message: 'the status page private key does not belong to the certificate', zh: '状态页私钥与证书不匹配', action: 'use the key the certificate was issued for (compare openssl x509 -pubkey -noout -in CERT with openssl pkey -pubout -in KEY)' },
  STATUS_TLS_CA_UNREADABLE: { status: 0, message: 'the CA certificate of the status page cannot be read', zh: '状态页 CA 证书无法读取', action: 'check status.tls.caFile (a PEM certificate, relative to the configuration file), or remove it' },
  STATUS_TLS_CA_MISMATCH: { status: 0, message: 'the status page certificate was not issued by status.tls.caFile', zh: '状态页证书不是由所配置的 CA 签发', action: 'set status.tls.caFile to the CA that issued the certificate, or remove it for a self-signed certificate' },
  STATUS_AUDIT_FILE_UNWRITABLE: { status: 0, message: 'the audit log cannot be opened for writing', zh: '审计日志无法写入', action: 'check status.auditFile (default <dataDir>/audit.log): its folder must exist and be writable by the service user' },
  STATUS_AUDIT_FILE_UNSAFE: { status: 0, message: 'the audit log is readable by other users', zh: '审计日志文件权限过宽', action: 'chmod 600 the audit log and make the service user its owner' },
} as const satisfies Record<string, StatusSecuritySpec>;

export type StatusSecurityCode = keyof typeof STATUS_SECURITY_ERRORS;

export class StatusSecurityError extends Error {
  readonly code: StatusSecurityCode;
  readonly action: string;
  constructor(code: StatusSecurityCode, detail?: string) {
    const spec = STATUS_SECURITY_ERRORS[code];
    super(detail ? `${spec.message}: ${detail}` : spec.message);
    this.name = 'StatusSecurityError';
    this.code = code;
    this.action = spec.action;
  }
}

/** The JSON body of a refused request. */
export function refusalBody(code: StatusSecurityCode): { code: StatusSecurityCode; message: string; messageZh: string; action: string } {
  const spec = STATUS_SECURITY_ERRORS[code];
  return { code, message: spec.message, messageZh: spec.zh, action: spec.action };
}
