import t from 'tap';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { batchId, del, ndjson, rid, send, upsert } from './helpers/client.js';
import { digestOf, sign } from './helpers/sign.js';
import { start } from './helpers/start.js';

const post = (url: string, body: string | Buffer, extra: Partial<Parameters<typeof send>[0]> = {}) =>
  send({ baseUrl: url, path: '/v1/batches', body, ...extra });

t.test('identity and gzip bodies are both accepted, the digest taken over the bytes as sent', async (t) => {
  const { url, receiver } = await start(t);
  const a = rid('identity');
  const b = rid('gzip');
  const plain = await post(url, ndjson([upsert(a, 1)]));
  t.equal(plain.status, 200);
  t.same(plain.body, { batchId: plain.body.batchId, accepted: 1, rejected: [], duplicate: false });
  const zipped = await post(url, ndjson([upsert(b, 2)]), { gzip: true });
  t.equal(zipped.status, 200);
  t.equal(zipped.body.accepted, 1);
  t.same(receiver.records().map((r) => r.id).sort(), [a, b].sort());
});

t.test('a gzip body signed over its uncompressed bytes fails the digest check', async (t) => {
  const { url } = await start(t);
  const body = ndjson([upsert(rid(), 1)]);
  const reply = await post(url, body, { gzip: true, digestBody: body });
  t.equal(reply.status, 401);
  t.equal(reply.body.code, 'AUTH_DIGEST');
});

t.test('a batch id processed before is answered with its first result and duplicate: true', async (t) => {
  const { url, receiver } = await start(t, { rejectRules: [{ ids: [rid('dup-bad')], code: 'X', message: 'no' }] });
  const id = batchId();
  const body = ndjson([upsert(rid('dup-ok'), 1), upsert(rid('dup-bad'), 2)]);
  const first = await post(url, body, { batchId: id });
  t.same(first.body, { batchId: id, accepted: 1, rejected: [{ id: rid('dup-bad'), code: 'X', message: 'no' }], duplicate: false });
  receiver.clearRejectRules();
  const again = await post(url, body, { batchId: id, gzip: true });
  t.equal(again.status, 200);
  t.same(again.body, { ...first.body, duplicate: true }, 'the first result, not a re-evaluation');
  t.equal(receiver.stats().duplicates, 1);
  t.equal(receiver.stats().batches, 1);
  t.equal(receiver.stats().accepted, 1);
});

t.test('batch ids are deduplicated per gateway', async (t) => {
  const { url } = await start(t, { gateways: { 'hs-rsj': 'hs-credit-demo-secret', 'hs-scjgj': 's2' } });
  const id = batchId();
  const one = await post(url, ndjson([upsert(rid(), 1)]), { batchId: id });
  const two = await post(url, ndjson([upsert(rid(), 1)]), { batchId: id, gatewayId: 'hs-scjgj', secret: 's2' });
  t.equal(one.body.duplicate, false);
  t.equal(two.body.duplicate, false);
});

t.test('the latest version of each record id is the one with the highest seq', async (t) => {
  const { url, receiver } = await start(t);
  const id = rid('versions');
  await post(url, ndjson([upsert(id, 5, { F1: 'five' })]));
  const older = await post(url, ndjson([upsert(id, 3, { F1: 'three' })]));
  t.equal(older.status, 200, 'an older version arriving late is not an error');
  t.equal(older.body.accepted, 1);
  t.same(older.body.rejected, []);
  t.equal(receiver.records()[0]!.data!.F1, 'five');
  const equal = await post(url, ndjson([upsert(id, 5, { F1: 'again' })]));
  t.equal(equal.body.accepted, 1);
  t.equal(receiver.records()[0]!.data!.F1, 'five', 'an equal seq does not replace either');
  t.equal(receiver.stats().stale, 2);

  await post(url, ndjson([upsert(id, 7, { F1: 'seven' }), del(id, 8), upsert(id, 6, { F1: 'six' })]));
  const [latest] = receiver.records();
  t.same(latest, { id, category: 'P07-002', op: 'delete', seq: 8, observedAt: '2026-11-26T08:00:00.000Z', subject: null, data: null },
    'a delete is the latest version too, so an older upsert cannot revive the record');
});

t.test('records are listed sorted by id', async (t) => {
  const { url, receiver } = await start(t);
  await post(url, ndjson([upsert(rid('c'), 1), upsert(rid('a'), 2), upsert(rid('b'), 3)]));
  const ids = receiver.records().map((r) => r.id);
  t.same(ids, [...ids].sort());
});

