/**
 * The ways a netreply reply can be read (docs/reading.md), each as a
 * function that GETs a URL and reads the whole body: `bytes()`, `text()`,
 * `json()`, `readAll()` after `await reply.done`, `read()` on `readyRead`,
 * a `reply.body` reader, and `for await`; and `bytes()` once more under its
 * own name, as a control.
 *
 * @module
 */

import { type NetworkAccessManager, NetworkError, type NetworkReply } from "../mod.ts";

/** One read style: GETs `url` with `nam` and reads the body whole; resolves to a size (bytes or chars). */
export interface ReadStyle {
  /** The name shown in the tables. */
  readonly name: string;
  /** Whether it does work beyond reading (decoding UTF-8, parsing JSON). */
  readonly decodes: boolean;
  /** Runs one request. */
  readonly run: (nam: NetworkAccessManager, url: string) => Promise<number>;
  /**
   * The style this row repeats under its own name, for a control: not a way
   * to read, but the difference between two identical rows, which is the
   * noise of the comparison on this machine. The targets leave it out.
   */
  readonly repeats?: string;
}

const readBytes = async (nam: NetworkAccessManager, url: string): Promise<number> =>
  (await nam.get(url).bytes()).byteLength;

function checkReply(reply: NetworkReply): void {
  if (reply.error() !== NetworkError.NoError) {
    throw new Error(`netreply ${reply.url().href}: ${reply.errorString()}`);
  }
}

/** Every read style, in table order. */
export const READ_STYLES: readonly ReadStyle[] = [
  { name: "bytes()", decodes: false, run: readBytes },
  { name: "text()", decodes: true, run: async (nam, url) => (await nam.get(url).text()).length },
  {
    name: "json()",
    decodes: true,
    run: async (nam, url) => {
      const value = await nam.get(url).json();
      return typeof value === "string" ? value.length + 2 : JSON.stringify(value).length;
    },
  },
  {
    name: "readAll() after done",
    decodes: false,
    run: async (nam, url) => {
      const reply = nam.get(url);
      await reply.done;
      checkReply(reply);
      return reply.readAll().byteLength;
    },
  },
  {
    name: "read() on readyRead",
    decodes: false,
    run: async (nam, url) => {
      const reply = nam.get(url);
      let total = 0;
      reply.addEventListener("readyRead", () => {
        total += reply.read().byteLength;
      });
      await reply.done;
      checkReply(reply);
      return total;
    },
  },
  {
    name: "body reader",
    decodes: false,
    run: async (nam, url) => {
      const reader = nam.get(url).body.getReader();
      let total = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return total;
        total += value.byteLength;
      }
    },
  },
  {
    name: "for await",
    decodes: false,
    run: async (nam, url) => {
      let total = 0;
      for await (const chunk of nam.get(url)) total += chunk.byteLength;
      return total;
    },
  },
  { name: "bytes() again (control)", decodes: false, run: readBytes, repeats: "bytes()" },
];
