// Loaded into every test process (package.json tap.node-arg) and into the
// programs tests start with the same arguments.
//
// tap puts its process-tracking hook in NODE_OPTIONS so that every child a
// test spawns loads it too; it only serves coverage, which is off, and costs
// a child about a second to start. The CLI and gateway processes the tests
// spawn start as a department's would, without it.
delete process.env.NODE_OPTIONS;

// `npm test` runs the compiled tests (dist/test): loading the TypeScript
// loader into each of them cost about a second apiece. A test run from its
// source (`npx tap test/x.test.ts`) still gets it.
if (process.argv[1]?.endsWith('.ts')) await import('tsx');