t.test('records that fail the platform\'s own checks are listed in rejected, the rest accepted', async (t) => {
  const { url, receiver } = await start(t);
  const ok = upsert(rid('fine'), 100);
  const cases: [object, string][] = [
    [{ ...upsert(rid(), 1), id: 'ABC' }, 'RECORD_ID_INVALID'],
    [{ ...upsert(rid(), 1), id: rid().toUpperCase() }, 'RECORD_ID_INVALID'],
    [{ ...upsert(rid(), 1), category: '' }, 'RECORD_CATEGORY_INVALID'],
    [{ ...upsert(rid(), 1), op: 'insert' }, 'RECORD_OP_INVALID'],
    [{ ...upsert(rid(), 1), seq: 0 }, 'RECORD_SEQ_INVALID'],
    [{ ...upsert(rid(), 1), seq: 1.5 }, 'RECORD_SEQ_INVALID'],
    [{ ...upsert(rid(), 1), seq: '7' }, 'RECORD_SEQ_INVALID'],
    [{ ...upsert(rid(), 1), observedAt: '2026-11-26 08:00:00' }, 'RECORD_OBSERVED_AT_INVALID'],
    [{ ...upsert(rid(), 1), subject: undefined }, 'RECORD_SUBJECT_MISSING'],
    [{ ...upsert(rid(), 1), subject: { kind: 'company', name: 'x', code: 'y' } }, 'RECORD_SUBJECT_INVALID'],
    [{ ...upsert(rid(), 1), data: undefined }, 'RECORD_DATA_MISSING'],
    [{ ...upsert(rid(), 1), data: { F1: { nested: true } } }, 'RECORD_DATA_INVALID'],
    [{ ...del(rid(), 1), data: {} }, 'RECORD_DELETE_WITH_DATA'],
    [{ ...del(rid(), 1), subject: { kind: 'legal', name: 'x', code: 'y' } }, 'RECORD_DELETE_WITH_SUBJECT'],
  ];
  const reply = await post(url, ndjson([ok, ...cases.map(([r]) => r)]));
  t.equal(reply.status, 200);
  t.equal(reply.body.accepted, 1);
  t.same(reply.body.rejected.map((r: { code: string }) => r.code), cases.map(([, code]) => code));
  t.equal(reply.body.rejected[0].id, 'ABC', 'the id is echoed as sent so the gateway can find the record');
  for (const r of reply.body.rejected) t.type(r.message, 'string');
  t.same(receiver.records().map((r) => r.id), [ok.id], 'rejected records are not stored');
  t.equal(receiver.stats().rejected, cases.length);
});

t.test('an injected rule rejects by category, id and field value', async (t) => {
  const { url, receiver } = await start(t, {
    rejectRules: [{ category: 'P07-009', field: { code: 'F1', equals: 'bad' }, code: 'FIELD_BAD', message: 'F1 may not be bad' }],
  });
  receiver.addRejectRules({ ids: [rid('banned')], code: 'BANNED', message: 'not this one' });
  const reply = await post(url, ndjson([
    upsert(rid(), 1, { F1: 'bad' }, 'P07-009'),
    upsert(rid(), 2, { F1: 'bad' }, 'P07-002'),
    upsert(rid(), 3, { F1: 'good' }, 'P07-009'),
    upsert(rid('banned'), 4),
  ]));
  t.equal(reply.body.accepted, 2);
  t.same(reply.body.rejected.map((r: { code: string }) => r.code), ['FIELD_BAD', 'BANNED']);
  receiver.reset();
  t.same(
    (await post(url, ndjson([upsert(rid('banned'), 5)]))).body.rejected, [],
    'reset goes back to the rules given at creation',
  );
});

