# The README's two commands. Each creates the environment from nothing (a
# virtualenv with the versions pinned in constraints.txt), then runs its job.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: conformance conformance-full op-conformance corpus test test-full docs wheel-check install clean

# Main job: the quick training conformance check (one CNN, same seed, every
# backend, float32 and float64, against each other and Keras 3, on digits;
# a minute or two): the verdict first, then the table.
conformance: $(STAMP)
	$(PY) -m conformance.run_training --quick

# The full training conformance report: every reference model, every
# execution mode (eager, graph, jit), three epochs.
conformance-full: $(STAMP)
	$(PY) -m conformance.run_training

# The op-level conformance report (every contract op against NumPy float64).
op-conformance: $(STAMP)
	$(PY) -m conformance.run_ops

# The compatibility corpus: every program on kerasx (each backend it is
# written for) and on Keras 3, as a program x backend table.
corpus: $(STAMP)
	$(PY) -m conformance.corpus

# The test suite (what .ci/run calls).
test: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider

# The test suite with the long checks marked `slow` (the deepest application
# variants...), which `make test` leaves out.
test-full: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider -m 'slow or not slow'

# The documentation site (mkdocs.yml, docs/): strict, so that a warning or a
# broken link fails the build. Writes site/.
docs: $(STAMP)
	$(VENV)/bin/mkdocs build --strict

# The wheel as users install it, in a fresh virtualenv outside the checkout
# (what .ci/run calls before the tests).
wheel-check: $(STAMP)
	.ci/wheel_check

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -c constraints.txt -e '.[all,test,docs]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build dist site *.egg-info
