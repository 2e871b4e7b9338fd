/**
 * Runs conformance scenarios on the fetch transport against a raw TCP server
 * on loopback that writes exactly the bytes each row describes.
 */

import { FetchTransport, NetworkAccessManager } from "../../mod.ts";
import { checkedTransport } from "../../testing.ts";
import type { Harness } from "./harness.ts";
import { rawServerHarness } from "./raw_server_harness.ts";

/** The fetch transport (the default) against a raw server; "refused" rows use a closed port. */
export const fetchHarness: Harness = rawServerHarness(
  "fetch",
  // Checked against the Transport contract: a violation fails the row when the manager closes.
  () => new NetworkAccessManager({ proxy: null, transport: checkedTransport(new FetchTransport()) }),
);
