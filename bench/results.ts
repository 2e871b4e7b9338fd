/**
 * {@linkcode Results}: every sample of a run, by scenario, row and round,
 * and their summaries — medians with min–max of the figures and of the
 * per-round ratios.
 *
 * @module
 */

import type { MetricDef, ScenarioDef } from "./scenarios.ts";
import { type Spread, spread } from "./stats.ts";

/** One measurement's figures, by metric id. */
export type Sample = Readonly<Record<string, number>>;

/** The summary of one row (a client or a read style) for one metric. */
export interface CellSummary {
  /** The figure over the rounds. */
  readonly figure: Spread | undefined;
  /** The per-round ratio to the scenario's reference (raw fetch or the fastest row). */
  readonly ratio: Spread | undefined;
}

/** The samples of a run. */
export class Results {
  readonly #samples = new Map<string, Map<string, (Sample | undefined)[]>>();
  readonly #failures = new Map<string, string[]>();
  readonly #rows = new Map<string, string[]>();

  /**
   * Declares a scenario's rows in table order (rows never recorded show "—").
   *
   * @param scenario The scenario.
   * @param rows The row names.
   */
  declareRows(scenario: ScenarioDef, rows: readonly string[]): void {
    this.#rows.set(scenario.id, [...rows]);
  }

  /** The declared rows of `scenario`. */
  rows(scenario: ScenarioDef): readonly string[] {
    return this.#rows.get(scenario.id) ?? [];
  }

  /**
   * Records one sample.
   *
   * @param scenario The scenario.
   * @param row The client or style.
   * @param round The round, from 0.
   * @param sample The figures.
   */
  record(scenario: ScenarioDef, row: string, round: number, sample: Sample): void {
    let byRow = this.#samples.get(scenario.id);
    if (!byRow) this.#samples.set(scenario.id, byRow = new Map());
    let rounds = byRow.get(row);
    if (!rounds) byRow.set(row, rounds = []);
    rounds[round] = sample;
  }

  /**
   * Records that a measurement failed.
   *
   * @param scenario The scenario.
   * @param row The client or style.
   * @param message Why.
   */
  fail(scenario: ScenarioDef, row: string, message: string): void {
    const key = `${scenario.id}\u0000${row}`;
    this.#failures.set(key, [...this.#failures.get(key) ?? [], message]);
  }

  /** Whether `row` failed in `scenario` at least once. */
  failed(scenario: ScenarioDef, row: string): boolean {
    return this.#failures.has(`${scenario.id}\u0000${row}`);
  }

  /** Every failure as "scenario / row: message". */
  failures(): string[] {
    return [...this.#failures].flatMap(([key, messages]) => {
      const [scenario, row] = key.split("\u0000");
      return messages.map((message) => `${scenario} / ${row}: ${message}`);
    });
  }

  /**
   * Summarises one row's metric: the figure over rounds, and the ratio to
   * the reference in each round where both were measured.
   *
   * @param scenario The scenario.
   * @param row The row.
   * @param metric The metric.
   * @param baseline The baseline row's name (for `ratioTo: "baseline"`).
   * @returns The summary.
   */
  summary(scenario: ScenarioDef, row: string, metric: MetricDef, baseline: string): CellSummary {
    const byRow = this.#samples.get(scenario.id) ?? new Map<string, (Sample | undefined)[]>();
    const mine = byRow.get(row) ?? [];
    const figures: number[] = [];
    const ratios: number[] = [];
    mine.forEach((sample, round) => {
      if (sample === undefined || !(metric.id in sample)) return;
      const value = sample[metric.id];
      figures.push(value);
      const reference = this.#reference(scenario, byRow, round, metric, baseline);
      if (reference !== undefined && reference !== 0) ratios.push(value / reference);
    });
    return { figure: spread(figures), ratio: spread(ratios) };
  }

  #reference(
    scenario: ScenarioDef,
    byRow: Map<string, (Sample | undefined)[]>,
    round: number,
    metric: MetricDef,
    baseline: string,
  ): number | undefined {
    const reference = scenario.ratioTo === "baseline" ? baseline : this.fastest(scenario, metric);
    return reference === undefined ? undefined : byRow.get(reference)?.[round]?.[metric.id];
  }

  /**
   * The row with the best median of `metric` over all rounds: the reference
   * of a `ratioTo: "fastest"` scenario. Pairing each round with that one
   * row (rather than with the best sample of each round, which noise biases
   * upward) keeps the ratios comparable to the raw-fetch ones.
   *
   * @param scenario The scenario.
   * @param metric The metric.
   * @returns The row's name, or `undefined` when nothing was measured.
   */
  fastest(scenario: ScenarioDef, metric: MetricDef): string | undefined {
    const byRow = this.#samples.get(scenario.id);
    if (!byRow) return undefined;
    let best: { row: string; median: number } | undefined;
    for (const [row, rounds] of byRow) {
      const values = rounds.flatMap((sample) => (sample && metric.id in sample ? [sample[metric.id]] : []));
      const figure = spread(values);
      if (!figure) continue;
      const better = metric.better === "higher"
        ? figure.median > (best?.median ?? -Infinity)
        : figure.median < (best?.median ?? Infinity);
      if (better) best = { row, median: figure.median };
    }
    return best?.row;
  }
}
