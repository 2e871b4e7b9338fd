/**
 * Runs conformance scenarios on the socket transport against a raw TCP server
 * on loopback that writes exactly the bytes each row describes.
 *
 * The table's sequences are written without connection events, which only
 * the socket transport dispatches (docs/transports.md:
 * `socketStartedConnecting` per new connection, none on reuse). This harness
 * keeps `socketStartedConnecting` out of the recorded trace; tests/socket/
 * checks when it comes. Everything else in every row holds as written.
 */

import { NetworkAccessManager, type NetworkReply } from "../../mod.ts";
import { checkedTransport } from "../../testing.ts";
import { SocketTransport } from "../../src/transport/socket/socket_transport.ts";
import type { Harness } from "./harness.ts";
import { rawServerHarness } from "./raw_server_harness.ts";

// Registered before the trace's listener, so the trace never sees the event.
function withoutConnectionEvents(reply: NetworkReply): NetworkReply {
  reply.addEventListener("socketStartedConnecting", (event) => event.stopImmediatePropagation());
  return reply;
}

/** A manager on the socket transport whose replies hide `socketStartedConnecting` from later listeners. */
class SocketConformanceManager extends NetworkAccessManager {
  override get(...args: Parameters<NetworkAccessManager["get"]>): NetworkReply {
    return withoutConnectionEvents(super.get(...args));
  }
  override head(...args: Parameters<NetworkAccessManager["head"]>): NetworkReply {
    return withoutConnectionEvents(super.head(...args));
  }
  override post(...args: Parameters<NetworkAccessManager["post"]>): NetworkReply {
    return withoutConnectionEvents(super.post(...args));
  }
  override put(...args: Parameters<NetworkAccessManager["put"]>): NetworkReply {
    return withoutConnectionEvents(super.put(...args));
  }
  override deleteResource(...args: Parameters<NetworkAccessManager["deleteResource"]>): NetworkReply {
    return withoutConnectionEvents(super.deleteResource(...args));
  }
}

/** The socket transport against a raw server; "refused" rows use a closed port. */
export const socketHarness: Harness = rawServerHarness(
  "socket",
  // Checked against the Transport contract: a violation fails the row when the manager closes.
  () => new SocketConformanceManager({ transport: checkedTransport(new SocketTransport()), proxy: null }),
);
