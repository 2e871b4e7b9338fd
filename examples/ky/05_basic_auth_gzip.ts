// Task 5 with ky: a Basic-protected resource that answers gzip-compressed JSON.
// Run: deno run --allow-net=127.0.0.1 <file> <server URL>
import ky from "ky";

const data = await ky(new URL("/secure", Deno.args[0]), {
  headers: { authorization: `Basic ${btoa("user:pass")}` },
}).json<{ user: string; items: number[] }>();
console.log(`${data.user} has ${data.items.length} items`);
