// Loaded into every test process (package.json tap.node-arg) and into the
// programs tests start with the same arguments.
import { spawn } from 'node:child_process';

// tap puts its process-tracking hook in NODE_OPTIONS so that every child a
// test spawns loads it too; it only serves coverage, which is off, and costs
// a child about a second to start. The CLI and gateway processes the tests
// spawn start as a department's would, without it.
delete process.env.NODE_OPTIONS;
// Deleting it is not enough: the hook also wraps Node's spawn functions
// (process-on-spawn) and writes itself back into every child's NODE_OPTIONS,
// which cost each CLI or gateway process a test starts 0.5 to 1.5 s (a
// suite's wall time: about four minutes). process-on-spawn keeps the
// originals and an unwrap function in a global singleton; restoring them
// leaves the test process itself tracked as before.
// test/helpers/test-process.test.ts fails if a child gets the hook again.
globalThis[Symbol.for('process-on-spawn@*:singletonId')]?.unwrap?.();

// tap starts each test file with its module hooks and source maps, none of
// which the suite uses: process tracking always, and on a fresh install
// (CI), until tap has rebuilt itself for package.json's plugin list, its
// mock and TypeScript loaders too. Every module the test then loads passes
// through the hooks' thread, about 0.7 s a file. The file is run again in a
// child without them, which tap sees through: the child writes to the same
// stdout, gets tap's timeout message and signals, and its exit is this
// process's.
const TAP_ONLY = /[\\/]@tapjs[\\/]|^--enable-source-maps$/;
if (process.send && process.execArgv.some((arg) => TAP_ONLY.test(arg))) {
  const child = spawn(process.execPath, [...process.execArgv.filter((arg) => !TAP_ONLY.test(arg)), ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, CREDIT_GATEWAY_TEST_PARENT: String(process.pid) },
  });
  process.on('message', (message) => child.connected && child.send(message));
  // tap's timeout sends SIGALRM, then SIGKILL 500 ms later, which a parent
  // cannot pass on: a child still running by then (a busy loop never sees
  // its signal) is killed first, so nothing outlives the test.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGALRM']) {
    process.on(signal, () => {
      child.kill(signal);
      setTimeout(() => child.kill('SIGKILL'), 400).unref();
    });
  }
  child.on('exit', (code, signal) => {
    if (signal === null) process.exit(code ?? 1);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
  await new Promise(() => {});
}
// Should tap kill the parent outright (SIGKILL after a timeout), its child
// must not outlive it holding tap's stdout open.
if (process.env.CREDIT_GATEWAY_TEST_PARENT) {
  const parent = Number(process.env.CREDIT_GATEWAY_TEST_PARENT);
  delete process.env.CREDIT_GATEWAY_TEST_PARENT;
  setInterval(() => process.ppid !== parent && process.kill(process.pid, 'SIGKILL'), 500).unref();
}

// `npm test` runs the compiled tests (dist/test): loading the TypeScript
// loader into each of them cost about a second apiece. A test run from its
// source (`npx tap test/x.test.ts`) still gets it.
if (process.argv[1]?.endsWith('.ts')) await import('tsx');
