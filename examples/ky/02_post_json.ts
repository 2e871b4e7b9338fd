// Task 2 with ky: POST JSON and read JSON. Run: deno run --allow-net=127.0.0.1 <file> <server URL>
import ky from "ky";

const response = await ky.post(new URL("/users", Deno.args[0]), { json: { name: "Grace" } });
const user = await response.json<{ id: number; name: string }>();
console.log(response.status, user.id, user.name);
