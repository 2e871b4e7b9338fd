/**
 * ofetch, through its documented API: `responseType: "arrayBuffer"` for
 * small GETs, `responseType: "stream"` for downloads, a plain body for
 * uploads. ofetch has no progress API, so its downloads and uploads run
 * without a listener.
 *
 * @module
 */

import { ofetch } from "ofetch";
import { type BenchClient, drain } from "./client.ts";

/**
 * Creates the ofetch client.
 *
 * @returns The client.
 */
export function ofetchClient(): BenchClient {
  const download = async (url: string): Promise<number> => {
    return await drain(await ofetch(url, { responseType: "stream" }));
  };
  return {
    name: "ofetch",
    reportsProgress: { download: false, upload: false },
    note: "ofetch has no progress API: downloads and uploads run without a listener",
    async smallGet(url) {
      return (await ofetch(url, { responseType: "arrayBuffer" })).byteLength;
    },
    download,
    decodedDownload: download,
    async upload(url, body) {
      return Number(await ofetch(url, { method: "POST", body, responseType: "text" }));
    },
  };
}
