/**
 * Number formatting for the results tables.
 *
 * @module
 */

import type { Spread } from "./stats.ts";

/**
 * A number with `digits` decimals and thousands separators.
 *
 * @param value The number.
 * @param digits Decimals.
 * @returns E.g. "12,345" or "0.052".
 */
export function formatNumber(value: number, digits: number): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * A median with its interquartile range, e.g. "4,210 (4,020–4,390)".
 *
 * @param value The summary, or `undefined` for "—".
 * @param digits Decimals.
 * @returns The text.
 */
export function formatSpread(value: Spread | undefined, digits: number): string {
  if (value === undefined) return "—";
  const median = formatNumber(value.median, digits);
  if (value.count === 1) return median;
  return `${median} (${formatNumber(value.p25, digits)}–${formatNumber(value.p75, digits)})`;
}

/**
 * A ratio with its interquartile range, e.g. "0.97× (0.93–1.01)".
 *
 * @param value The summary, or `undefined` for "—".
 * @returns The text.
 */
export function formatRatio(value: Spread | undefined): string {
  if (value === undefined) return "—";
  const median = `${value.median.toFixed(2)}×`;
  if (value.count === 1 || value.p25 === value.p75) return median;
  return `${median} (${value.p25.toFixed(2)}–${value.p75.toFixed(2)})`;
}

/**
 * The full range of a summary, e.g. "0.81–1.12×".
 *
 * @param value The summary, or `undefined` for "—".
 * @param digits Decimals.
 * @param unit Appended to the range.
 * @returns The text.
 */
export function formatRange(value: Spread | undefined, digits: number, unit = ""): string {
  if (value === undefined) return "—";
  return `${formatNumber(value.min, digits)}–${formatNumber(value.max, digits)}${unit}`;
}
