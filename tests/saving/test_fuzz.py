"""Fuzzing load_model with mutated .keras files (CI size; the benchmark run
is `python -m tests.benchmarks.fuzz_saving --cases 3000`): every load either
gives a Model or raises LoadingError, quickly."""
import os

from tests.benchmarks.fuzz_saving import run

CASES = int(os.environ.get("KERASX_FUZZ_CASES", "120"))  # per backend


def test_fuzzed_files_load_or_raise_loading_error(backend, tmp_path):
    outcomes, violations, slowest = run(CASES, seed=hash(backend) % 1000,
                                        directory=str(tmp_path))
    assert violations == [], violations[:5]
    assert sum(outcomes.values()) == CASES
    assert sum(v for k, v in outcomes.items() if k.endswith("LoadingError")) > CASES // 2
    assert slowest < 10
