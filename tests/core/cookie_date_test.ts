import assert from "node:assert/strict";
import fc from "fast-check";
import { parseCookieDate } from "../../src/core/cookie_date.ts";

// Ported from the http-state test suite (Adam Barth): tests/data/dates/examples.json and
// bsd-examples.json, with results by RFC 6265bis §5.1.1 (weekdays are never checked).
const httpStateDates: { text: string; iso: string | undefined; why?: string }[] = [
  // examples.json
  { text: "Mon, 10-Dec-2007 17:02:24 GMT", iso: "2007-12-10T17:02:24.000Z" },
  { text: "Wed, 09 Dec 2009 16:27:23 GMT", iso: "2009-12-09T16:27:23.000Z" },
  { text: "Thursday, 01-Jan-1970 00:00:00 GMT", iso: "1970-01-01T00:00:00.000Z" },
  { text: "Mon Dec 10 16:32:30 2007 GMT", iso: "2007-12-10T16:32:30.000Z" },
  { text: "Wednesday, 01-Jan-10 00:00:00 GMT", iso: "2010-01-01T00:00:00.000Z" },
  { text: "Mon, 10-Dec-07 20:35:03 GMT", iso: "2007-12-10T20:35:03.000Z" },
  { text: "Wed, 1 Jan 2020 00:00:00 GMT", iso: "2020-01-01T00:00:00.000Z" },
  { text: "Saturday, 8-Dec-2012 21:24:09 GMT", iso: "2012-12-08T21:24:09.000Z" },
  { text: "Thu, 31 Dec 23:55:55 2037 GMT", iso: "2037-12-31T23:55:55.000Z" },
  { text: "Sun,  9 Dec 2012 13:42:05 GMT", iso: "2012-12-09T13:42:05.000Z" },
  { text: "Wed Dec 12 2007 08:44:07 GMT-0500 (EST)", iso: "2007-12-12T08:44:07.000Z" },
  {
    text: "Mon, 01-Jan-2011 00: 00:00 GMT",
    iso: undefined,
    why: '":" is no delimiter, so "00:" and "00:00" are no time',
  },
  { text: "Sun, 1-Jan-1995 00:00:00 GMT", iso: "1995-01-01T00:00:00.000Z" },
  { text: "Wednesday, 01-Jan-10 0:0:00 GMT", iso: "2010-01-01T00:00:00.000Z" },
  { text: "Thu, 10 Dec 2009 13:57:2 GMT", iso: "2009-12-10T13:57:02.000Z" },
  // bsd-examples.json
  { text: "Sat, 15-Apr-17 21:01:22 GMT", iso: "2017-04-15T21:01:22.000Z" },
  { text: "Thu, 19-Apr-2007 16:00:00 GMT", iso: "2007-04-19T16:00:00.000Z" },
  { text: "Wed, 25 Apr 2007 21:02:13 GMT", iso: "2007-04-25T21:02:13.000Z" },
  { text: "Thu, 19/Apr\\2007 16:00:00 GMT", iso: "2007-04-19T16:00:00.000Z" },
  { text: "Fri, 1 Jan 2010 01:01:50 GMT", iso: "2010-01-01T01:01:50.000Z" },
  { text: "Wednesday, 1-Jan-2003 00:00:00 GMT", iso: "2003-01-01T00:00:00.000Z" },
  { text: ", 1-Jan-2003 00:00:00 GMT", iso: "2003-01-01T00:00:00.000Z" },
  { text: " 1-Jan-2003 00:00:00 GMT", iso: "2003-01-01T00:00:00.000Z" },
  { text: "1-Jan-2003 00:00:00 GMT", iso: "2003-01-01T00:00:00.000Z" },
  { text: "Wed,18-Apr-07 22:50:12 GMT", iso: "2007-04-18T22:50:12.000Z" },
  { text: "WillyWonka  , 18-Apr-07 22:50:12 GMT", iso: "2007-04-18T22:50:12.000Z" },
  { text: "WillyWonka  , 18-Apr-07 22:50:12", iso: "2007-04-18T22:50:12.000Z" },
  { text: "WillyWonka  ,  18-apr-07   22:50:12", iso: "2007-04-18T22:50:12.000Z" },
  { text: "Mon, 18-Apr-1977 22:50:13 GMT", iso: "1977-04-18T22:50:13.000Z" },
  { text: "Mon, 18-Apr-77 22:50:13 GMT", iso: "1977-04-18T22:50:13.000Z" },
  { text: '"Sat, 15-Apr-17\\"21:01:22\\"GMT"', iso: "2017-04-15T21:01:22.000Z" },
  { text: "Partyday, 18- April-07 22:50:12", iso: "2007-04-18T22:50:12.000Z" },
  { text: "Partyday, 18 - Apri-07 22:50:12", iso: "2007-04-18T22:50:12.000Z" },
  { text: "Wednes, 1-Januar-2003 00:00:00 GMT", iso: "2003-01-01T00:00:00.000Z" },
  { text: "Sat, 15-Apr-17 21:01:22", iso: "2017-04-15T21:01:22.000Z" },
  { text: "Sat, 15-Apr-17 21:01:22 GMT-2", iso: "2017-04-15T21:01:22.000Z" },
  { text: "Sat, 15-Apr-17 21:01:22 GMT BLAH", iso: "2017-04-15T21:01:22.000Z" },
  { text: "Sat, 15-Apr-17 21:01:22 GMT-0400", iso: "2017-04-15T21:01:22.000Z" },
  { text: "Sat, 15-Apr-17 21:01:22 GMT-0400 (EDT)", iso: "2017-04-15T21:01:22.000Z" },
  { text: "Sat, 15-Apr-17 21:01:22 DST", iso: "2017-04-15T21:01:22.000Z" },
  { text: "Sat, 15-Apr-17 21:01:22 -0400", iso: "2017-04-15T21:01:22.000Z" },
  { text: "Sat, 15-Apr-17 21:01:22 (hello there)", iso: "2017-04-15T21:01:22.000Z" },
  { text: "Sat, 15-Apr-17 21:01:22 11:22:33", iso: "2017-04-15T21:01:22.000Z", why: "first time wins" },
  { text: "Sat, 15-Apr-17 ::00 21:01:22", iso: "2017-04-15T21:01:22.000Z" },
  { text: "Sat, 15-Apr-17 boink:z 21:01:22", iso: "2017-04-15T21:01:22.000Z" },
  { text: "Sat, 15-Apr-17 91:22:33 21:01:22", iso: undefined, why: "the first time has hour 91" },
  { text: "Thu Apr 18 22:50:12 2007 GMT", iso: "2007-04-18T22:50:12.000Z" },
  { text: "22:50:12 Thu Apr 18 2007 GMT", iso: "2007-04-18T22:50:12.000Z" },
  { text: "Thu 22:50:12 Apr 18 2007 GMT", iso: "2007-04-18T22:50:12.000Z" },
  { text: "Thu Apr 22:50:12 18 2007 GMT", iso: "2007-04-18T22:50:12.000Z" },
  { text: "Thu Apr 18 2007 22:50:12 GMT", iso: "2007-04-18T22:50:12.000Z" },
  { text: "Thu Apr 18 2007 GMT 22:50:12", iso: "2007-04-18T22:50:12.000Z" },
  { text: "15-Sat, Apr-17 21:01:22 GMT", iso: "2017-04-15T21:01:22.000Z" },
  { text: "15-Sat, Apr 21:01:22 GMT 17", iso: "2017-04-15T21:01:22.000Z" },
  { text: "15-Sat, Apr 21:01:22 GMT 2017", iso: "2017-04-15T21:01:22.000Z" },
  { text: "15 Apr 21:01:22 2017", iso: "2017-04-15T21:01:22.000Z" },
  { text: "15 17 Apr 21:01:22", iso: "2017-04-15T21:01:22.000Z" },
  { text: "Apr 15 17 21:01:22", iso: "2017-04-15T21:01:22.000Z" },
  { text: "Apr 15 21:01:22 17", iso: "2017-04-15T21:01:22.000Z" },
  { text: "2017 April 15 21:01:22", iso: "2017-04-15T21:01:22.000Z" },
  { text: "15 April 2017 21:01:22", iso: "2017-04-15T21:01:22.000Z" },
  { text: "98 April 17 21:01:22", iso: undefined, why: "day 98" },
  { text: "Thu, 012-Aug-2008 20:49:07 GMT", iso: undefined, why: "a three-digit day is none" },
  { text: "Thu, 12-Aug-31841 20:49:07 GMT", iso: undefined, why: "a five-digit year is none" },
  { text: "Thu, 12-Aug-9999999999 20:49:07 GMT", iso: undefined },
  { text: "Thu, 999999999999-Aug-2007 20:49:07 GMT", iso: undefined },
  { text: "Thu, 12-Aug-2007 20:61:99999999999 GMT", iso: undefined },
  { text: "IAintNoDateFool", iso: undefined },
];

