import t from 'tap';
import { isStable, observe, StabilityTracker } from '../../../connectors/files/stable-file.js';

const stat = (size: number, mtimeMs = 1000, ino = 7) => ({ size, mtimeMs, ino });

t.test('a file is stable once size, mtime and inode stayed the same for the window', async (t) => {
  const first = observe(undefined, stat(10), 0);
  t.equal(isStable(first, 0, 2000), false, 'a file just seen is never stable');
  const later = observe(first, stat(10), 1999);
  t.equal(later.since, 0);
  t.equal(isStable(later, 1999, 2000), false);
  t.equal(isStable(observe(later, stat(10), 2000), 2000, 2000), true);
});

t.test('growing, rewriting in place to the same size, or replacing restarts the window', async (t) => {
  const base = observe(undefined, stat(10), 0);
  t.equal(observe(base, stat(11), 1500).since, 1500, 'grew');
  t.equal(observe(base, stat(10, 1001), 1500).since, 1500, 'same size, new mtime: chokidar would miss this');
  t.equal(observe(base, stat(10, 1000, 8), 1500).since, 1500, 'another file under the same name');
});

t.test('the tracker keeps one observation per name and forgets on request', async (t) => {
  const tracker = new StabilityTracker(100);
  t.equal(tracker.look('a', stat(1), 0), false);
  t.equal(tracker.look('b', stat(1), 50), false);
  t.equal(tracker.look('a', stat(1), 100), true);
  t.equal(tracker.look('b', stat(2), 150), false, 'b changed');
  tracker.forget('a');
  t.equal(tracker.look('a', stat(1), 150), false, 'a forgotten starts over');
});
