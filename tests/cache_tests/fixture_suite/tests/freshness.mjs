export default {
  name: "Fixture freshness",
  id: "fixture-freshness",
  tests: [
    {
      name: "A response with max-age is reused",
      id: "fixture-max-age",
      kind: "optimal",
      requests: [
        { response_headers: [["Cache-Control", "max-age=3600"], ["Date", 0]], setup: true },
        { expected_type: "cached", expected_response_headers: [["Date", 0], "Server-Now"] },
      ],
    },
    {
      name: "A response with no-store is not reused",
      id: "fixture-no-store",
      requests: [
        { response_headers: [["Cache-Control", "no-store"]], setup: true },
        { expected_type: "not_cached" },
      ],
    },
    {
      name: "A stale response is revalidated with its ETag",
      id: "fixture-etag",
      depends_on: ["fixture-max-age"],
      requests: [
        {
          response_headers: [["Cache-Control", "max-age=1"], ["ETag", '"v1"']],
          setup: true,
          pause_after: true,
        },
        { expected_type: "etag_validated", expected_request_headers: [["If-None-Match", '"v1"']] },
      ],
    },
    {
      name: "A magic Expires is written from the server's clock",
      id: "fixture-magic-expires",
      kind: "optimal",
      requests: [
        { response_headers: [["Expires", 3600], ["Date", 0]], setup: true },
        { expected_type: "cached", expected_response_headers: [["Expires", 3600]] },
      ],
    },
  ],
};
