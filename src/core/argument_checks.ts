/**
 * Checks for numeric and enum arguments of the public API, each throwing a
 * RangeError that says which setting and which value.
 *
 * @module
 */

/**
 * `now` if it is a finite number of milliseconds (the time the pure policy
 * modules take as a parameter); else a RangeError saying what could not be
 * done, e.g. `Cannot learn HSTS: now must be a finite number of milliseconds, got NaN`.
 */
export function checkNow(now: unknown, action: string): number {
  if (typeof now !== "number" || !Number.isFinite(now)) {
    const got = typeof now === "string"
      ? JSON.stringify(now)
      : typeof now === "object" && now !== null
      ? "an object"
      : String(now);
    throw new RangeError(`Cannot ${action}: now must be a finite number of milliseconds, got ${got}`);
  }
  return now;
}

/** `value` if it is an integer >= `min`; else a RangeError naming `what`. */
export function checkInteger(what: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`Cannot set ${what}: expected an integer >= ${min}, got ${value}`);
  }
  return value;
}

/** The values of each enum object asked about, gathered on first use (enum objects are constants). */
const enumValues = new WeakMap<object, ReadonlySet<unknown>>();

/** Whether `value` is one of the numbers of an `as const` enum object. */
export function isEnumValue<E extends Record<string, number>>(
  enumObject: E,
  value: unknown,
): value is E[keyof E] {
  let values = enumValues.get(enumObject);
  if (values === undefined) {
    values = new Set(Object.values(enumObject));
    enumValues.set(enumObject, values);
  }
  return values.has(value);
}

/** `value` if it is one of the enum's numbers; else a RangeError naming `what` and the enum. */
export function checkEnumValue<E extends Record<string, number>>(
  what: string,
  enumName: string,
  enumObject: E,
  value: E[keyof E],
): E[keyof E] {
  if (!isEnumValue(enumObject, value)) {
    throw new RangeError(`Cannot set ${what}: ${value} is not a ${enumName}`);
  }
  return value;
}
