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
