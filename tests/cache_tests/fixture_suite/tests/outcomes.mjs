export default {
  name: "Fixture outcomes",
  id: "fixture-outcomes",
  tests: [
    {
      name: "Fails on purpose: a fresh response is expected to come from the origin",
      id: "fixture-wrong-expectation",
      requests: [
        { response_headers: [["Cache-Control", "max-age=3600"]], setup: true },
        { expected_type: "not_cached" },
      ],
    },
    {
      name: "Depends on a failing test",
      id: "fixture-dependent",
      depends_on: ["fixture-wrong-expectation"],
      requests: [{ expected_type: "not_cached" }],
    },
    {
      name: "Fails in setup: the first status is not the one expected",
      id: "fixture-setup-failure",
      requests: [{ expected_status: 201, setup: true }],
    },
    {
      name: "A check that says no: a response without freshness is not reused",
      id: "fixture-check",
      kind: "check",
      requests: [{ setup: true }, { expected_type: "cached" }],
    },
    {
      name: "Skipped by browsers",
      id: "fixture-browser-skip",
      browser_skip: true,
      requests: [{ expected_status: 999 }],
    },
  ],
};
