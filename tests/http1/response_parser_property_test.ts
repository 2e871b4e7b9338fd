import fc from "fast-check";
import { cut } from "../reliability/_fuzz.ts";
import { assertReadBack, generatedResponse, serializeResponse } from "./_generated_response.ts";
import { parseChunks, wire } from "./_parse_outcome.ts";

// A fixed seed: a failure reproduces. Arbitrary and mutated bytes are fuzzed in
// tests/reliability/fuzz_response_parser_test.ts.
const SEED = 0x9112;

Deno.test("ResponseParser property: generated valid responses round-trip status, fields and body", () => {
  fc.assert(
    fc.property(
      generatedResponse,
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }),
      (response, fractions) => {
        const bytes = wire(serializeResponse(response));
        assertReadBack(
          response,
          parseChunks({ method: "GET" }, cut(bytes, fractions), response.framing === "close"),
        );
      },
    ),
    { seed: SEED, numRuns: 1500 },
  );
});
