/**
 * The baseline: the runtime's own `fetch`, with no progress listener (fetch
 * has none). Every ratio in the results is a client's figure divided by this
 * one's, measured in the same round.
 *
 * @module
 */

import { type BenchClient, checkOk, drain } from "./client.ts";

/** The baseline's row name in the results. */
export const RAW_FETCH = "raw fetch";

/**
 * Creates the raw-fetch client.
 *
 * @returns The baseline client.
 */
export function rawFetchClient(): BenchClient {
  const download = async (url: string): Promise<number> => {
    const response = await fetch(url);
    checkOk(response, url);
    return await drain(response.body);
  };
  return {
    name: RAW_FETCH,
    reportsProgress: { download: false, upload: false },
    async smallGet(url) {
      const response = await fetch(url);
      checkOk(response, url);
      return (await response.bytes()).byteLength;
    },
    download,
    decodedDownload: download,
    async upload(url, body) {
      const response = await fetch(url, { method: "POST", body });
      checkOk(response, url);
      return Number(await response.text());
    },
  };
}
