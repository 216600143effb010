/**
 * Time zones as databases name them, reduced to a UTC offset at one instant,
 * so a database's zone can be compared with the configured one. Pure.
 */

/**
 * Minutes east of UTC of `zone` at `at`, or null when the name says nothing
 * usable (MySQL's 'SYSTEM', an abbreviation such as 'CST' that means three
 * different zones, a Windows zone name).
 */
export function utcOffsetMinutes(zone: string, at: Date): number | null {
  // SQL Server's CURRENT_TIMEZONE(): '(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi', '(UTC) Coordinated Universal Time'.
  const windows = /^\(UTC([+-]\d{2}:\d{2})?\)/i.exec(zone.trim());
  const name = windows ? (windows[1] ?? 'UTC') : zone.trim();
  if (/^(utc|gmt|z|zulu|universal)$/i.test(name)) return 0;
  const fixed = /^(?:utc|gmt)?\s*([+-])?(\d{1,2}):?(\d{2})?$/i.exec(name);
  if (fixed && (fixed[1] || /:/.test(name) || fixed[3])) {
    const minutes = Number(fixed[2]) * 60 + Number(fixed[3] ?? 0);
    return fixed[1] === '-' ? -minutes : minutes;
  }
  if (!/\//.test(name) && !/^(prc|roc|uct|etc)/i.test(name)) return null;
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value;
    if (!part) return null;
    const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(part);
    if (!m) return null;
    const minutes = m[1] ? Number(m[2]) * 60 + Number(m[3]) : 0;
    return m[1] === '-' ? -minutes : minutes;
  } catch {
    return null;
  }
}

/**
 * true when both zones are known and differ at `at`; false when they agree or
 * the database's zone cannot be told (nothing to warn about with confidence).
 */
export function zonesDiffer(databaseZone: string | null, configuredZone: string, at: Date): boolean {
  if (databaseZone === null) return false;
  const db = utcOffsetMinutes(databaseZone, at);
  const configured = utcOffsetMinutes(configuredZone, at);
  return db !== null && configured !== null && db !== configured;
}
