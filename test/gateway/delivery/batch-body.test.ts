import t from 'tap';
import { gunzipSync, gzipSync } from 'node:zlib';
import { BODY_GZIP_LEVEL, encodeBatchBody, ndjson } from '../../../gateway/delivery/batch-body.js';

const records = [{ line: '{"id":"a","seq":1}' }, { line: '{"id":"b","seq":2,"data":{"名称":"黄石"}}' }];
const expected = '{"id":"a","seq":1}\n{"id":"b","seq":2,"data":{"名称":"黄石"}}\n';

t.test('NDJSON: every stored line followed by a newline, UTF-8 without BOM', async (t) => {
  const bytes = ndjson(records);
  t.equal(bytes.toString('utf8'), expected);
  t.not(bytes[0], 0xef, 'no BOM');
});

t.test('gzip is on by default and inflates to the exact lines', async (t) => {
  const body = await encodeBatchBody(records);
  t.equal(body.contentEncoding, 'gzip');
  t.equal(gunzipSync(body.bytes).toString('utf8'), expected);
  t.equal(body.rawBytes, Buffer.byteLength(expected));
});

t.test('with gzip off the body is the identity NDJSON and no encoding is declared', async (t) => {
  const body = await encodeBatchBody(records, { gzip: false });
  t.equal(body.contentEncoding, null);
  t.equal(body.bytes.toString('utf8'), expected);
});

t.test('the same records always give the same bytes, so a resent batch is identical', async (t) => {
  t.same((await encodeBatchBody(records)).bytes, (await encodeBatchBody(records)).bytes);
});

t.test('a body compressed on the thread pool is byte for byte gzip of the NDJSON at the level bodies are sent at', async (t) => {
  const many = Array.from({ length: 500 }, (_, i) => ({ line: JSON.stringify({ id: `r${i}`, seq: i, data: { CF_XDR_MC: `黄石测试企业${i}有限公司` } }) }));
  t.same((await encodeBatchBody(many)).bytes, gzipSync(ndjson(many), { level: BODY_GZIP_LEVEL }));
  t.ok(gzipSync(ndjson(many), { level: BODY_GZIP_LEVEL }).length < ndjson(many).length / 5, 'and a fraction of its size');
  t.same((await encodeBatchBody(many, { gzip: false })).bytes, ndjson(many));
});
