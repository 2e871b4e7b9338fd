/**
 * wretch, through its documented API: `.get().arrayBuffer()` for small GETs,
 * the progress addon's `onDownload` with `.res()` for downloads, and
 * `onUpload` with `.body()` for uploads (a typed array passed to `.post()`
 * would be sent as JSON; the addon's `getUploadTotal` option gives it the
 * size, which it would otherwise find by copying the body into a Blob).
 *
 * @module
 */

import wretch from "wretch";
import ProgressAddon from "wretch/addons/progress";
import { type BenchClient, drain } from "./client.ts";

/**
 * Creates the wretch client.
 *
 * @returns The client.
 */
export function wretchClient(): BenchClient {
  const download = async (url: string, progress: (bytes: number) => void): Promise<number> => {
    const response = await wretch(url).addon(ProgressAddon()).onDownload((loaded) => progress(loaded)).get()
      .res();
    return await drain(response.body);
  };
  return {
    name: "wretch",
    reportsProgress: { download: true, upload: true },
    async smallGet(url) {
      return (await wretch(url).get().arrayBuffer()).byteLength;
    },
    download,
    decodedDownload: download,
    async upload(url, body, progress) {
      const text = await wretch(url)
        .addon(ProgressAddon({ getUploadTotal: () => body.byteLength }))
        .onUpload((loaded) => progress(loaded))
        .body(body)
        .post()
        .text();
      return Number(text);
    },
  };
}
