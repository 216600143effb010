import t from 'tap';
import { heartbeatSource } from '../../../gateway/status/collect.js';
import type { SourceStatus } from '../../../gateway/status/snapshot.js';

const source = (s: Partial<SourceStatus>): SourceStatus => ({ name: 'hr', kind: 'mysql', state: 'ok', lastSuccessAt: '2026-11-26T08:00:00.000Z', lastError: null, warnings: [], ...s });
const refused = { code: 'FILE_HEADER_UNKNOWN', message: '文件 P07-002_x.csv 被整体拒收（FILE_HEADER_UNKNOWN）', action: '查看 rejected/ 中的错误报告 P07-002_x.csv.errors.csv，修正后重新放入 incoming/' };

t.test('each page state becomes the spec state that does not hide it', async (t) => {
  t.same(heartbeatSource(source({})), { name: 'hr', state: 'ok', lastSuccessAt: '2026-11-26T08:00:00.000Z', lastError: null });
  t.same(heartbeatSource(source({ state: 'unknown', lastSuccessAt: null })), { name: 'hr', state: 'ok', lastSuccessAt: null, lastError: null }, 'not run yet: nothing is known to be wrong');
  t.match(heartbeatSource(source({ state: 'error', lastError: { code: 'SOURCE_CONNECT', message: 'connection refused' } })), { state: 'error', lastError: 'SOURCE_CONNECT: connection refused' });
  t.match(heartbeatSource(source({ kind: 'folder', state: 'attention', warnings: [refused] })),
    { state: 'error', lastError: `FILE_HEADER_UNKNOWN: ${refused.message}；${refused.action}`, warnings: [{ code: refused.code, message: refused.message }] },
    'a folder whose last file was refused whole is in error, saying which file and what to do');
  t.match(heartbeatSource(source({ kind: 'folder', state: 'attention' })), { state: 'error', lastError: /^ATTENTION: / }, 'attention without a warning still says so');
  t.match(heartbeatSource(source({ state: 'disabled', lastError: { code: 'SOURCE_CONNECT', message: 'old' } })), { state: 'disabled', lastError: 'SOURCE_CONNECT: old' }, 'disabled wins: nothing reads it');
});

t.test('warnings that do not stop reading leave the source ok and travel as the optional extension member', async (t) => {
  const w = { code: 'SOURCE_ACCOUNT_CAN_WRITE', message: '账号可写', action: '改用只读账号' };
  const reported = heartbeatSource(source({ warnings: [w] }));
  t.equal(reported.state, 'ok');
  t.same(reported.warnings, [{ code: w.code, message: w.message }], 'the action stays on the department page');
});

t.test('what the heartbeat quotes of a source passes the identity-number net', async (t) => {
  const reported = heartbeatSource(source({
    kind: 'folder', state: 'attention',
    warnings: [{ code: 'FILE_REFUSED', message: '文件 420202199002154568.csv 被整体拒收', action: '查看 rejected/' }],
  }));
  t.notMatch(JSON.stringify(reported), /420202199002154568/);
  t.match(reported.lastError, /420202\*{8}4568\.csv/, 'masked, the rest kept');
});

t.test('reading paused for lack of room on disk travels as a warning on each source the gateway reads, not as the source failing', async (t) => {
  const disk = { paused: true, reason: 'low_space' as const, code: 'STORE_LOW_SPACE', freeBytes: 100 * 1048576, storeBytes: 0, minFreeBytes: 256 * 1048576, maxStoreBytes: null };
  const reported = heartbeatSource(source({}), disk);
  t.equal(reported.state, 'ok');
  t.match(reported.warnings, [{ code: 'STORE_LOW_SPACE', message: /仅剩 100 MiB，低于下限 store\.minFreeMiB/ }]);
  t.equal(heartbeatSource(source({ state: 'disabled' }), disk).warnings, undefined, 'a source nothing reads is not paused');
  t.equal(heartbeatSource(source({}), { ...disk, paused: false, reason: null, code: null }).warnings, undefined, 'room on disk: nothing to say');
});
