"""kerasx.optimizers.Muon against keras.optimizers.Muon: the same
variables and gradients give the same variables and slots after every step
(float32, every backend), the same compiled `fit` and the same
state through a `.keras` file."""
import pytest

from tests.optimizers import optimizer_parity as parity

CASES = {'default': {}, 'plain_momentum': {'learning_rate': 0.01, 'nesterov': False, 'rms_rate': None, 'weight_decay': 0.01, 'adam_lr_ratio': 0.5}, 'exclude_kernel': {'exclude_layers': ['kernel'], 'learning_rate': 0.01}}


def make(case):
    return lambda module: module.Muon(**CASES[case])


# float32 only: Keras 3's Muon multiplies its float32 learning rate into a
# float64 update, which TensorFlow refuses.
@pytest.mark.parametrize("dtype", ["float32"])
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
    parity.defaults_match("Muon")
