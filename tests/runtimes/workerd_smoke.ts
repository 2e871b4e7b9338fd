/**
 * The smoke suite's workerd entry: transpiled, bundled for the browser
 * platform with netreply from the installed npm build, and run by
 * `workerd test` (run_smoke.sh writes the config). workerd cannot listen,
 * so the checks talk to smoke_server_main.ts, whose addresses run_smoke.sh
 * passes in as text bindings (with the test CA), on the fetch transport and
 * on the socket transport (`cloudflare:sockets` through the workerd opener). `test()` throws when a check failed, which
 * workerd reports as `[ FAIL ]`.
 *
 * @module
 */

import { runSmokeChecks } from "./smoke_checks.ts";

/** The worker's bindings (see the config run_smoke.sh writes). */
interface SmokeEnv {
  /** `http://127.0.0.1:<port>` of the smoke server. */
  readonly SMOKE_BASE: string;
  /** `https://127.0.0.1:<port>` of the smoke server's TLS side. */
  readonly SMOKE_HTTPS_BASE: string;
  /** The test CA (PEM) that signed the TLS side's certificate. */
  readonly SMOKE_CA: string;
  /** `https://127.0.0.1:<port>` of the smoke server's self-signed side. */
  readonly SMOKE_SELF_SIGNED_BASE: string;
  /** A loopback port nothing listens on, as decimal text. */
  readonly SMOKE_CLOSED_PORT: string;
}

/** The worker: a test handler only. */
export default {
  async test(_controller: unknown, env: SmokeEnv): Promise<void> {
    const target = {
      runtime: "workerd",
      base: env.SMOKE_BASE,
      httpsBase: env.SMOKE_HTTPS_BASE,
      caCertificate: env.SMOKE_CA,
      selfSignedBase: env.SMOKE_SELF_SIGNED_BASE,
      closedPort: Number(env.SMOKE_CLOSED_PORT),
    } as const;
    const { failed } = await runSmokeChecks("workerd", target);
    if (failed > 0) throw new Error(`${failed} smoke check(s) failed on workerd`);
  },
};
