// Loaded into every test process (package.json tap.node-arg). tap puts its
// process-tracking hook in NODE_OPTIONS so that every child a test spawns
// loads it too; it only serves coverage, which is off, and costs a child
// about a second to start. The CLI and gateway processes the tests spawn
// start as a department's would, without it.
delete process.env.NODE_OPTIONS;
