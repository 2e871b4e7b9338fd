// A tiny suite in the format of github.com/http-tests/cache-tests, to test the runner without the suite.
import freshness from "./freshness.mjs";
import outcomes from "./outcomes.mjs";

export default [freshness, outcomes];
