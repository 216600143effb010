#!/usr/bin/env node
/** `npm run demo:change`: the demo department records a new penalty and changes a licence. */
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { packageRoot } from '../../gateway/paths.js';
import { applyDemoChange } from './business-db.js';

const file = join(resolve(process.env.DEMO_DATA_DIR ?? join(packageRoot(), 'data', 'demo')), 'business.sqlite');
if (!existsSync(file)) {
  process.stderr.write(`no demo database at ${file}: start the demo first with npm start\n`);
  process.exit(1);
}
const change = applyDemoChange(file);
process.stdout.write(`inserted penalty id ${change.inserted.id} (t_xzcf), updated licence id ${change.updated.id} (t_xzxk)\n`);
