/**
 * The smoke server as a process of its own, for runtimes that cannot listen
 * (workerd): run_smoke.sh transpiles it, runs it on Node and kills it when done.
 * It prints one JSON line,
 * `{"base":"http://…","httpsBase":"https://…","selfSignedBase":"https://…","closedPort":<port>}`
 * (all on 127.0.0.1),
 * then serves.
 *
 * @module
 */

import process from "node:process";
import { startSmokeServer } from "./smoke_server.ts";

// A smoke run takes seconds; should the script that started us die without
// killing us, do not outlive it by much.
const MAX_LIFETIME_MS = 120_000;

const server = await startSmokeServer();
const { base, httpsBase, selfSignedBase, closedPort } = server;
console.log(JSON.stringify({ base, httpsBase, selfSignedBase, closedPort }));
setTimeout(() => {
  void server.close();
  process.exit(0);
}, MAX_LIFETIME_MS).unref();
