import t from 'tap';
import {
  compareIso,
  epochToWallClockDate,
  exactTimestamp,
  subMillisecondDigits,
  isIsoUtc,
  isValidTimeZone,
  isoToNaiveLocal,
  naiveLocalToIso,
  offsetsForTest,
  wallClockDateToIso,
} from '../../../connectors/sql/time.js';

t.test('a naive Asia/Shanghai timestamp is the instant eight hours earlier in UTC, all year round', async (t) => {
  t.equal(naiveLocalToIso('2017-06-02 08:30:00.123', 'Asia/Shanghai'), '2017-06-02T00:30:00.123Z');
  t.equal(naiveLocalToIso('2017-01-01 00:00:00', 'Asia/Shanghai'), '2016-12-31T16:00:00.000Z', 'across a year boundary');
  t.equal(naiveLocalToIso('2017-06-02T08:30', 'Asia/Shanghai'), '2017-06-02T00:30:00.000Z', "a 'T' and no seconds");
  t.equal(naiveLocalToIso('2017-06-02', 'Asia/Shanghai'), '2017-06-01T16:00:00.000Z', 'a date alone is its midnight');
  t.equal(naiveLocalToIso('2017-06-02 08:30:00.123', 'UTC'), '2017-06-02T08:30:00.123Z');
});

t.test('fractions finer than milliseconds are truncated, never rounded up', async (t) => {
  t.equal(naiveLocalToIso('2017-06-02 08:30:00.123999', 'Asia/Shanghai'), '2017-06-02T00:30:00.123Z');
  t.equal(naiveLocalToIso('2017-12-31 23:59:59.9999999', 'UTC'), '2017-12-31T23:59:59.999Z', 'no carry into the next year');
  t.equal(naiveLocalToIso('2017-06-02 08:30:00.5', 'UTC'), '2017-06-02T08:30:00.500Z');
});

t.test('what is not a timestamp is not converted', async (t) => {
  t.equal(naiveLocalToIso('20170602', 'UTC'), null);
  t.equal(naiveLocalToIso('2017-13-02 00:00:00', 'UTC'), null);
  t.equal(naiveLocalToIso('n/a', 'UTC'), null);
  t.equal(isoToNaiveLocal('2017-06-02 08:30:00', 'UTC'), null, 'binding back needs an ISO UTC value');
  t.equal(naiveLocalToIso('2017-06-02 08:30:00.', 'UTC'), null, 'a point without digits');
  t.equal(naiveLocalToIso('2017-06-02 08:30:00.12a', 'UTC'), null, 'a fraction with a letter');
  t.equal(naiveLocalToIso('2017-06-02 08:30:60', 'UTC'), null, 'a 60th second');
  t.equal(naiveLocalToIso('2017-06-02_08:30:00', 'UTC'), null, 'neither a space nor a T between date and time');
  t.equal(naiveLocalToIso('2017-06-0x 08:30:00', 'UTC'), null, 'a letter among the digits');
});

t.test('fractions of every length, a comma, a T and surrounding blanks read as the pattern reads them', async (t) => {
  t.equal(naiveLocalToIso('2017-06-02 08:30:00.1', 'UTC'), '2017-06-02T08:30:00.100Z');
  t.equal(naiveLocalToIso('2017-06-02 08:30:00.12', 'UTC'), '2017-06-02T08:30:00.120Z');
  t.equal(naiveLocalToIso('2017-06-02 08:30:00,123456789', 'UTC'), '2017-06-02T08:30:00.123Z');
  t.equal(naiveLocalToIso('2017-06-02T08:30:00.000001', 'Asia/Shanghai'), '2017-06-02T00:30:00.000Z');
  t.equal(naiveLocalToIso(' 2017-06-02 08:30:00 ', 'UTC'), '2017-06-02T08:30:00.000Z');
  t.equal(naiveLocalToIso('0001-01-01 00:00:00', 'UTC'), '0001-01-01T00:00:00.000Z', 'the year 1, not 1901');
  t.equal(naiveLocalToIso('0099-12-31 23:59:59', 'UTC'), '0099-12-31T23:59:59.000Z', 'nor 1999');
  t.equal(naiveLocalToIso('9999-12-31 23:59:59.999', 'UTC'), '9999-12-31T23:59:59.999Z');
});

t.test('binding a cursor back gives the wall clock the database compares against', async (t) => {
  t.equal(isoToNaiveLocal('2017-06-02T00:30:00.123Z', 'Asia/Shanghai'), '2017-06-02 08:30:00.123');
  t.equal(isoToNaiveLocal('2016-12-31T16:00:00.000Z', 'Asia/Shanghai'), '2017-01-01 00:00:00.000');
  for (const naive of ['2017-06-02 08:30:00.123', '1999-12-31 23:59:59.999', '2038-01-19 11:14:08.000', '0999-03-04 05:06:07.008']) {
    t.equal(isoToNaiveLocal(naiveLocalToIso(naive, 'Asia/Shanghai')!, 'Asia/Shanghai'), naive, `round trip of ${naive}`);
  }
});

