/**
 * HTTP dates (RFC 9110 §5.6.7) as Qt reads and writes them: exactly three
 * shapes in, RFC 1123 out, always UTC.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { formatHttpDate, parseHttpDate } from "@netreply/netreply";
 * const date = parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT");
 * equal(date && formatHttpDate(date), "Sun, 06 Nov 1994 08:49:37 GMT");
 * ```
 *
 * @module
 */

import { trimOws } from "./trim_ows.ts";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

const DAY = DAYS.join("|");
const MONTH = MONTHS.join("|");
const TIME = String.raw`(\d\d):(\d\d):(\d\d)`;
// Sun, 06 Nov 1994 08:49:37 GMT
const RFC1123 = new RegExp(String.raw`^(?:${DAY}), (\d{1,2}) (${MONTH}) (\d{4}) ${TIME} GMT$`);
// Sunday, 06-Nov-94 08:49:37 GMT
const RFC850 = new RegExp(String.raw`^(?:${LONG_DAYS.join("|")}), (\d\d)-(${MONTH})-(\d\d) ${TIME} GMT$`);
// Sun Nov  6 08:49:37 1994 (asctime pads a one-digit day with a space)
const ASCTIME = new RegExp(String.raw`^(?:${DAY}) (${MONTH}) {1,2}(\d{1,2}) ${TIME} (\d{4})$`);

function build(
  year: number,
  month: string,
  day: string,
  hour: string,
  minute: string,
  second: string,
): Date | undefined {
  const m = (MONTHS as readonly string[]).indexOf(month);
  const d = Number(day), h = Number(hour), min = Number(minute), s = Number(second);
  if (d < 1 || d > 31 || h > 23 || min > 59 || s > 59) return undefined;
  const date = new Date(0);
  // setUTCFullYear, because Date.UTC maps years 0–99 to 1900–1999.
  date.setUTCFullYear(year, m, d);
  date.setUTCHours(h, min, s, 0);
  // Day 31 of a 30-day month (or 29 Feb of a common year) rolls over: reject it.
  if (date.getUTCMonth() !== m || date.getUTCDate() !== d) return undefined;
  return date;
}

/**
 * The full year of an RFC 850 two-digit year `yy`: 19yy without a
 * reference, else the year ending in `yy` in the reference's century, or the
 * century before when that is more than 50 years after the reference's year.
 */
function rfc850Year(yy: number, reference: number | undefined): number {
  if (reference === undefined) return 1900 + yy;
  const referenceYear = typeof reference === "number" ? new Date(reference).getUTCFullYear() : NaN;
  const year = referenceYear - (referenceYear % 100) + yy;
  return year > referenceYear + 50 ? year - 100 : year;
}

/**
 * Parses an HTTP date in one of the three shapes Qt accepts, as UTC:
 *
 * - RFC 1123: `Sun, 06 Nov 1994 08:49:37 GMT`
 * - RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT` (two-digit year: read as
 *   19yy like Qt, or near `reference` when one is given)
 * - asctime: `Sun Nov  6 08:49:37 1994`
 *
 * Names are case-sensitive, as RFC 9110 says. The weekday must be a real
 * weekday name but, like Qt, is not checked against the date. Anything else,
 * including an impossible date or time (31 Apr, 24:00:00, leap second),
 * returns `undefined`.
 *
 * @param text The field value.
 * @param reference A time in ms since the epoch (as a rule, when the
 *   message arrived) that places an RFC 850 two-digit year: the year with
 *   those last two digits in the reference's century, or the century before
 *   when that would be more than 50 years after the reference's year
 *   (RFC 9110 §5.6.7). Without it the year is 19yy. A reference that is not
 *   a valid time reads no RFC 850 date.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { parseHttpDate } from "@netreply/netreply";
 * equal(parseHttpDate("Sun Nov  6 08:49:37 1994")?.toISOString(), "1994-11-06T08:49:37.000Z");
 * equal(parseHttpDate("2024-01-01T00:00:00Z"), undefined);
 * const arrived = Date.UTC(2026, 11, 2);
 * equal(parseHttpDate("Thursday, 18-Aug-50 02:01:18 GMT", arrived)?.toISOString(), "2050-08-18T02:01:18.000Z");
 * equal(parseHttpDate("Friday, 02-Dec-77 00:00:00 GMT", arrived)?.toISOString(), "1977-12-02T00:00:00.000Z");
 * ```
 */
export function parseHttpDate(text: string, reference?: number): Date | undefined {
  if (typeof text !== "string") return undefined;
  const value = trimOws(text);
  let m = RFC1123.exec(value);
  if (m) return build(Number(m[3]), m[2], m[1], m[4], m[5], m[6]);
  m = RFC850.exec(value);
  if (m) return build(rfc850Year(Number(m[3]), reference), m[2], m[1], m[4], m[5], m[6]);
  m = ASCTIME.exec(value);
  if (m) return build(Number(m[6]), m[1], m[2], m[3], m[4], m[5]);
  return undefined;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/**
 * Formats a date as an RFC 1123 HTTP date in UTC, e.g.
 * `Sun, 06 Nov 1994 08:49:37 GMT`. Milliseconds are dropped.
 *
 * @throws {RangeError} If the date is invalid or its UTC year is not between 0 and 9999.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { formatHttpDate } from "@netreply/netreply";
 * equal(formatHttpDate(new Date(Date.UTC(1994, 10, 6, 8, 49, 37))), "Sun, 06 Nov 1994 08:49:37 GMT");
 * ```
 */
export function formatHttpDate(date: Date): string {
  const time = date instanceof Date ? date.getTime() : NaN;
  if (Number.isNaN(time)) {
    throw new RangeError(`Cannot format ${String(date)} as an HTTP date: not a valid Date`);
  }
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) {
    throw new RangeError(`Cannot format ${date.toISOString()} as an HTTP date: the year needs four digits`);
  }
  return `${DAYS[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${
    pad(year, 4)
  } ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} GMT`;
}
