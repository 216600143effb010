/**
 * A time zone as the database names it ('+08:00', 'UTC', 'Asia/Shanghai')
 * to its offset from UTC in minutes at an instant; null when the name
 * states no zone ('SYSTEM') or is unknown here.
 */
export function zoneOffsetMinutes(zone: string, at: number): number | null {
  const fixed = /^([+-])(\d{1,2}):?(\d{2})$/.exec(zone.trim());
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3]));
  if (/^(UTC|GMT|Z)$/i.test(zone.trim())) return 0;
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone.trim(), timeZoneName: 'longOffset' }).formatToParts(at);
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : name === 'GMT' ? 0 : null;
  } catch {
    return null;
  }
}
