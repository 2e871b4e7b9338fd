/**
 * Pure formatting for the CLI's download progress line: a bar, byte counts,
 * a transfer rate and an ETA. No I/O, so it is unit-tested on its own.
 *
 * @module
 */

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"] as const;
// Eighths of a block, so a 30-column bar moves in 240 visible steps.
const PARTIAL_BLOCKS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"] as const;

/**
 * A byte count in binary units: `"0 B"`, `"512 B"`, `"1.5 KiB"`, `"32.0 MiB"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatBytes } from "./progress_bar.ts";
 * assert.equal(formatBytes(1536), "1.5 KiB");
 * ```
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "? B";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  // Round first so 1023.96 KiB is shown as "1.0 MiB", not "1024.0 KiB".
  if (Number(value.toFixed(1)) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

/**
 * A transfer rate, e.g. `"12.5 MiB/s"`; `"-- B/s"` while it is not known yet.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatRate } from "./progress_bar.ts";
 * assert.equal(formatRate(2 * 1024 * 1024), "2.0 MiB/s");
 * ```
 */
export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return "-- B/s";
  return `${formatBytes(bytesPerSecond)}/s`;
}

/**
 * A duration in seconds as `m:ss` (or `h:mm:ss`), rounded up so a running
 * transfer never shows `0:00`; `"--:--"` when unknown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatEta } from "./progress_bar.ts";
 * assert.equal(formatEta(65), "1:05");
 * ```
 */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const total = Math.ceil(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/**
 * A bar exactly `width` columns wide, filled to `fraction` (clamped to 0..1;
 * NaN counts as 0) with full and partial blocks; the rest is `░`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderBar } from "./progress_bar.ts";
 * assert.equal(renderBar(0.5, 4), "██░░");
 * ```
 */
export function renderBar(fraction: number, width: number): string {
  const clamped = Number.isNaN(fraction) ? 0 : Math.min(1, Math.max(0, fraction));
  const eighths = Math.floor(clamped * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = PARTIAL_BLOCKS[eighths % 8];
  const empty = width - full - (partial === "" ? 0 : 1);
  return "█".repeat(full) + partial + "░".repeat(empty);
}

/** What {@linkcode progressLine} needs to know about a transfer. */
export interface ProgressSample {
  /** Bytes received so far. */
  readonly received: number;
  /** Bytes expected in all, or -1 when unknown (as in `DownloadProgressEvent.bytesTotal`). */
  readonly total: number;
  /** Milliseconds since the transfer started. */
  readonly elapsedMs: number;
  /** A measured rate to show instead of the average `received / elapsedMs`; NaN = not known yet. */
  readonly bytesPerSecond?: number;
}

/**
 * One progress line: bar, percentage, bytes, rate and ETA when the total is
 * known; bytes and rate otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { progressLine } from "./progress_bar.ts";
 * const line = progressLine({ received: 1024, total: 2048, elapsedMs: 1000 }, 4);
 * assert.equal(line, "██░░  50%  1.0 KiB / 2.0 KiB  1.0 KiB/s  ETA 0:01");
 * ```
 */
export function progressLine(sample: ProgressSample, barWidth: number): string {
  const { received, total, elapsedMs } = sample;
  const rate = sample.bytesPerSecond ?? (elapsedMs > 0 ? received / (elapsedMs / 1000) : NaN);
  if (total < 0) return `${formatBytes(received)}  ${formatRate(rate)}`;
  const fraction = total === 0 ? 1 : received / total;
  const percent = `${Math.floor(Math.min(1, fraction) * 100)}%`.padStart(4);
  const eta = rate > 0 ? (total - received) / rate : NaN;
  return `${renderBar(fraction, barWidth)} ${percent}  ${formatBytes(received)} / ${formatBytes(total)}  ` +
    `${formatRate(rate)}  ETA ${formatEta(eta)}`;
}
