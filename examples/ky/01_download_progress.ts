// Task 1 with ky: download a file with a progress bar. Run: deno run --allow-net=127.0.0.1 <file> <server URL>
import ky from "ky";

const data = await ky(new URL("/file", Deno.args[0]), {
  onDownloadProgress: ({ percent }) => {
    console.log(`[${"#".repeat(Math.round(20 * percent)).padEnd(20, "-")}] ${Math.round(100 * percent)}%`);
  },
}).bytes();
console.log(`${data.length} bytes`);
