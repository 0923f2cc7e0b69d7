"""fastjsonschema's validator of each schema, generated ahead of time (`make golden` rewrites them;
a test fails while one is stale, and a stale one is never used)."""
