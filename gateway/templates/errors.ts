/**
 * Errors of the template command. Branch on `err.code`; each carries the
 * action describeError shows, like the gateway catalogue's entries.
 */
export const TEMPLATE_ERRORS = {
  TEMPLATE_FILE_EXISTS: {
    message: 'the template file already exists',
    action: 'choose another --out path, or pass --force if the file holds no data you need (a filled-in template would be lost)',
  },
  TEMPLATE_NO_CATEGORIES: {
    message: 'the department feeds no category of the catalog',
    action: 'see `credit-gateway catalog --provider <department>` for why; ask the credit center which categories it should report',
  },
  TEMPLATE_NOT_ONE_SELECTION: {
    message: 'name either one category code or --provider <department>',
    action: 'e.g. `credit-gateway template P07-002`, or `credit-gateway template --provider 市场监管局 --dir templates` for every category of a department',
  },
  TEMPLATE_UNKNOWN_CATEGORY: {
    message: 'no such category in the catalog',
    action: 'list the categories with `credit-gateway catalog --provider <department>` and use a code from it, e.g. P07-002',
  },
} as const;

export type TemplateErrorCode = keyof typeof TEMPLATE_ERRORS;

export class TemplateError extends Error {
  readonly code: TemplateErrorCode;
  readonly action: string;
  constructor(code: TemplateErrorCode, detail?: string) {
    const spec = TEMPLATE_ERRORS[code];
    super(detail ? `${spec.message}: ${detail}` : spec.message);
    this.name = 'TemplateError';
    this.code = code;
    this.action = spec.action;
  }
}
