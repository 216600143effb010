/** Every probe problem has its words and its fix in both languages, and fails the probe. */
import t from 'tap';
import { MESSAGES, type MessageKey } from '../../../gateway/i18n/messages.js';
import { PROBE_PROBLEMS, probeFailed, type ProbeReport } from '../../../gateway/probe/report.js';

t.test('each code is said and has a fix, in Chinese and in English', async (t) => {
  for (const code of PROBE_PROBLEMS) {
    for (const lang of ['zh', 'en'] as const) {
      t.ok(MESSAGES[lang][`probe.problem.${code}` as MessageKey], `${lang} probe.problem.${code}`);
      t.ok(MESSAGES[lang][`probe.fix.${code}` as MessageKey], `${lang} probe.fix.${code}`);
    }
  }
});

t.test('any problem fails the probe; warnings and skipped jobs do not', async (t) => {
  const clean: ProbeReport = { at: '2026-12-06T10:00:00.000Z', sampleRows: 200, config: [], sources: [], jobs: [] };
  t.equal(probeFailed(clean), false);
  const warned: ProbeReport = {
    ...clean,
    sources: [{
      name: 'hr', kind: 'mysql', path: 'sources[0]', ok: true, problem: null, facts: { serverVersion: '10.11', timeZone: 'SYSTEM', canWrite: true },
      configuredTimeZone: 'Asia/Shanghai', noServerZone: false, warnings: [{ code: 'WRITABLE_ACCOUNT', message: 'x', action: 'y', params: {} }], folder: null,
    }],
  };
  t.equal(probeFailed(warned), false, 'a warning does not fail');
  for (const code of PROBE_PROBLEMS) {
    t.equal(probeFailed({ ...clean, config: [{ code, path: 'jobs[0]', detail: '' }] }), true, code);
  }
});