t.test('a zone with daylight saving time: offsets change, the gap moves forward, the repeated hour takes the earlier instant', async (t) => {
  const zone = 'Europe/Berlin';
  t.equal(naiveLocalToIso('2021-01-15 12:00:00', zone), '2021-01-15T11:00:00.000Z', 'winter: +01:00');
  t.equal(naiveLocalToIso('2021-07-15 12:00:00', zone), '2021-07-15T10:00:00.000Z', 'summer: +02:00');
  t.equal(naiveLocalToIso('2021-03-28 02:30:00', zone), '2021-03-28T01:30:00.000Z', '02:30 does not exist: read as 03:30 CEST');
  t.equal(naiveLocalToIso('2021-10-31 02:30:00', zone), '2021-10-31T00:30:00.000Z', '02:30 happens twice: the first (CEST)');
  t.equal(isoToNaiveLocal('2021-10-31T00:30:00.000Z', zone), '2021-10-31 02:30:00.000');
  t.equal(isoToNaiveLocal('2021-10-31T01:30:00.000Z', zone), '2021-10-31 02:30:00.000', 'the second 02:30 is the same wall clock');
  t.equal(isoToNaiveLocal('2021-03-28T01:30:00.000Z', zone), '2021-03-28 03:30:00.000');
  for (const naive of ['2021-03-28 01:59:59.999', '2021-03-28 03:00:00.000', '2021-10-31 01:59:59.999', '2021-10-31 03:00:00.000']) {
    t.equal(isoToNaiveLocal(naiveLocalToIso(naive, zone)!, zone), naive, `round trip next to a transition: ${naive}`);
  }
});

t.test('drivers that hand naive timestamps over as Dates with the wall clock in their UTC fields', async (t) => {
  const wall = new Date(Date.UTC(2017, 5, 2, 8, 30, 0, 123));
  t.equal(wallClockDateToIso(wall, 'Asia/Shanghai'), '2017-06-02T00:30:00.123Z');
  t.equal(epochToWallClockDate(Date.parse('2017-06-02T00:30:00.123Z'), 'Asia/Shanghai').toISOString(), '2017-06-02T08:30:00.123Z');
});

t.test('zones are IANA names; ISO UTC strings are recognised', async (t) => {
  t.ok(isValidTimeZone('Asia/Shanghai'));
  t.notOk(isValidTimeZone('China Standard Time'));
  t.ok(isIsoUtc('2017-06-02T00:30:00.123Z'));
  t.notOk(isIsoUtc('2017-06-02 00:30:00'));
  t.notOk(isIsoUtc(42));
});

t.test('exact cursor positions: the digits beyond the millisecond are kept, compared and bound back', async (t) => {
  t.equal(exactTimestamp('2026-01-01T04:00:00.123Z', '2026-01-01 12:00:00.123456'), '2026-01-01T04:00:00.123456Z', 'from the driver\'s text');
  t.equal(exactTimestamp('2026-01-01T04:00:00.123Z', '2026-01-01 04:00:00.1234+00'), '2026-01-01T04:00:00.1234Z', 'zoned text');
  t.equal(exactTimestamp('2026-01-01T04:00:00.123Z', '2026-01-01 12:00:00.123400'), '2026-01-01T04:00:00.123400Z', 'spelt as the database spelt it (SQLite compares text)');
  t.equal(exactTimestamp('2026-01-01T04:00:00.000Z', '2026-01-01 12:00:00'), '2026-01-01T04:00:00.000Z');
  t.equal(exactTimestamp('2026-01-01', '2026-01-01'), '2026-01-01', 'not a timestamp: as it is');
  t.equal(exactTimestamp(42, 42), 42);
  const tedious = Object.assign(new Date('2026-01-01T04:00:00.123Z'), { nanosecondsDelta: 0.0004567 });
  t.equal(exactTimestamp('2026-01-01T04:00:00.123Z', tedious), '2026-01-01T04:00:00.1234567Z', 'tedious\' 100 ns remainder');
  t.equal(compareIso('2026-01-01T04:00:00.123456Z', '2026-01-01T04:00:00.123Z'), 1);
  t.equal(compareIso('2026-01-01T04:00:00.1234Z', '2026-01-01T04:00:00.123400Z'), 0);
  t.equal(compareIso('2026-01-01T04:00:00.122999Z', '2026-01-01T04:00:00.123Z'), -1);
  t.equal(compareIso('x', '2026-01-01T04:00:00.123Z'), null);
  t.equal(isoToNaiveLocal('2026-01-01T04:00:00.123456Z', 'Asia/Shanghai'), '2026-01-01 12:00:00.123456');
  t.equal(subMillisecondDigits('2026-01-01T04:00:00.123456789Z'), '456789');
});

t.test('remembered offsets agree with Intl at every instant, across DST, half-hour DST and odd-second LMT changes', async (t) => {
  const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/St_Johns'];
  const spans: [string, string][] = [
    ['1900-12-31T00:00:00Z', '1901-01-02T00:00:00Z'], // Shanghai leaves local mean time at an odd second
    ['1986-05-03T00:00:00Z', '1986-05-06T00:00:00Z'], // China's DST of 1986-1991
    ['1991-09-14T00:00:00Z', '1991-09-16T00:00:00Z'],
    ['2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z'], // US spring forward
    ['2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z'], // Europe fall back
    ['2026-04-04T00:00:00Z', '2026-04-06T00:00:00Z'], // Lord Howe: 30-minute DST
  ];
  let disagreements = 0;
  let checked = 0;
  for (const zone of zones) {
    for (const [from, to] of spans) {
      // A step of 7 minutes 13 seconds lands on every minute and second of the hour over the span.
      for (let at = Date.parse(from); at < Date.parse(to); at += 433_000 + (checked % 997)) {
        const { remembered, exact } = offsetsForTest(at, zone);
        if (remembered !== exact) disagreements += 1;
        checked += 1;
      }
    }
  }
  t.ok(checked > 5000, `${checked} instants checked`);
  t.equal(disagreements, 0);
});
