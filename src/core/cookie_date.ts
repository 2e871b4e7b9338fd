/**
 * The lenient cookie-date parser of RFC 6265bis §5.1.1, which reads the
 * `Expires` attribute of Set-Cookie: any order of tokens, any delimiters,
 * two-digit years, trailing junk after each field.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { parseCookieDate } from "./cookie_date.ts";
 * equal(parseCookieDate("Wed, 09 Jun 2021 10:18:14 GMT")?.toISOString(), "2021-06-09T10:18:14.000Z");
 * equal(parseCookieDate("09-Jun-21 10:18:14")?.toISOString(), "2021-06-09T10:18:14.000Z");
 * ```
 *
 * @module
 */

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const;

/** `delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E` (§5.1.1). */
function isDelimiter(code: number): boolean {
  return code === 0x09 || (code >= 0x20 && code <= 0x2f) || (code >= 0x3b && code <= 0x40) ||
    (code >= 0x5b && code <= 0x60) || (code >= 0x7b && code <= 0x7e);
}

/** The date-tokens: maximal runs of non-delimiters (§5.1.1 step 1). */
function dateTokens(text: string): string[] {
  const tokens: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const delimiter = i === text.length || isDelimiter(text.charCodeAt(i));
    if (!delimiter && start === -1) start = i;
    if (delimiter && start !== -1) {
      tokens.push(text.slice(start, i));
      start = -1;
    }
  }
  return tokens;
}

// `non-digit *OCTET` after the digits: anything that does not start with a digit.
// time = hms-time [ non-digit *OCTET ]; hms-time = time-field ":" time-field ":" time-field
const TIME = /^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\D|$)/;
// day-of-month = 1*2DIGIT [ non-digit *OCTET ]
const DAY_OF_MONTH = /^(\d{1,2})(?:\D|$)/;
// year = 2*4DIGIT [ non-digit *OCTET ]
const YEAR = /^(\d{2,4})(?:\D|$)/;

/**
 * Parses a cookie-date by RFC 6265bis §5.1.1: the first token that is a
 * time (`h:m:s`, one or two digits each), the first day of month (one or two
 * digits), the first month (a token starting with a month's three-letter
 * name, any case) and the first year (two to four digits) are taken, in that
 * order of preference per token; each may be followed by junk that does not
 * start with a digit. Years 70–99 become 1970–1999 and 0–69 become 2000–2069.
 * The result is UTC.
 *
 * Returns `undefined` (the RFC's "failure", after which the Expires attribute
 * is ignored) when a field is missing, the day is not 1–31, the year is before
 * 1601, the time is past 23:59:59 (no leap seconds), or the date does not
 * exist (31 Apr).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { parseCookieDate } from "./cookie_date.ts";
 * equal(parseCookieDate("Thu, 01 Jan 1970 00:00:00 GMT")?.getTime(), 0);
 * equal(parseCookieDate("1 JANUARY 2000 1:2:3 junk")?.toISOString(), "2000-01-01T01:02:03.000Z");
 * equal(parseCookieDate("31 Apr 2021 00:00:00"), undefined);
 * equal(parseCookieDate("Jan 1 1600 00:00:00"), undefined);
 * ```
 */
export function parseCookieDate(text: string): Date | undefined {
  if (typeof text !== "string") return undefined;
  let time: number[] | undefined;
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  for (const token of dateTokens(text)) {
    let m: RegExpExecArray | null;
    if (time === undefined && (m = TIME.exec(token))) {
      time = [Number(m[1]), Number(m[2]), Number(m[3])];
    } else if (day === undefined && (m = DAY_OF_MONTH.exec(token))) {
      day = Number(m[1]);
    } else if (
      month === undefined && MONTHS.includes(token.slice(0, 3).toLowerCase() as typeof MONTHS[number])
    ) {
      month = MONTHS.indexOf(token.slice(0, 3).toLowerCase() as typeof MONTHS[number]);
    } else if (year === undefined && (m = YEAR.exec(token))) {
      year = Number(m[1]);
    }
  }
  if (time === undefined || day === undefined || month === undefined || year === undefined) return undefined;
  if (year >= 70 && year <= 99) year += 1900;
  else if (year >= 0 && year <= 69) year += 2000;
  const [hour, minute, second] = time;
  if (day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(Date.UTC(year, month, day, hour, minute, second));
  // Day 31 of a 30-day month (or 29 Feb of a common year) rolls over: no such date.
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day) return undefined;
  return date;
}
