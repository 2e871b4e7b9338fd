/**
 * The smoke suite's workerd entry: bundled for the browser platform and run
 * by `workerd test` (run_smoke.sh writes the config). workerd cannot listen,
 * so the checks talk to smoke_server_main.ts, whose address run_smoke.sh
 * passes in as text bindings. `test()` throws when a check failed, which
 * workerd reports as `[ FAIL ]`.
 *
 * @module
 */

import { runSmokeChecks } from "./smoke_checks.ts";

/** The worker's bindings (see the config run_smoke.sh writes). */
interface SmokeEnv {
  /** `http://127.0.0.1:<port>` of the smoke server. */
  readonly SMOKE_BASE: string;
  /** A loopback port nothing listens on, as decimal text. */
  readonly SMOKE_CLOSED_PORT: string;
}

/** The worker: a test handler only. */
export default {
  async test(_controller: unknown, env: SmokeEnv): Promise<void> {
    const target = {
      runtime: "workerd",
      base: env.SMOKE_BASE,
      closedPort: Number(env.SMOKE_CLOSED_PORT),
    } as const;
    const { failed } = await runSmokeChecks("workerd", target);
    if (failed > 0) throw new Error(`${failed} smoke check(s) failed on workerd`);
  },
};
