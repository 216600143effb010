import t from 'tap';
import { isBatchId } from '../../../scripts/receiver/batch-id.js';

t.test('a batch id is a 26-char ULID or a UUID', async (t) => {
  t.ok(isBatchId('01JDQ3Z8X5K7M9N2P4R6T8V0W1'), 'ULID');
  t.ok(isBatchId('01jdq3z8x5k7m9n2p4r6t8v0w1'), 'ULID in lower case');
  t.ok(isBatchId('3b241101-e2bb-4255-8caf-4136c566a962'), 'UUID');
  t.ok(isBatchId('3B241101-E2BB-4255-8CAF-4136C566A962'), 'UUID in upper case');
});

t.test('anything else is not', async (t) => {
  t.notOk(isBatchId(undefined));
  t.notOk(isBatchId(''));
  t.notOk(isBatchId('01JDQ3Z8X5K7M9N2P4R6T8V0W'), '25 chars');
  t.notOk(isBatchId('01JDQ3Z8X5K7M9N2P4R6T8V0WU'), 'U is not Crockford base32');
  t.notOk(isBatchId('81JDQ3Z8X5K7M9N2P4R6T8V0W1'), 'overflows 128 bits');
  t.notOk(isBatchId('3b241101e2bb42558caf4136c566a962'), 'UUID without dashes');
});