Deno.test("parseCookieDate: the http-state date tests", () => {
  for (const { text, iso, why } of httpStateDates) {
    assert.equal(
      parseCookieDate(text)?.toISOString(),
      iso,
      `${JSON.stringify(text)}${why ? ` (${why})` : ""}`,
    );
  }
});

// The steps of RFC 6265bis §5.1.1 one by one.
const rfcSteps: { text: string; iso: string | undefined; why: string }[] = [
  { text: "1 jan 70 0:0:0", iso: "1970-01-01T00:00:00.000Z", why: "70 is 1970" },
  { text: "1 jan 99 0:0:0", iso: "1999-01-01T00:00:00.000Z", why: "99 is 1999" },
  { text: "1 jan 00 0:0:0", iso: "2000-01-01T00:00:00.000Z", why: "00 is 2000" },
  { text: "1 jan 69 0:0:0", iso: "2069-01-01T00:00:00.000Z", why: "69 is 2069" },
  {
    text: "1 jan 0069 0:0:0",
    iso: "2069-01-01T00:00:00.000Z",
    why: "the rule reads the value, not the digits",
  },
  { text: "1 jan 100 0:0:0", iso: undefined, why: "year 100 is before 1601" },
  { text: "1 jan 1600 0:0:0", iso: undefined, why: "before 1601" },
  { text: "1 jan 1601 0:0:0", iso: "1601-01-01T00:00:00.000Z", why: "1601 is the first year" },
  { text: "31 dec 9999 23:59:59", iso: "9999-12-31T23:59:59.000Z", why: "latest four-digit year" },
  { text: "0 jan 2000 0:0:0", iso: undefined, why: "day 0" },
  { text: "32 jan 2000 0:0:0", iso: undefined, why: "day 32" },
  { text: "31 apr 2000 0:0:0", iso: undefined, why: "no 31 April" },
  { text: "29 feb 2001 0:0:0", iso: undefined, why: "no 29 February in 2001" },
  { text: "29 feb 2000 0:0:0", iso: "2000-02-29T00:00:00.000Z", why: "leap day" },
  { text: "1 jan 2000 24:00:00", iso: undefined, why: "hour 24" },
  { text: "1 jan 2000 23:60:00", iso: undefined, why: "minute 60" },
  { text: "1 jan 2000 23:59:60", iso: undefined, why: "no leap seconds" },
  { text: "1 jan 2000 1:2:3", iso: "2000-01-01T01:02:03.000Z", why: "one-digit time fields" },
  { text: "1 jan 2000 123:00:00", iso: undefined, why: "a three-digit time field is no time" },
  { text: "1 jan 2000 12:00:00pm", iso: "2000-01-01T12:00:00.000Z", why: "junk after the time" },
  { text: "1st jan 2000 0:0:0", iso: "2000-01-01T00:00:00.000Z", why: "junk after the day" },
  { text: "1 jan 2000AD 0:0:0", iso: "2000-01-01T00:00:00.000Z", why: "junk after the year" },
  { text: "1 JANUARY 2000 0:0:0", iso: "2000-01-01T00:00:00.000Z", why: "month name case-insensitive" },
  { text: "1 ja 2000 0:0:0", iso: undefined, why: "a month needs three letters" },
  { text: "1 2000 0:0:0", iso: undefined, why: "no month" },
  { text: "jan 2000 0:0:0", iso: undefined, why: "no day (2000 is no day)" },
  { text: "1 jan 0:0:0", iso: undefined, why: "no year" },
  { text: "1 jan 2000", iso: undefined, why: "no time" },
  { text: "1\tjan;2000@0:0:0", iso: "2000-01-01T00:00:00.000Z", why: "tab, ; and @ are delimiters" },
  { text: "1\u00e9jan 2000 0:0:0", iso: undefined, why: "non-ASCII is part of a token" },
  { text: "", iso: undefined, why: "empty" },
];

