"""The optimizers added for issue 14 (Adafactor, Ftrl, Lamb, Lion, Muon)
against Keras 3's: the same variables and gradients give the same variables
and slots after every step (every backend), the same compiled `fit` and the
same state through a `.keras` file, the same configs and defaults."""
import pytest

from tests.optimizers import optimizer_parity as parity

#: optimizer -> {case: constructor arguments}.
CASES = {
    "Adafactor": {
        'default': {},
        'absolute_step': {'learning_rate': 0.05, 'relative_step': False, 'clip_threshold': 0.5},
        'relative_step_large_lr': {'learning_rate': 0.9},
    },
    "Ftrl": {
        'default': {'learning_rate': 0.1},
        'regularized': {'learning_rate': 0.05, 'l1_regularization_strength': 0.01, 'l2_regularization_strength': 0.02, 'l2_shrinkage_regularization_strength': 0.03, 'beta': 0.1, 'learning_rate_power': -0.7, 'initial_accumulator_value': 0.3},
    },
    "Lamb": {
        'default': {},
        'weight_decay': {'learning_rate': 0.01, 'weight_decay': 0.05, 'beta_1': 0.8},
    },
    "Lion": {
        'default': {},
        'betas_weight_decay': {'beta_1': 0.5, 'beta_2': 0.9, 'weight_decay': 0.1, 'learning_rate': 0.01},
        'clipnorm': {'clipnorm': 0.5, 'learning_rate': 0.05},
    },
    "Muon": {
        'default': {},
        'plain_momentum': {'learning_rate': 0.01, 'nesterov': False, 'rms_rate': None, 'weight_decay': 0.01, 'adam_lr_ratio': 0.5},
        'exclude_kernel': {'exclude_layers': ['kernel'], 'learning_rate': 0.01},
    },
}

# float32 only for Muon: Keras 3's Muon multiplies its float32 learning rate
# into a float64 update, which TensorFlow refuses.
DTYPES = {name: ("float32",) if name == "Muon" else ("float32", "float64") for name in CASES}


def make(name, case):
    return lambda module: getattr(module, name)(**CASES[name][case])


@pytest.mark.parametrize("name, case, dtype", [
    (name, case, dtype) for name in CASES for case in sorted(CASES[name])
    for dtype in DTYPES[name]])
def test_apply_matches_keras(backend, name, case, dtype):
    worst = parity.compare(parity.keras_run(make(name, case), dtype),
                           parity.kerasx_run(make(name, case), dtype), dtype)
    print(f"{backend} {name} {case} {dtype}: largest relative deviation {worst:.3g}")


@pytest.mark.parametrize("name", sorted(CASES))
def test_fit_and_saved_state_match_keras(backend, name, tmp_path):
    parity.fit_and_save(make(name, sorted(CASES[name])[-1]), tmp_path)


@pytest.mark.parametrize("name, case", [(name, case) for name in CASES
                                        for case in sorted(CASES[name])])
def test_config_round_trip(name, case):
    parity.config_round_trip(make(name, case))


@pytest.mark.parametrize("name", sorted(CASES))
def test_defaults_match_keras(name):
    parity.defaults_match(name)
