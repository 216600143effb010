import t, { type Test } from 'tap';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../gateway/logger.js';
import { containsIdNumber } from '../../gateway/identifiers/mask.js';
import { fillDisk, mountTmpfs } from '../helpers/tmpfs.js';

/**
 * What reaches the log file: secrets never, identity numbers only masked,
 * wherever in the line they were put.
 */

const ID = '420202198001011237';
const MASKED = '420202********1237';

function logTo(t: Test) {
  const file = join(t.testdir({}), 'gateway.log');
  const logger = createLogger({ level: 'debug', destination: file });
  const lines = () => readFileSync(file, 'utf8').trim().split('\n');
  return { logger, lines, text: () => readFileSync(file, 'utf8') };
}

t.test('an identity number in the message and in a nested string is written only masked', async (t) => {
  const { logger, lines, text } = logTo(t);
  logger.info({ job: 'penalties', row: { subject: { note: `当事人身份证号 ${ID}，已处罚` }, keys: [ID, 'k2'] } }, `row ${ID} refused`);
  const [line] = lines().map((l) => JSON.parse(l));
  t.equal(line.msg, `row ${MASKED} refused`);
  t.equal(line.row.subject.note, `当事人身份证号 ${MASKED}，已处罚`);
  t.same(line.row.keys, [MASKED, 'k2']);
  t.equal(line.job, 'penalties', 'other fields as they were');
  t.notOk(containsIdNumber(text()), 'no unmasked identity number anywhere in the file');
});

t.test('format arguments, child bindings, object keys and errors are masked too', async (t) => {
  const { logger, lines, text } = logTo(t);
  logger.child({ file: `${ID}.xlsx` }).warn('key %s refused', ID);
  logger.error({ err: new Error(`no such person ${ID}`), byKey: { [ID]: 1 } }, 'lookup failed');
  logger.error(new Error(`bad row ${ID}`));
  const [a, b, c] = lines().map((l) => JSON.parse(l));
  t.equal(a.msg, `key ${MASKED} refused`);
  t.equal(a.file, `${MASKED}.xlsx`);
  t.equal(b.err.message, `no such person ${MASKED}`);
  t.match(b.err.stack, MASKED);
  t.same(b.byKey, { [MASKED]: 1 });
  t.equal(c.msg, `bad row ${MASKED}`, 'a lone error gives its masked message');
  t.equal(c.err.type, 'Error');
  t.match(c.err.stack, /^Error: bad row 420202\*{8}1237\n\s+at /);
  t.notOk(containsIdNumber(text()));
});

t.test('a record key, a legacy number, full-width digits and an ID glued to letters are written masked', async (t) => {
  const { logger, lines, text } = logTo(t);
  logger.warn({ key: `黄人社监罚〔2026〕301号\u001f${ID}`, legacy: '420202900101123', wide: '４２０２０２１９８００１０１１２３７' }, `cell ID${ID} is no date`);
  const [line] = lines().map((l) => JSON.parse(l));
  t.equal(line.key, `黄人社监罚〔2026〕301号\u001f${MASKED}`);
  t.equal(line.legacy, '420202******123');
  t.equal(line.wide, '４２０２０２********１２３７');
  t.equal(line.msg, `cell ID${MASKED} is no date`);
  t.notOk(containsIdNumber(text()));
});

t.test('secrets are still redacted, and numbers that are not identity numbers are left alone', async (t) => {
  const { logger, lines } = logTo(t);
  logger.info({ password: 'p4ss', platform: { secret: 's3cret', token: 't0k' }, headers: { authorization: 'HMAC x' }, batchId: '01JDXYZ', seq: 123456789012345678 }, 'sent');
  logger.info({ creditCode: '91420200MA4KXXXXXC', phone: '13800138000', id19: `${ID}9` }, 'not identity numbers');
  const [a, b] = lines().map((l) => JSON.parse(l));
  t.equal(a.password, '[redacted]');
  t.equal(a.platform.secret, '[redacted]');
  t.equal(a.platform.token, '[redacted]');
  t.equal(a.headers.authorization, '[redacted]');
  t.equal(a.batchId, '01JDXYZ');
  t.match(b, { creditCode: '91420200MA4KXXXXXC', phone: '13800138000', id19: `${ID}9`, msg: 'not identity numbers' }, 'unchanged');
});

t.test('a circular object is logged without hanging', async (t) => {
  const { logger, lines } = logTo(t);
  const loop: Record<string, unknown> = { note: ID };
  loop.self = loop;
  logger.info({ loop }, 'circular');
  const [line] = lines().map((l) => JSON.parse(l));
  t.equal(line.loop.note, MASKED);
});

t.test('a full disk under the log never throws into the code that logs, and writing resumes when space returns', async (t) => {
  const dir = mountTmpfs(t, 1);
  if (!dir) return;
  const file = join(dir, 'gateway.log');
  const logger = createLogger({ destination: file });
  const filler = fillDisk(dir);
  t.doesNotThrow(() => {
    for (let i = 0; i < 2000; i++) logger.info({ i, pad: 'x'.repeat(200) }, 'while the disk is full');
  }, 'no log call throws ENOSPC');
  rmSync(filler);
  logger.info('space is back');
  t.match(readFileSync(file, 'utf8'), /space is back/, 'lines are written again once there is room');
});
