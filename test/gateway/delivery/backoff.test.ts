import t from 'tap';
import { backoffCeiling, backoffDelay } from '../../../gateway/delivery/backoff.js';

const policy = { baseMs: 1000, maxMs: 60_000 };

t.test('the ceiling doubles with each failed attempt, from the base', async (t) => {
  t.same([1, 2, 3, 4].map((a) => backoffCeiling(a, policy)), [1000, 2000, 4000, 8000]);
});

t.test('the ceiling never exceeds the maximum, however many attempts', async (t) => {
  t.equal(backoffCeiling(7, policy), 60_000);
  t.equal(backoffCeiling(10_000, policy), 60_000);
});

t.test('full jitter: the delay is the random fraction of the ceiling', async (t) => {
  t.equal(backoffDelay(3, policy, () => 0), 0);
  t.equal(backoffDelay(3, policy, () => 0.5), 2000);
  t.equal(backoffDelay(3, policy, () => 0.999), 3996);
});

t.test('a random source outside [0, 1] cannot push the delay outside the ceiling', async (t) => {
  t.equal(backoffDelay(1, policy, () => 7), 1000);
  t.equal(backoffDelay(1, policy, () => -1), 0);
});

t.test('attempt numbers below 1 are treated as the first attempt', async (t) => {
  t.equal(backoffCeiling(0, policy), 1000);
});
