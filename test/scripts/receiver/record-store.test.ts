import t from 'tap';
import { del, ndjson, rid, send, upsert } from './helpers/client.js';
import { start } from './helpers/start.js';

const post = (url: string, body: string) => send({ baseUrl: url, path: '/v1/batches', body });

t.test('an upsert\'s provenance, a compatible extension of spec section 2, is accepted and kept as sent; other unknown members are ignored', async (t) => {
  const { url, control, receiver } = await start(t);
  const fromExport = rid('export');
  const fromTemplate = rid('template');
  const provenance = { kind: 'system', system: '全国教师资格信息系统', profile: 'jszg-rd' };
  const reply = await post(url, ndjson([{ ...upsert(fromExport, 1), provenance, extra: 'x' }, upsert(fromTemplate, 2)]));
  t.same(reply.body.rejected, [], 'nothing is refused for it');
  const held = new Map(receiver.records().map((r) => [r.id, r]));
  t.same(held.get(fromExport)!.provenance, provenance);
  t.notOk('extra' in held.get(fromExport)!, 'an unknown member is not kept');
  t.notOk('provenance' in held.get(fromTemplate)!, 'a record sent without one has none');

  const listed = await fetch(`${control}/records`).then((r) => r.json() as Promise<{ id: string; provenance?: unknown }[]>);
  t.same(listed.find((r) => r.id === fromExport)!.provenance, provenance, 'the control API lists it too');

  await post(url, ndjson([del(fromExport, 3)]));
  t.notOk('provenance' in receiver.records().find((r) => r.id === fromExport)!, 'a delete replaces the version that had it');
});

t.test('a benchmark\'s receiver keeps no data (keepData: false) yet still tells stale versions, and hears of each record it stores', async (t) => {
  const stored: unknown[] = [];
  const { url, receiver } = await start(t, { keepData: false, onRecord: (r) => stored.push(r.seq) });
  const id = rid('bench');
  await post(url, ndjson([upsert(id, 2)]));
  const reply = await post(url, ndjson([upsert(id, 1)]));
  t.equal(reply.body.accepted, 1, 'the older version is accepted');
  t.match(receiver.stats(), { records: 1, stale: 1 }, 'and counted as stale against the version held');
  t.match(receiver.records()[0], { id, seq: 2, op: 'upsert', subject: null, data: null }, 'held without subject or data');
  t.same(stored, [2], 'onRecord hears of the stored version, not the stale one');
});
