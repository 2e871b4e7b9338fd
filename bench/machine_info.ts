/**
 * The facts a results file records about where it was measured.
 *
 * @module
 */

import os from "node:os";

/** Where and with what a run was measured. */
export interface MachineInfo {
  /** ISO date and time of the run (UTC). */
  readonly date: string;
  /** `Deno.version.deno`. */
  readonly deno: string;
  /** `Deno.version.v8`. */
  readonly v8: string;
  /** The CPU model (`os.cpus()`, which reads /proc/cpuinfo on Linux), or "unknown". */
  readonly cpu: string;
  /** Logical cores (`navigator.hardwareConcurrency`). */
  readonly cores: number;
  /** `Deno.build.target`. */
  readonly target: string;
}

/**
 * Collects the machine facts. The CPU model needs `--allow-sys=cpus` (Deno
 * reads /proc/cpuinfo only with full permissions); without it, "unknown".
 *
 * @returns The facts.
 */
export function machineInfo(): MachineInfo {
  let cpu = "unknown";
  try {
    cpu = os.cpus()[0]?.model.trim() || cpu;
  } catch {
    // no --allow-sys=cpus
  }
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    cpu,
    cores: navigator.hardwareConcurrency,
    target: Deno.build.target,
  };
}
