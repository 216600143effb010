#!/usr/bin/env node
/**
 * What a department's IT person would write instead of the gateway, as the
 * benchmark's yardstick: stream the table, rename the columns to the
 * standard's fields, id = sha256 of the key, gzip 5,000 records, sign and
 * POST them, next. No store, no cursor, no validation, no retry: a crash or
 * a refused batch loses data, which is why it is only a yardstick.
 *
 *   DB_PASSWORD=… node dist/scripts/bench/naive-department-script.js \
 *     --host 127.0.0.1 --port 3306 --user u --database biz --url http://…/exchange --gateway hs-bench --secret s
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import mysql from 'mysql2';
import { CONSTANT_FIELDS, FIELD_COLUMNS, TABLE } from './penalty-rows.js';

const { values: o } = parseArgs({
  options: {
    host: { type: 'string' }, port: { type: 'string' }, user: { type: 'string' }, database: { type: 'string' },
    url: { type: 'string' }, gateway: { type: 'string' }, secret: { type: 'string' },
  },
});
const CATEGORY = 'P07-002';
const BATCH = 5000;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function post(records: string[]): Promise<void> {
  const body = gzipSync(`${records.join('\n')}\n`);
  const url = new URL(`${o.url}/v1/batches`);
  const timestamp = String(Date.now());
  const nonce = randomBytes(16).toString('hex');
  const digest = `sha256=${createHash('sha256').update(body).digest('hex')}`;
  const signed = ['POST', url.pathname, timestamp, nonce, digest].join('\n');
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: {
      'Content-Type': 'application/x-ndjson', 'Content-Encoding': 'gzip', 'X-Batch-Id': randomUUID(),
      'X-Gateway-Id': o.gateway!, 'X-Timestamp': timestamp, 'X-Nonce': nonce, 'X-Content-Digest': digest,
      Authorization: `HMAC-SHA256 ${createHmac('sha256', o.secret!).update(signed).digest('hex')}`,
    },
  });
  if (!response.ok) throw new Error(`batch refused: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
}

async function main(): Promise<void> {
  const connection = mysql.createConnection({
    host: o.host, port: Number(o.port), user: o.user, password: process.env.DB_PASSWORD, database: o.database, dateStrings: true,
  });
  let seq = Date.now();
  let batch: string[] = [];
  let sent = 0;
  for await (const row of connection.query(`SELECT * FROM ${TABLE}`).stream() as AsyncIterable<Record<string, string | number | null>>) {
    const data: Record<string, string | number | null> = { ...CONSTANT_FIELDS };
    for (const [field, column] of Object.entries(FIELD_COLUMNS)) data[field] = row[column]!;
    batch.push(JSON.stringify({
      id: sha256(`${o.gateway}\n${CATEGORY}\n${row.id}`), category: CATEGORY, op: 'upsert', seq: seq++,
      observedAt: new Date().toISOString(), subject: { kind: 'legal', name: row.party_name, code: row.credit_code }, data,
    }));
    if (batch.length === BATCH) {
      await post(batch);
      sent += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) await post(batch);
  sent += batch.length;
  connection.end();
  process.stdout.write(`sent ${sent}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
