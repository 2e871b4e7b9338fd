// Task 1: download a file with a progress bar. Run: deno run --allow-net=127.0.0.1 <file> <server URL>
import { defaultManager } from "@netreply/netreply";

const reply = defaultManager.get(new URL("/file", Deno.args[0]));
reply.addEventListener("downloadProgress", ({ bytesReceived, bytesTotal }) => {
  const percent = bytesReceived / bytesTotal;
  console.log(`[${"#".repeat(Math.round(20 * percent)).padEnd(20, "-")}] ${Math.round(100 * percent)}%`);
});
console.log(`${(await reply.bytes()).length} bytes`);
