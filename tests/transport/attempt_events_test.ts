import assert from "node:assert/strict";
import { AttemptEvents } from "../../src/transport/attempt_events.ts";
import type { ExchangeEvent } from "../../src/transport/transport.ts";

const connecting: ExchangeEvent = { type: "connecting" };
const encrypted: ExchangeEvent = { type: "encrypted", configuration: {} };
const sent: ExchangeEvent = { type: "requestSent" };
const progress = (bytesSent: number): ExchangeEvent => ({
  type: "uploadProgress",
  bytesSent,
  bytesTotal: 10,
});

Deno.test("AttemptEvents: a first attempt passes through; a re-send repeats nothing already seen", () => {
  const rows: { name: string; first: ExchangeEvent[]; again: ExchangeEvent[]; admitted: string[] }[] = [
    {
      name: "after requestSent nothing of the re-send's pre-response events",
      first: [connecting, encrypted, progress(0), progress(10), sent],
      again: [connecting, encrypted, progress(0), progress(10), sent],
      admitted: [],
    },
    {
      name: "mid-upload: only progress beyond what was reported, then requestSent",
      first: [connecting, progress(0), progress(4)],
      again: [connecting, progress(0), progress(4), progress(8), progress(10), sent],
      admitted: ["uploadProgress(8)", "uploadProgress(10)", "requestSent"],
    },
    {
      name: "before any upload the new connection is shown",
      first: [connecting],
      again: [connecting, encrypted, sent],
      admitted: ["connecting", "encrypted", "requestSent"],
    },
  ];
  for (const { name, first, again, admitted } of rows) {
    const events = new AttemptEvents();
    assert.ok(first.every((event) => events.admit(event)), name);
    const passed = again.filter((event) => events.admit(event)).map((event) =>
      event.type === "uploadProgress" ? `uploadProgress(${event.bytesSent})` : event.type
    );
    assert.deepEqual(passed, admitted, name);
  }
});

Deno.test("AttemptEvents: TLS questions only before encrypted and requestSent", () => {
  const events = new AttemptEvents();
  assert.equal(events.mayAskSslErrors, true);
  events.admit(encrypted);
  assert.equal(events.mayAskSslErrors, false);
  const plain = new AttemptEvents();
  plain.admit(sent);
  assert.equal(plain.mayAskSslErrors, false);
});

Deno.test("AttemptEvents: a stream body's last report, the same count with its total, passes", () => {
  const events = new AttemptEvents();
  const stream = (bytesSent: number, bytesTotal: number): ExchangeEvent => ({
    type: "uploadProgress",
    bytesSent,
    bytesTotal,
  });
  const admitted = [stream(0, -1), stream(4, -1), stream(4, 4), stream(4, 4), sent].map((event) =>
    events.admit(event)
  );
  assert.deepEqual(admitted, [true, true, true, false, true]);
});
