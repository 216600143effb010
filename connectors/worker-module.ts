/**
 * A worker thread running a module that lies beside the caller's: the
 * built `.js` in a release. Under tsx (tests, development) the caller is
 * `.ts`, and Node 20 does not pass tsx's hooks to worker threads, so a
 * one-line bootstrap registers them before importing the `.ts` module.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function siblingWorker(callerUrl: string, name: string, options: WorkerOptions): Worker {
  if (callerUrl.endsWith('.ts')) {
    const script = new URL(`./${name}.ts`, callerUrl).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(script)}); });`;
    return new Worker(bootstrap, { ...options, eval: true });
  }
  return new Worker(new URL(`./${name}.js`, callerUrl), options);
}
