import assert from "node:assert/strict";
import { formatHttpDate, parseHttpDate } from "../../src/core/http_date.ts";

const parses: { text: string; iso: string | undefined; why?: string }[] = [
  // The three shapes of RFC 9110 §5.6.7, all the same instant.
  { text: "Sun, 06 Nov 1994 08:49:37 GMT", iso: "1994-11-06T08:49:37.000Z" },
  { text: "Sunday, 06-Nov-94 08:49:37 GMT", iso: "1994-11-06T08:49:37.000Z" },
  { text: "Sun Nov  6 08:49:37 1994", iso: "1994-11-06T08:49:37.000Z" },
  // RFC 1123
  { text: "Thu, 01 Jan 1970 00:00:00 GMT", iso: "1970-01-01T00:00:00.000Z" },
  { text: "Thu, 01 Nov 2007 18:08:30 GMT", iso: "2007-11-01T18:08:30.000Z" },
  { text: "Sun, 6 Nov 1994 08:49:37 GMT", iso: "1994-11-06T08:49:37.000Z", why: "one-digit day" },
  { text: "Tue, 29 Feb 2000 23:59:59 GMT", iso: "2000-02-29T23:59:59.000Z", why: "leap day" },
  { text: "Fri, 31 Dec 9999 23:59:59 GMT", iso: "9999-12-31T23:59:59.000Z" },
  { text: "Mon, 01 Jan 0001 00:00:00 GMT", iso: "0001-01-01T00:00:00.000Z", why: "not shifted to 1901" },
  {
    text: "Mon, 06 Nov 1994 08:49:37 GMT",
    iso: "1994-11-06T08:49:37.000Z",
    why: "weekday unchecked, like Qt",
  },
  { text: "  Sun, 06 Nov 1994 08:49:37 GMT\t", iso: "1994-11-06T08:49:37.000Z", why: "OWS trimmed" },
  { text: "Wed, 31 Dec 1969 23:59:59 GMT", iso: "1969-12-31T23:59:59.000Z" },
  // RFC 850: two-digit years are 19yy, as Qt reads them
  { text: "Thursday, 01-Nov-07 18:08:30 GMT", iso: "1907-11-01T18:08:30.000Z" },
  { text: "Monday, 01-Jan-00 00:00:00 GMT", iso: "1900-01-01T00:00:00.000Z" },
  { text: "Friday, 31-Dec-99 23:59:59 GMT", iso: "1999-12-31T23:59:59.000Z" },
  // asctime
  { text: "Sun Nov 6 08:49:37 1994", iso: "1994-11-06T08:49:37.000Z", why: "single space" },
  { text: "Sun Nov 06 08:49:37 1994", iso: "1994-11-06T08:49:37.000Z", why: "zero-padded day" },
  { text: "Thu Nov 16 08:49:37 1994", iso: "1994-11-16T08:49:37.000Z" },
  { text: "Thu Jan  1 00:00:00 1970", iso: "1970-01-01T00:00:00.000Z" },
  // Invalid
  { text: "", iso: undefined },
  { text: "   ", iso: undefined },
  { text: "garbage", iso: undefined },
  { text: "1994-11-06T08:49:37Z", iso: undefined, why: "ISO 8601" },
  { text: "784111777", iso: undefined, why: "epoch seconds" },
  { text: "Sun, 06 Nov 1994 08:49:37 UTC", iso: undefined, why: "zone must be GMT" },
  { text: "Sun, 06 Nov 1994 08:49:37 +0000", iso: undefined },
  { text: "Sun, 06 Nov 1994 08:49:37", iso: undefined, why: "no zone" },
  { text: "Sun, 06 Nov 1994 08:49:37 gmt", iso: undefined, why: "case-sensitive" },
  { text: "Sun, 06 nov 1994 08:49:37 GMT", iso: undefined, why: "case-sensitive month" },
  { text: "sun, 06 Nov 1994 08:49:37 GMT", iso: undefined, why: "case-sensitive weekday" },
  { text: "Sun, 06 Foo 1994 08:49:37 GMT", iso: undefined, why: "month name" },
  { text: "Sun, 06 November 1994 08:49:37 GMT", iso: undefined },
  { text: "Xyz, 06 Nov 1994 08:49:37 GMT", iso: undefined, why: "weekday name" },
  { text: "06 Nov 1994 08:49:37 GMT", iso: undefined, why: "no weekday" },
  { text: "Sun,06 Nov 1994 08:49:37 GMT", iso: undefined },
  { text: "Sun, 06 Nov 94 08:49:37 GMT", iso: undefined, why: "two-digit year in RFC 1123" },
  { text: "Sun, 06 Nov 01994 08:49:37 GMT", iso: undefined },
  { text: "Sun, 00 Nov 1994 08:49:37 GMT", iso: undefined, why: "day 0" },
  { text: "Sun, 32 Dec 1994 08:49:37 GMT", iso: undefined, why: "day 32" },
  { text: "Sun, 31 Apr 1994 08:49:37 GMT", iso: undefined, why: "30-day month" },
  { text: "Thu, 29 Feb 1900 00:00:00 GMT", iso: undefined, why: "1900 is not a leap year" },
  { text: "Sun, 30 Feb 2000 00:00:00 GMT", iso: undefined },
  { text: "Sun, 06 Nov 1994 24:00:00 GMT", iso: undefined, why: "hour 24" },
  { text: "Sun, 06 Nov 1994 08:60:00 GMT", iso: undefined, why: "minute 60" },
  { text: "Sun, 06 Nov 1994 23:59:60 GMT", iso: undefined, why: "leap second" },
  { text: "Sun, 06 Nov 1994 8:49:37 GMT", iso: undefined, why: "one-digit hour" },
  { text: "Sun, 06 Nov 1994 08:49 GMT", iso: undefined, why: "no seconds" },
  { text: "Sun, 06 Nov 1994 08:49:37.5 GMT", iso: undefined },
  { text: "Sun, 06 Nov 1994 08:49:37 GMT extra", iso: undefined },
  { text: "Sun, 06-Nov-1994 08:49:37 GMT", iso: undefined, why: "Netscape cookie shape" },
  { text: "Sun, 06-Nov-94 08:49:37 GMT", iso: undefined, why: "RFC 850 needs the full weekday" },
  { text: "Sunday, 06-Nov-1994 08:49:37 GMT", iso: undefined },
  { text: "Sunday, 06 Nov 1994 08:49:37 GMT", iso: undefined },
  { text: "Sunday, 6-Nov-94 08:49:37 GMT", iso: undefined },
  { text: "Sunday, 31-Jun-94 08:49:37 GMT", iso: undefined },
  { text: "Sun Nov  6 08:49:37 1994 GMT", iso: undefined, why: "asctime has no zone" },
  { text: "Sun Nov  6 08:49:37 94", iso: undefined },
  { text: "Sun Nov   6 08:49:37 1994", iso: undefined },
  { text: "Sun Nov 31 08:49:37 1994", iso: undefined },
  { text: "Sun Nov  6 25:49:37 1994", iso: undefined },
  { text: "Sun, 06 Nov 1994 08:49:37 GMT\r\n", iso: undefined, why: "CR LF is not trimmed" },
];

