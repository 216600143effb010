import t from 'tap';
import { NonceWindow } from '../../../scripts/receiver/nonce-window.js';

t.test('a nonce is refused the second time inside the window', async (t) => {
  const w = new NonceWindow(300_000);
  t.ok(w.use('g', 'n', 1000, 1000));
  t.notOk(w.use('g', 'n', 1000, 2000));
});

t.test('nonces are per gateway', async (t) => {
  const w = new NonceWindow(300_000);
  t.ok(w.use('a', 'n', 1000, 1000));
  t.ok(w.use('b', 'n', 1000, 1000));
});

t.test('a nonce is forgotten once its timestamp left the window, so memory stays bounded', async (t) => {
  const w = new NonceWindow(1000);
  for (let i = 0; i < 100; i++) w.use('g', `n${i}`, 0, 0);
  t.equal(w.size, 100);
  w.use('g', 'later', 5000, 5000);
  t.equal(w.size, 1);
});