Deno.test("parseCookieDate: RFC 6265bis §5.1.1 step by step", () => {
  for (const { text, iso, why } of rfcSteps) {
    assert.equal(parseCookieDate(text)?.toISOString(), iso, `${JSON.stringify(text)} (${why})`);
  }
});

Deno.test("parseCookieDate returns undefined for a non-string", () => {
  assert.equal(parseCookieDate(42 as unknown as string), undefined);
  assert.equal(parseCookieDate(undefined as unknown as string), undefined);
});

Deno.test("property: every IMF-fixdate a server writes from 1601 on parses back to the same instant", () => {
  fc.assert(
    fc.property(
      fc.date({
        min: new Date("1601-01-01T00:00:00Z"),
        max: new Date("9999-12-31T23:59:59Z"),
        noInvalidDate: true,
      }),
      (date) => {
        const seconds = new Date(Math.floor(date.getTime() / 1000) * 1000);
        assert.equal(parseCookieDate(seconds.toUTCString())?.getTime(), seconds.getTime());
      },
    ),
    { seed: 1511, numRuns: 300 },
  );
});

Deno.test("property: parseCookieDate never throws and returns a valid date or undefined", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 60 }), (text) => {
      const date = parseCookieDate(text);
      assert.ok(date === undefined || !Number.isNaN(date.getTime()));
    }),
    { seed: 6265, numRuns: 300 },
  );
});
