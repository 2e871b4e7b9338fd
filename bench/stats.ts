/**
 * Order statistics for benchmark samples: quantiles (linear interpolation
 * between closest ranks), the median, and a median-with-range summary.
 *
 * @module
 */

/**
 * The `q`-quantile of `values` (linear interpolation between closest ranks).
 *
 * @param values The samples; not modified. Must not be empty.
 * @param q The quantile, 0 to 1 (0.5 = median, 0.99 = p99).
 * @returns The quantile.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError("Cannot take a quantile of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

/**
 * The median of `values`.
 *
 * @param values The samples. Must not be empty.
 * @returns The median.
 */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** A median with the spread of the samples it came from. */
export interface Spread {
  /** The median. */
  readonly median: number;
  /** The 25th percentile. */
  readonly p25: number;
  /** The 75th percentile. */
  readonly p75: number;
  /** The smallest sample. */
  readonly min: number;
  /** The largest sample. */
  readonly max: number;
  /** How many samples. */
  readonly count: number;
}

/**
 * Summarises samples as median, interquartile range and min–max.
 *
 * @param values The samples.
 * @returns The summary, or `undefined` for no samples.
 */
export function spread(values: readonly number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  return {
    median: median(values),
    p25: quantile(values, 0.25),
    p75: quantile(values, 0.75),
    min: Math.min(...values),
    max: Math.max(...values),
    count: values.length,
  };
}
