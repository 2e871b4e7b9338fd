// Task 3 with ky: follow same-origin redirects only, printing each hop.
// Run: deno run --allow-net=127.0.0.1,localhost <file> <server URL>
import ky from "ky";

for (const path of ["/r/3", "/away"]) {
  let url = new URL(path, Deno.args[0]);
  for (;;) {
    const response = await ky(url, { redirect: "manual", throwHttpErrors: false });
    const location = response.headers.get("location");
    if (location === null) {
      console.log(await response.text());
      break;
    }
    const next = new URL(location, url);
    if (next.origin !== url.origin) {
      console.log(`refused ${next.href}`);
      break;
    }
    console.log(`-> ${next.pathname}`);
    url = next;
  }
}
