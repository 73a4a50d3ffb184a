# The README's two commands. Each creates the environment from nothing (a
# virtualenv with the versions pinned in constraints.txt), then runs its job.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: conformance op-conformance corpus test install clean

# Main job: the training conformance report (same CNNs, same seed, every
# backend, float32 and float64, against each other and Keras 3), on digits.
conformance: $(STAMP)
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

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -c constraints.txt -e '.[all,test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info
