import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_ERRORS, describeError, GatewayError } from '../../gateway/errors.js';
import { CONNECTOR_ERRORS } from '../../connectors/errors.js';
import { CONFIG_CODES, CONFIG_ERRORS } from '../../config/errors.js';
import { packageRoot } from '../../gateway/paths.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const known = new Set([...Object.keys(GATEWAY_ERRORS), ...Object.keys(CONNECTOR_ERRORS), ...Object.keys(CONFIG_ERRORS)]);

t.test('every error code the code uses is in a layer catalogue', async (t) => {
  const root = packageRoot();
  const used = new Set<string>();
  for (const file of [...sources(join(root, 'gateway')), ...sources(join(root, 'connectors')), ...sources(join(root, 'config'))]) {
    if (file.includes(`${join('gateway', 'validation')}`)) continue; // rejection reasons have their own catalogue
    for (const m of readFileSync(file, 'utf8').matchAll(/'((?:STORE|DELIVERY|JOB|CATALOG|SOURCE|CONFIG|INIT)_[A-Z0-9_]+)'/g)) used.add(m[1]!);
  }
  t.ok(used.size > 10, 'the scan found codes');
  t.same([...used].filter((c) => !known.has(c)), [], 'no code outside the catalogues');
});

t.test('every gateway, connector and configuration error says what to do', async (t) => {
  for (const [code, spec] of [...Object.entries(GATEWAY_ERRORS), ...Object.entries(CONNECTOR_ERRORS), ...Object.entries(CONFIG_CODES)]) {
    t.match(code, /^[A-Z][A-Z0-9_]+$/);
    t.ok(spec.message.length > 5 && spec.action.length > 5, `${code} has a message and an action`);
  }
});

t.test('describeError keeps catalogue codes and their actions, and marks the unknown as INTERNAL', async (t) => {
  t.same(describeError(new GatewayError('DELIVERY_AUTH', 'HTTP 401')), {
    code: 'DELIVERY_AUTH', message: "the platform refused this gateway's signature: HTTP 401", action: GATEWAY_ERRORS.DELIVERY_AUTH.action,
  });
  const plain = Object.assign(new Error('dup'), { code: 'STORE_PAGE_INVALID' });
  t.equal(describeError(plain).action, GATEWAY_ERRORS.STORE_PAGE_INVALID.action, 'action found by code');
  t.equal(describeError(new TypeError('x')).code, 'INTERNAL');
});
