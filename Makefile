# The README's two commands. Each creates the environment from nothing (a
# virtualenv with the versions pinned in constraints.txt), then runs its job.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: conformance test install clean

# Main job: the op conformance report on every backend.
conformance: $(STAMP)
	$(PY) -m conformance.run_ops

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
