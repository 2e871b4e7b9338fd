// Task 2: POST JSON and read JSON. Run: deno run --allow-net=127.0.0.1 <file> <server URL>
import { defaultManager } from "@netreply/netreply";

const reply = defaultManager.post(new URL("/users", Deno.args[0]), { json: { name: "Grace" } });
const user = await reply.json<{ id: number; name: string }>();
console.log(reply.status, user.id, user.name);
