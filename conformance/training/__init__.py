"""Training conformance: the same models, from the same seed, train to the
same numbers on every backend and agree with Keras 3 itself.

    python -m conformance.run_training          # the report (table, JSON, PNG)

Modules: `models` (the reference models, defined once for kerasx and keras),
`data` (digits by default, MNIST when available), `worker` (one backend and
dtype per process), `verdict` (the bars, the comparisons, localisation),
`report` (table, JSON, figure), `suite` (orchestration).
"""