for (const { text, iso, why } of parses) {
  Deno.test(`parseHttpDate(${JSON.stringify(text)}) → ${iso ?? "undefined"}${why ? ` (${why})` : ""}`, () => {
    const date = parseHttpDate(text);
    assert.equal(date?.toISOString(), iso);
  });
}

const formats: { iso: string; text: string }[] = [
  { iso: "1994-11-06T08:49:37.000Z", text: "Sun, 06 Nov 1994 08:49:37 GMT" },
  { iso: "1970-01-01T00:00:00.000Z", text: "Thu, 01 Jan 1970 00:00:00 GMT" },
  { iso: "2024-02-29T23:59:59.999Z", text: "Thu, 29 Feb 2024 23:59:59 GMT" },
  { iso: "2001-09-09T01:46:40.000Z", text: "Sun, 09 Sep 2001 01:46:40 GMT" },
  { iso: "1969-12-31T23:59:59.000Z", text: "Wed, 31 Dec 1969 23:59:59 GMT" },
  { iso: "0001-01-01T00:00:00.000Z", text: "Mon, 01 Jan 0001 00:00:00 GMT" },
  { iso: "9999-12-31T23:59:59.000Z", text: "Fri, 31 Dec 9999 23:59:59 GMT" },
];

for (const { iso, text } of formats) {
  Deno.test(`formatHttpDate(${iso}) → ${text}`, () => {
    assert.equal(formatHttpDate(new Date(iso)), text);
  });
}

Deno.test("formatHttpDate agrees with Date.prototype.toUTCString", () => {
  const date = new Date(Date.UTC(1994, 10, 6, 8, 49, 37));
  assert.equal(formatHttpDate(date), date.toUTCString());
});

const formatErrors: { name: string; date: Date; message: string }[] = [
  {
    name: "an invalid Date",
    date: new Date(NaN),
    message: "Cannot format Invalid Date as an HTTP date: not a valid Date",
  },
  {
    name: "year 10000",
    date: new Date("+010000-01-01T00:00:00Z"),
    message: "Cannot format +010000-01-01T00:00:00.000Z as an HTTP date: the year needs four digits",
  },
  {
    name: "year -1",
    date: new Date("-000001-01-01T00:00:00Z"),
    message: "Cannot format -000001-01-01T00:00:00.000Z as an HTTP date: the year needs four digits",
  },
];

for (const { name, date, message } of formatErrors) {
  Deno.test(`formatHttpDate rejects ${name}`, () => {
    assert.throws(() => formatHttpDate(date), (e: unknown) => {
      assert.ok(e instanceof RangeError);
      assert.equal(e.message, message);
      return true;
    });
  });
}

Deno.test("parseHttpDate(formatHttpDate(d)) is d truncated to seconds", () => {
  let seed = 12345;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  // setUTCFullYear, because Date.UTC maps year 0 to 1900.
  const start = new Date(0);
  start.setUTCFullYear(0, 0, 1);
  const end = Date.UTC(9999, 11, 31, 23, 59, 59);
  for (let i = 0; i < 2000; i++) {
    const ms = Math.floor(start.getTime() + next() * (end - start.getTime()));
    const date = new Date(ms);
    const back = parseHttpDate(formatHttpDate(date));
    assert.equal(back?.getTime(), Math.floor(ms / 1000) * 1000, date.toISOString());
  }
});
