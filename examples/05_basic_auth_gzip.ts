// Task 5: a Basic-protected resource that answers gzip-compressed JSON.
// Run: deno run --allow-net=127.0.0.1 <file> <server URL>
import { defaultManager } from "@netreply/netreply";

// netreply answers the 401 challenge with the URL's user info (fetch refuses URLs that carry credentials).
const url = Object.assign(new URL("/secure", Deno.args[0]), { username: "user", password: "pass" });
const data = await defaultManager.get(url).json<{ user: string; items: number[] }>();
console.log(`${data.user} has ${data.items.length} items`);
