"""kerasx.optimizers.Lamb against keras.optimizers.Lamb: the same
variables and gradients give the same variables and slots after every step
(float32 and float64, every backend), the same compiled `fit` and the same
state through a `.keras` file."""
import pytest

from tests.optimizers import optimizer_parity as parity

CASES = {'default': {}, 'weight_decay': {'learning_rate': 0.01, 'weight_decay': 0.05, 'beta_1': 0.8}}


def make(case):
    return lambda module: module.Lamb(**CASES[case])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_apply_matches_keras(backend, case, dtype):
    worst = parity.compare(parity.keras_run(make(case), dtype),
                           parity.kerasx_run(make(case), dtype), dtype)
    print(f"{backend} {case} {dtype}: largest relative deviation {worst:.3g}")


def test_fit_and_saved_state_match_keras(backend, tmp_path):
    parity.fit_and_save(make(sorted(CASES)[-1]), tmp_path)


@pytest.mark.parametrize("case", sorted(CASES))
def test_config_round_trip(case):
    parity.config_round_trip(make(case))


def test_defaults_match_keras():
    parity.defaults_match("Lamb")
