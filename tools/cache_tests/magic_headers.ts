/**
 * The suite's "magic" header values: a number in a date field is an offset in seconds from the
 * server's clock (`Server-Now`), written as an IMF-fixdate or, when the request lists the field in
 * `rfc850date`, in the obsolete RFC 850 form; with `magic_locations`, `Location` and
 * `Content-Location` become paths under the test's URL (`Server-Base-Url`).
 *
 * @module
 */

import { formatHttpDate } from "../../mod.ts";
import type { RequestSpec } from "./suite.ts";

const dateFields: ReadonlySet<string> = new Set([
  "date",
  "expires",
  "last-modified",
  "if-modified-since",
  "if-unmodified-since",
]);
const locationFields: ReadonlySet<string> = new Set(["location", "content-location"]);

const weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** `Sunday, 06-Nov-94 08:49:37 GMT` (RFC 9110 §5.6.7, obsolete). */
function rfc850Date(date: Date): string {
  const imf = formatHttpDate(date); // "Sun, 06 Nov 1994 08:49:37 GMT"
  const [, day, month, year, time] = imf.split(" ");
  return `${weekdays[date.getUTCDay()]}, ${day}-${month}-${year.slice(2)} ${time} GMT`;
}

/**
 * The value a header of a test stands for, given the response fields the server set so far or the
 * client received (`server-now`, `server-base-url`; names in lower case).
 *
 * @param name The field name as the test writes it.
 * @param value The value as the test writes it.
 * @param known The response's fields by lower-case name.
 * @param request The request the header belongs to.
 * @returns The value to send or expect.
 */
export function magicValue(
  name: string,
  value: string | number,
  known: { readonly get: (name: string) => string | undefined },
  request: RequestSpec,
): string | number {
  const lower = name.toLowerCase();
  if (dateFields.has(lower) && typeof value === "number" && Number.isInteger(value)) {
    const instant = new Date(Number.parseInt(known.get("server-now") ?? "NaN") + value * 1000);
    if (Number.isNaN(instant.getTime())) return "Invalid Date";
    return request.rfc850date?.includes(lower) ? rfc850Date(instant) : formatHttpDate(instant);
  }
  if (locationFields.has(lower) && request.magic_locations) {
    const base = known.get("server-base-url") ?? "";
    return value ? `${base}/${value}` : base;
  }
  return value;
}