t.test('an unusable batch is refused whole with 400 BATCH_MALFORMED', async (t) => {
  const { url, receiver } = await start(t);
  const good = ndjson([upsert(rid(), 1)]);
  const cases: [string, Parameters<typeof post>[1], Partial<Parameters<typeof send>[0]>][] = [
    ['a line is not JSON', `${good}{"id":\n`, {}],
    ['a line is a JSON array', '[1,2]\n', {}],
    ['a blank line sits between records', `${good}\n${good}`, {}],
    ['the body is empty', '', {}],
    ['the body starts with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good)]), {}],
    ['the body is not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), {}],
    ['the batch id is neither ULID nor UUID', good, { batchId: 'batch-1' }],
    ['the batch id is missing', good, { headers: { 'x-batch-id': undefined } }],
    ['the content type is JSON', good, { headers: { 'content-type': 'application/json' } }],
    ['the encoding is deflate', good, { headers: { 'content-encoding': 'deflate' } }],
    ['a gzip body is not gzip', good, { headers: { 'content-encoding': 'gzip' } }],
  ];
  for (const [name, body, extra] of cases) {
    const reply = await post(url, body, extra);
    t.equal(reply.status, 400, name);
    t.equal(reply.body.code, 'BATCH_MALFORMED', name);
  }
  t.equal(receiver.records().length, 0);
  t.equal(receiver.stats().malformed, cases.length);
});

t.test('the last line may lack its newline', async (t) => {
  const { url } = await start(t);
  const reply = await post(url, JSON.stringify(upsert(rid(), 1)));
  t.equal(reply.body.accepted, 1);
});

t.test('a content type with parameters is still NDJSON', async (t) => {
  const { url } = await start(t);
  const reply = await post(url, ndjson([upsert(rid(), 1)]), { headers: { 'content-type': 'application/x-ndjson; charset=utf-8' } });
  t.equal(reply.status, 200);
});

t.test('more records than the limit are refused with 413 BATCH_TOO_LARGE', async (t) => {
  const { url, receiver } = await start(t, { maxRecords: 3 });
  const three = ndjson([1, 2, 3].map((n) => upsert(rid(), n)));
  t.equal((await post(url, three)).status, 200, 'at the limit is fine');
  const four = await post(url, ndjson([4, 5, 6, 7].map((n) => upsert(rid(), n))), { gzip: true });
  t.equal(four.status, 413);
  t.equal(four.body.code, 'BATCH_TOO_LARGE');
  t.equal(receiver.records().length, 3, 'nothing of a refused batch is stored');
});

t.test('a body larger than the limit as sent is refused with 413, whatever it inflates to', async (t) => {
  const records = Array.from({ length: 40 }, (_, i) => upsert(rid(), i + 1, { F1: 'x'.repeat(200) }));
  const body = ndjson(records);
  const zipped = gzipSync(body).length;
  const { url } = await start(t, { maxBytes: zipped + 10 });
  const plain = await post(url, body);
  t.equal(plain.status, 413, `${Buffer.byteLength(body)} bytes plain`);
  t.equal(plain.body.code, 'BATCH_TOO_LARGE');
  const gz = await post(url, body, { gzip: true });
  t.equal(gz.status, 200, `${zipped} bytes compressed`);
  t.equal(gz.body.accepted, 40);
});

t.test('an oversized body is still authenticated before it is refused', async (t) => {
  const { url } = await start(t, { maxBytes: 100 });
  const reply = await post(url, 'x'.repeat(500), { secret: 'wrong' });
  t.equal(reply.status, 401);
});

t.test('the batch log keeps one line per batch request', async (t) => {
  const { url, receiver } = await start(t, { now: () => Date.parse('2026-11-26T09:00:00.000Z') });
  const id = batchId();
  await post(url, ndjson([upsert(rid(), 1), { ...upsert(rid(), 2), op: 'x' }]), { batchId: id, timestamp: Date.parse('2026-11-26T09:00:00.000Z') });
  await post(url, 'not json\n', { timestamp: Date.parse('2026-11-26T09:00:00.000Z') });
  const [ok, bad] = receiver.batches();
  t.same(ok, {
    batchId: id, gatewayId: 'hs-rsj', status: 200, code: null, accepted: 1, rejected: 1, duplicate: false, stale: 0,
    recordCount: 2, receivedAt: '2026-11-26T09:00:00.000Z', fault: null,
  });
  t.equal(bad!.status, 400);
  t.equal(bad!.code, 'BATCH_MALFORMED');
});

t.test('a sender that goes away mid-body leaves nothing behind', async (t) => {
  const { url, receiver } = await start(t);
  const body = ndjson([upsert(rid(), 1)]);
  const ts = String(Date.now());
  const n = 'ab'.repeat(16);
  const digest = digestOf('sha256', body);
  const req = request(`${url}/v1/batches`, {
    method: 'POST',
    agent: false,
    headers: {
      'content-type': 'application/x-ndjson', 'content-length': String(Buffer.byteLength(body)),
      'x-gateway-id': 'hs-rsj', 'x-timestamp': ts, 'x-nonce': n, 'x-content-digest': digest, 'x-batch-id': batchId(),
      authorization: sign('sha256', 'hs-credit-demo-secret', 'POST', '/exchange/v1/batches', ts, n, digest),
    },
  });
  req.on('error', () => {});
  req.write(body.slice(0, 10));
  await new Promise((r) => setTimeout(r, 100));
  req.destroy();
  await new Promise((r) => setTimeout(r, 100));
  t.same(receiver.records(), []);
  t.equal((await post(url, ndjson([upsert(rid(), 1)]))).status, 200, 'the receiver carries on');
});

t.test('an upsert read from an export keeps its provenance; one without has none', async (t) => {
  const { url, receiver } = await start(t);
  const exported = rid('exported');
  const plain = rid('plain');
  const provenance = { kind: 'system', system: '全国教师资格信息系统', profile: 'jszg-rd' };
  await post(url, ndjson([{ ...upsert(exported, 1), provenance }, upsert(plain, 2)]));
  t.same(receiver.records().find((r) => r.id === exported)?.provenance, provenance);
  t.notOk('provenance' in receiver.records().find((r) => r.id === plain)!);
});
