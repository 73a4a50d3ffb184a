"""kerasx conformance suites: op-level (run_ops) cross-backend checks."""
