/**
 * The clients the benchmark compares, in table order. The first is the
 * baseline every ratio divides by; the last, the raw socket, is the ceiling
 * the socket transport's download is held to. A netreply transport is benchmarked by
 * listing it in {@linkcode NETREPLY_TRANSPORTS}: one line adds it to every
 * scenario, the netreply-only ones included.
 *
 * @module
 */

import type { NetworkAccessManager } from "../../mod.ts";
import { axiosClient } from "./axios.ts";
import { fetchFloorClient } from "./fetch_floor.ts";
import type { BenchClient } from "./client.ts";
import { kyClient } from "./ky.ts";
import { type BenchTransport, NETREPLY_TRANSPORTS, netreplyClient } from "./netreply.ts";
import { ofetchClient } from "./ofetch.ts";
import { RAW_FETCH, rawFetchClient } from "./raw_fetch.ts";
import { RAW_SOCKET, rawSocketClient } from "./raw_socket.ts";
import { wretchClient } from "./wretch.ts";

/** The baseline's name, as ratios and targets refer to it. */
export const BASELINE: string = RAW_FETCH;

/** The ceiling's name: the socket transport's download target refers to it. */
export const CEILING: string = RAW_SOCKET;

/**
 * Creates every client, the baseline first.
 *
 * @param manager The netreply manager to use for a transport (the caller closes it).
 * @returns The clients.
 */
export function createClients(manager: (transport: BenchTransport) => NetworkAccessManager): BenchClient[] {
  return [
    rawFetchClient(),
    fetchFloorClient(),
    ...NETREPLY_TRANSPORTS.map((transport) => netreplyClient(manager(transport), transport)),
    kyClient(),
    ofetchClient(),
    axiosClient(),
    wretchClient(),
    rawSocketClient(),
  ];
}
