// Task 4 with ky: tell a 404 (with its body), a timeout and a refused connection apart.
// Run: deno run --allow-net=127.0.0.1 <file> <server URL> <URL of a closed port>
import ky, { HTTPError, NetworkError, TimeoutError } from "ky";

for (const url of [new URL("/missing", Deno.args[0]), new URL("/stall", Deno.args[0]), Deno.args[1]]) {
  try {
    console.log(await ky(url, { timeout: 500, retry: 0 }).text());
  } catch (error) {
    if (error instanceof TimeoutError) console.log("timeout");
    else if (error instanceof NetworkError) console.log("refused");
    else if (error instanceof HTTPError) console.log(error.response.status, error.data);
    else throw error;
  }
}
