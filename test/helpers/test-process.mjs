// Loaded into every test process (package.json tap.node-arg) and into the
// programs tests start with the same arguments.
//
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

// `npm test` runs the compiled tests (dist/test): loading the TypeScript
// loader into each of them cost about a second apiece. A test run from its
// source (`npx tap test/x.test.ts`) still gets it.
if (process.argv[1]?.endsWith('.ts')) await import('tsx');
