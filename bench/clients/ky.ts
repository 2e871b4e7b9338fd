/**
 * ky, through its documented API: `ky.get(url).bytes()` for small GETs,
 * `onDownloadProgress` and the response body for downloads,
 * `onUploadProgress` for uploads (which ky ignores on Deno, see the note).
 * Defaults (timeout, retry) are left as ky ships them.
 *
 * @module
 */

import ky from "ky";
import { type BenchClient, drain } from "./client.ts";

/**
 * Creates the ky client.
 *
 * @returns The client.
 */
export function kyClient(): BenchClient {
  const download = async (url: string, progress: (bytes: number) => void): Promise<number> => {
    const response = await ky.get(url, {
      onDownloadProgress: (state) => progress(state.transferredBytes),
    });
    return await drain(response.body);
  };
  return {
    name: "ky",
    note: "ky: `onUploadProgress` is never called on Deno 2.9.6 — ky enables it only where `new Request()` " +
      "reads the `duplex` option, which Deno's does not — so its upload runs without progress",
    reportsProgress: { download: true, upload: false },
    async smallGet(url) {
      return (await ky.get(url).bytes()).byteLength;
    },
    download,
    decodedDownload: download,
    async upload(url, body, progress) {
      const text = await ky.post(url, {
        body,
        onUploadProgress: (state) => progress(state.transferredBytes),
      }).text();
      return Number(text);
    },
  };
}
