// Task 4: tell a 404 (with its body), a timeout and a refused connection apart.
// Run: deno run --allow-net=127.0.0.1 <file> <server URL> <URL of a closed port>
import { defaultManager, NetworkError, NetworkReplyError } from "@netreply/netreply";

for (const url of [new URL("/missing", Deno.args[0]), new URL("/stall", Deno.args[0]), Deno.args[1]]) {
  try {
    console.log(await defaultManager.get(url, { transferTimeout: 500 }).text());
  } catch (error) {
    if (!(error instanceof NetworkReplyError)) throw error;
    if (error.code === NetworkError.TimeoutError) console.log("timeout");
    else if (error.code === NetworkError.ConnectionRefusedError) console.log("refused");
    else console.log(error.reply.status, new TextDecoder().decode(error.body));
  }
}
