import type { GatewayErrorCode } from '../errors.js';
import { GATEWAY_ERRORS } from '../errors.js';

/** Errors of `credit-gateway init`. Branch on `err.code`; codes and actions are in gateway/errors.ts. */
export type InitErrorCode = Extract<GatewayErrorCode, `INIT_${string}`>;

export class InitError extends Error {
  readonly code: InitErrorCode;
  readonly action: string;
  constructor(code: InitErrorCode, detail?: string) {
    const spec = GATEWAY_ERRORS[code];
    super(detail ? `${spec.message}: ${detail}` : spec.message);
    this.name = 'InitError';
    this.code = code;
    this.action = spec.action;
  }
}
