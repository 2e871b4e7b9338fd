import assert from "node:assert/strict";
import { formatBytes, formatEta, formatRate, progressLine, renderBar } from "../../cli/progress_bar.ts";

const KiB = 1024;
const MiB = 1024 * KiB;

Deno.test("formatBytes() picks binary units and one decimal", () => {
  const cases: [number, string][] = [
    [0, "0 B"],
    [1, "1 B"],
    [1023, "1023 B"],
    [1024, "1.0 KiB"],
    [1536, "1.5 KiB"],
    [1024 * KiB - 1, "1.0 MiB"],
    [32 * MiB, "32.0 MiB"],
    [1.25 * 1024 * MiB, "1.3 GiB"],
    [-1, "? B"],
    [NaN, "? B"],
  ];
  for (const [bytes, expected] of cases) assert.equal(formatBytes(bytes), expected, `formatBytes(${bytes})`);
});

Deno.test("formatRate() shows per-second bytes, or a placeholder while unknown", () => {
  assert.equal(formatRate(12.5 * MiB), "12.5 MiB/s");
  assert.equal(formatRate(100), "100 B/s");
  for (const unknown of [0, -5, NaN, Infinity]) {
    assert.equal(formatRate(unknown), "-- B/s", `rate ${unknown}`);
  }
});

Deno.test("formatEta() rounds up to whole seconds and adds hours when needed", () => {
  const cases: [number, string][] = [
    [0, "0:00"],
    [0.2, "0:01"],
    [59, "0:59"],
    [65, "1:05"],
    [3600, "1:00:00"],
    [3725, "1:02:05"],
    [-1, "--:--"],
    [NaN, "--:--"],
    [Infinity, "--:--"],
  ];
  for (const [seconds, expected] of cases) {
    assert.equal(formatEta(seconds), expected, `formatEta(${seconds})`);
  }
});

Deno.test("renderBar() is always exactly `width` columns", () => {
  for (const width of [1, 7, 30]) {
    for (let i = 0; i <= 100; i++) {
      assert.equal([...renderBar(i / 100, width)].length, width, `width ${width} at ${i}%`);
    }
  }
});

Deno.test("renderBar() fills with full and partial blocks and clamps", () => {
  const cases: [number, number, string][] = [
    [0, 4, "░░░░"],
    [0.5, 4, "██░░"],
    [1, 4, "████"],
    [0.25, 2, "▌░"],
    [1 / 16, 2, "▏░"],
    [2, 3, "███"],
    [-1, 3, "░░░"],
    [NaN, 3, "░░░"],
  ];
  for (const [fraction, width, expected] of cases) {
    assert.equal(renderBar(fraction, width), expected, `renderBar(${fraction}, ${width})`);
  }
});

Deno.test("progressLine() shows bar, percent, bytes, rate and ETA for a known total", () => {
  assert.equal(
    progressLine({ received: 8 * MiB, total: 32 * MiB, elapsedMs: 1000 }, 8),
    "██░░░░░░  25%  8.0 MiB / 32.0 MiB  8.0 MiB/s  ETA 0:03",
  );
  assert.equal(
    progressLine({ received: 32 * MiB, total: 32 * MiB, elapsedMs: 2000 }, 4),
    "████ 100%  32.0 MiB / 32.0 MiB  16.0 MiB/s  ETA 0:00",
  );
});

Deno.test("progressLine() leaves rate and ETA open before any time has passed", () => {
  assert.equal(
    progressLine({ received: 0, total: 1024, elapsedMs: 0 }, 4),
    "░░░░   0%  0 B / 1.0 KiB  -- B/s  ETA --:--",
  );
});

Deno.test("progressLine() drops bar and ETA when the total is unknown", () => {
  assert.equal(progressLine({ received: 3 * MiB, total: -1, elapsedMs: 1500 }, 8), "3.0 MiB  2.0 MiB/s");
});

Deno.test("progressLine() treats an empty body as complete", () => {
  assert.equal(
    progressLine({ received: 0, total: 0, elapsedMs: 10 }, 2),
    "██ 100%  0 B / 0 B  -- B/s  ETA --:--",
  );
});

Deno.test("progressLine() uses a measured rate when one is given", () => {
  assert.equal(
    progressLine({ received: 1 * MiB, total: 4 * MiB, elapsedMs: 10_000, bytesPerSecond: 1 * MiB }, 4),
    "█░░░  25%  1.0 MiB / 4.0 MiB  1.0 MiB/s  ETA 0:03",
  );
  assert.equal(
    progressLine({ received: 1 * MiB, total: 4 * MiB, elapsedMs: 10_000, bytesPerSecond: NaN }, 4),
    "█░░░  25%  1.0 MiB / 4.0 MiB  -- B/s  ETA --:--",
  );
});
