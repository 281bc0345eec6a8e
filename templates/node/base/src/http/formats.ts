// The `date` and `date-time` formats of request bodies (RFC 3339, section 5.6).

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// The offset is required: a time without one names no instant.
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `YYYY-MM-DD` naming a real calendar day from year 1 (PostgreSQL has no year 0). */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** An RFC 3339 date-time with an offset, whose instant falls in the years 1 to 9999 in UTC. */
export function isDateTime(value: string): boolean {
  const match = DATE_TIME.exec(value);
  if (!match) return false;
  const [, date = '', hour, minute, second, offsetHour = '0', offsetMinute = '0'] = match;
  const atMost = (max: number, ...texts: (string | undefined)[]) =>
    texts.every((text) => Number(text) <= max);
  if (!isCalendarDate(date) || !atMost(23, hour, offsetHour)) return false;
  if (!atMost(59, minute, second, offsetMinute)) return false;
  return /^(?!0000)\d{4}-/.test(utcTimestamp(value));
}

/**
 * A valid date-time as it is stored and answered: UTC with milliseconds (finer digits are
 * truncated). One text form for every instant keeps SQLite's TEXT column in time order.
 */
export function utcTimestamp(value: string): string {
  return new Date(value.toUpperCase()).toISOString();
}
