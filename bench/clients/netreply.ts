/**
 * netreply, driven the way its README teaches: `await nam.get(url).bytes()`
 * for small GETs; `readyRead` + `reply.read()` with a `downloadProgress`
 * listener for downloads; `nam.post(url, bytes)` with an `uploadProgress`
 * listener for uploads. The same client runs on each transport the
 * benchmark lists (`fetch`, `socket`), one manager per transport.
 *
 * @module
 */

import {
  type NetworkAccessManager,
  type NetworkAccessManagerOptions,
  NetworkError,
  type NetworkReply,
} from "../../mod.ts";
import type { BenchClient, ProgressSink } from "./client.ts";

/** The transports the benchmark can name; each gets its own manager. */
export type BenchTransport = Extract<NetworkAccessManagerOptions["transport"], string>;

/** The netreply transports under test, one manager each. */
export const NETREPLY_TRANSPORTS: readonly BenchTransport[] = [
  "fetch",
  "socket",
];

/**
 * The table name of the netreply client on `transport`.
 *
 * @param transport The transport.
 * @returns "netreply" for fetch, else e.g. "netreply (socket)".
 */
export function netreplyName(transport: BenchTransport): string {
  return transport === "fetch" ? "netreply" : `netreply (${transport})`;
}

/** How the socket transport differs from the fetch-based clients, for the tables' notes. */
const SOCKET_NOTE =
  'netreply (socket): `new NetworkAccessManager({ transport: "socket" })`, netreply\'s own ' +
  "HTTP/1.1 engine over `Deno.connect`, with its own connection pool of at most 6 connections per host " +
  "(Qt's limit), where fetch opens one per request in flight (up to 64 in the 64-in-flight scenario)";

function checkReply(reply: NetworkReply): void {
  if (reply.error() !== NetworkError.NoError) {
    throw new Error(`netreply ${reply.url().href}: ${reply.errorString()}`);
  }
}

/** Reads a reply on `readyRead` until `finished`, with a `downloadProgress` listener attached. */
async function readOnReadyRead(reply: NetworkReply, progress: ProgressSink): Promise<number> {
  let total = 0;
  reply.addEventListener("downloadProgress", (event) => progress(event.bytesReceived));
  reply.addEventListener("readyRead", () => {
    total += reply.read().byteLength;
  });
  await reply.done;
  checkReply(reply);
  return total;
}

/**
 * Creates the netreply client for a manager.
 *
 * @param nam The manager (made with `proxy: null` and `transport`); the caller closes it.
 * @param transport The manager's transport, for the client's name.
 * @returns The client.
 */
export function netreplyClient(nam: NetworkAccessManager, transport: BenchTransport): BenchClient {
  const download = (url: string, progress: ProgressSink) => readOnReadyRead(nam.get(url), progress);
  return {
    name: netreplyName(transport),
    note: transport === "socket" ? SOCKET_NOTE : undefined,
    reportsProgress: { download: true, upload: true },
    async smallGet(url) {
      return (await nam.get(url).bytes()).byteLength;
    },
    download,
    decodedDownload: download,
    async upload(url, body, progress) {
      const reply = nam.post(url, body);
      reply.addEventListener("uploadProgress", (event) => progress(event.bytesSent));
      return Number(await reply.text());
    },
  };
}
