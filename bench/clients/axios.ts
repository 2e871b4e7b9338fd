/**
 * axios with its fetch adapter (`adapter: "fetch"`), through its documented
 * API: `responseType: "arraybuffer"` for small GETs, `responseType: "stream"`
 * with `onDownloadProgress` for downloads, `onUploadProgress` for uploads
 * (which the fetch adapter ignores on Deno, see the note).
 *
 * @module
 */

import axios from "axios";
import { type BenchClient, drain } from "./client.ts";

/**
 * Creates the axios client (one instance with the fetch adapter).
 *
 * @returns The client.
 */
export function axiosClient(): BenchClient {
  const http = axios.create({ adapter: "fetch" });
  const download = async (url: string, progress: (bytes: number) => void): Promise<number> => {
    const response = await http.get<ReadableStream<Uint8Array>>(url, {
      responseType: "stream",
      onDownloadProgress: (event) => progress(event.loaded),
    });
    return await drain(response.data);
  };
  return {
    name: "axios",
    note: "axios: `onUploadProgress` is never called on Deno 2.9.6 — the fetch adapter streams the body " +
      "only where `new Request()` reads the `duplex` option, which Deno's does not — so its upload runs " +
      "without progress",
    reportsProgress: { download: true, upload: false },
    async smallGet(url) {
      return (await http.get<ArrayBuffer>(url, { responseType: "arraybuffer" })).data.byteLength;
    },
    download,
    decodedDownload: download,
    async upload(url, body, progress) {
      const response = await http.post<string>(url, body, {
        responseType: "text",
        onUploadProgress: (event) => progress(event.loaded),
      });
      return Number(response.data);
    },
  };
}
