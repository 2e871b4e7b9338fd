/**
 * What every benchmarked HTTP client offers: one function per scenario it
 * supports, each driven through that client's own documented API.
 *
 * @module
 */

/** Called by a download or upload with the running byte count. */
export type ProgressSink = (bytes: number) => void;

/** One HTTP client under test. Scenarios a client cannot run are left out ("—" in the results). */
export interface BenchClient {
  /** The name shown in the tables. */
  readonly name: string;
  /** What the tables footnote about how this client is driven, if anything. */
  readonly note?: string;
  /** Whether the client's progress listener reports downloads and uploads (checked after each transfer). */
  readonly reportsProgress: { readonly download: boolean; readonly upload: boolean };
  /** Whether a download's byte count includes the response head (a client that parses nothing). */
  readonly countsHead?: boolean;
  /** One GET of a small body, read whole; resolves to the body length. */
  smallGet?(url: string): Promise<number>;
  /**
   * Downloads `url` to the end, discarding the bytes as they arrive, with the
   * client's download-progress listener attached (reported to `progress`);
   * resolves to the number of body bytes read (decoded bytes for a
   * compressed body).
   */
  download?(url: string, progress: ProgressSink): Promise<number>;
  /** Like {@linkcode BenchClient.download}, for a gzip-encoded body that the client must decode. */
  decodedDownload?(url: string, progress: ProgressSink): Promise<number>;
  /**
   * POSTs `body` with the client's upload-progress listener attached;
   * resolves to the byte count the server reports having read.
   */
  upload?(url: string, body: Uint8Array<ArrayBuffer>, progress: ProgressSink): Promise<number>;
}

/**
 * Reads a stream to its end, discarding the chunks.
 *
 * @param stream The stream to drain.
 * @returns The number of bytes read.
 */
export async function drain(stream: ReadableStream<Uint8Array> | null): Promise<number> {
  if (stream === null) return 0;
  const reader = stream.getReader();
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return total;
    total += value.byteLength;
  }
}

/**
 * Throws unless `response` has a 2xx status.
 *
 * @param response The response to check.
 * @param url The URL, for the message.
 */
export function checkOk(response: Response, url: string): void {
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
}
