// Task 3: follow same-origin redirects only, printing each hop.
// Run: deno run --allow-net=127.0.0.1,localhost <file> <server URL>
import { defaultManager, RedirectPolicy } from "@netreply/netreply";

for (const path of ["/r/3", "/away"]) {
  const reply = defaultManager.get(new URL(path, Deno.args[0]), {
    redirectPolicy: RedirectPolicy.SameOriginRedirectPolicy,
  });
  reply.addEventListener("redirected", ({ url }) => console.log(`-> ${url.pathname}`));
  // A refused redirect fails the reply (InsecureRedirectError); url() is the target it refused, as in Qt.
  console.log(await reply.text().catch(() => `refused ${reply.url().href}`));
}
