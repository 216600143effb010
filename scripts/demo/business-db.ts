import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { seedsPath } from '../../gateway/paths.js';

/**
 * The demo department's own business database: what a real department has
 * beside its gateway. Created once from seeds/demo/business.sql; the demo
 * then changes it the way the department's systems would.
 */
export function ensureDemoBusinessDb(file: string): { created: boolean } {
  if (existsSync(file)) return { created: false };
  mkdirSync(dirname(file), { recursive: true });
  rmSync(`${file}.tmp`, { force: true });
  const db = new Database(`${file}.tmp`);
  try {
    db.exec(readFileSync(seedsPath('demo', 'business.sql'), 'utf8'));
  } finally {
    db.close();
  }
  // Renamed into place only when complete, so a half-written demo database is never read.
  renameSync(`${file}.tmp`, file);
  return { created: true };
}

export interface DemoChange {
  inserted: { table: string; id: number };
  updated: { table: string; id: number };
}

/**
 * One round of business activity: a new penalty decision is recorded and an
 * existing licence is changed (its validity extended). Both must reach the
 * platform within seconds: the new one as a new record, the changed one as a
 * new seq of the same record id.
 */
export function applyDemoChange(file: string, now: Date = new Date()): DemoChange {
  const db = new Database(file);
  try {
    const stamp = now.toISOString();
    const day = stamp.slice(0, 10);
    const nextId = (db.prepare('SELECT coalesce(max(id), 0) + 1 AS id FROM t_xzcf WHERE id < 100').get() as { id: number }).id;
    const template = db.prepare('SELECT * FROM t_xzcf WHERE id = 1').get() as Record<string, unknown>;
    db.prepare(
      `INSERT INTO t_xzcf (id, party_name, credit_code, party_type, legal_rep, decision_no, violation, facts, basis, punish_type, content, fine_wan, punish_date, publish_until, authority, authority_code, revoked, updated_at)
       VALUES (@id, @party_name, @credit_code, @party_type, @legal_rep, @decision_no, @violation, @facts, @basis, @punish_type, @content, @fine_wan, @punish_date, @publish_until, @authority, @authority_code, 0, @updated_at)`,
    ).run({ ...template, id: nextId, decision_no: `黄人社监罚〔2026〕${nextId}号`, punish_date: day, publish_until: day, updated_at: stamp });
    const licence = db.prepare('SELECT id FROM t_xzxk ORDER BY updated_at, id LIMIT 1').get() as { id: number };
    db.prepare("UPDATE t_xzxk SET valid_to = '2099-12-31', updated_at = ? WHERE id = ?").run(stamp, licence.id);
    return { inserted: { table: 't_xzcf', id: nextId }, updated: { table: 't_xzxk', id: licence.id } };
  } finally {
    db.close();
  }
}
