/** `config check --probe` and the status page's 试运行检查: run, show, judge. */
export { probeConfiguration, type ProbeOptions } from './probe.js';
export { formatProbeReport } from './format.js';
export { probeOutline, type OutlineLine } from './outline.js';
export { DEFAULT_SAMPLE_ROWS, PROBE_PROBLEMS, probeFailed, probeProblems, type ProbeReport } from './report.js';
