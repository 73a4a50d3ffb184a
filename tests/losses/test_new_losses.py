"""The focal cross-entropies, Dice, Tversky, Circle and the generalized
cross-entropy against Keras 3 (TensorFlow backend) on every kerasx backend:
class and function forms, reductions, sample weights, gradients, configs and
a compiled training step."""
import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

import kerasx  # noqa: E402
from kerasx import losses  # noqa: E402
from kerasx.backend import get_ops  # noqa: E402
from kerasx.variables import Variable  # noqa: E402

N, C = 6, 4
RNG = np.random.default_rng(21)
LOGITS = RNG.normal(size=(N, C)).astype("float32")
PROBS = (np.exp(LOGITS) / np.exp(LOGITS).sum(-1, keepdims=True)).astype("float32")
LABELS = RNG.integers(0, C, N)
ONEHOT = np.eye(C, dtype="float32")[LABELS]
BINARY = RNG.integers(0, 2, (N, C)).astype("float32")
UNIT = RNG.uniform(0.05, 0.95, (N, C)).astype("float32")
EMBED = RNG.normal(size=(N, 5)).astype("float32")
EMBED /= np.linalg.norm(EMBED, axis=-1, keepdims=True)
GROUPS = np.array([0, 1, 0, 2, 1, 0], "float32")
DATA = {"binary": (BINARY, UNIT), "binary_logits": (BINARY, LOGITS),
        "onehot": (ONEHOT, PROBS), "onehot_logits": (ONEHOT, LOGITS),
        "sparse": (LABELS.astype("float32"), PROBS), "embeddings": (GROUPS, EMBED)}
REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "none", None,
              "mean_with_sample_weight"]
SAMPLE_WEIGHT = np.linspace(0.0, 2.0, N).astype("float32")

# (class name, constructor kwargs, data, function name, function kwargs)
CASES = [
    ("BinaryFocalCrossentropy", {}, "binary", "binary_focal_crossentropy", {}),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.5,
                                 "label_smoothing": 0.1},
     "binary", "binary_focal_crossentropy",
     {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.5, "label_smoothing": 0.1}),
    ("BinaryFocalCrossentropy", {"from_logits": True}, "binary_logits",
     "binary_focal_crossentropy", {"from_logits": True}),
    ("CategoricalFocalCrossentropy", {}, "onehot", "categorical_focal_crossentropy", {}),
    ("CategoricalFocalCrossentropy", {"from_logits": True, "label_smoothing": 0.2,
                                      "gamma": 3.0, "alpha": 0.5},
     "onehot_logits", "categorical_focal_crossentropy",
     {"from_logits": True, "label_smoothing": 0.2, "gamma": 3.0, "alpha": 0.5}),
    ("Dice", {}, "binary", "dice", {}),
    ("Dice", {"axis": -1}, "binary", "dice", {"axis": -1}),
    ("Tversky", {}, "binary", "tversky", {}),
    ("Tversky", {"alpha": 0.3, "beta": 0.7, "axis": -1}, "binary", "tversky",
     {"alpha": 0.3, "beta": 0.7, "axis": -1}),
    ("Circle", {}, "embeddings", "circle", {}),
    ("Circle", {"gamma": 10.0, "margin": 0.25, "remove_diagonal": False}, "embeddings",
     "circle", {"gamma": 10.0, "margin": 0.25, "remove_diagonal": False}),
    ("CategoricalGeneralizedCrossEntropy", {}, "sparse",
     "categorical_generalized_cross_entropy", {"q": 0.5}),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.2}, "sparse",
     "categorical_generalized_cross_entropy", {"q": 0.2}),
]
IDS = [f"{c[0]}-{'-'.join(f'{k}={v}' for k, v in c[1].items())}".rstrip("-") for c in CASES]


def _np(x):
    return np.asarray(get_ops().to_numpy(x))


def _close(actual, expected, what, rtol=1e-5, atol=1e-6):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, (what, actual.shape, expected.shape)
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, err_msg=what)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_loss_class_matches_keras(backend, case):
    name, kwargs, kind, _, _ = case
    y_true, y_pred = DATA[kind]
    for reduction in REDUCTIONS:
        mine = getattr(losses, name)(reduction=reduction, **kwargs)
        ref = getattr(keras.losses, name)(reduction=reduction, **kwargs)
        assert mine.name == ref.name
        for sw in (None, SAMPLE_WEIGHT):
            if kwargs.get("axis", 0) is None or (name in ("Dice", "Tversky")
                                                 and "axis" not in kwargs):
                sw = None  # one value for the whole batch: no per-sample weight
            _close(_np(mine(y_true, y_pred, sample_weight=sw)),
                   ref(y_true, y_pred, sample_weight=sw).numpy(),
                   f"{name} reduction={reduction} sample_weight={sw is not None}")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_loss_function_matches_keras(backend, case):
    _, _, kind, fn_name, fn_kwargs = case
    y_true, y_pred = DATA[kind]
    ref = getattr(keras.losses, fn_name)(tf.constant(y_true), tf.constant(y_pred),
                                         **fn_kwargs)
    _close(_np(getattr(losses, fn_name)(y_true, y_pred, **fn_kwargs)), ref.numpy(),
           fn_name)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_loss_gradient_matches_keras(backend, case):
    name, kwargs, kind, _, _ = case
    y_true, y_pred = DATA[kind]
    ops = get_ops()
    mine = getattr(losses, name)(**kwargs)
    ref = getattr(keras.losses, name)(**kwargs)
    variable = Variable(y_pred)
    value, (grad,) = ops.value_and_grad(
        lambda: mine(y_true, ops.variable_value(variable.native)), [variable.native])
    tf_pred = tf.Variable(y_pred)
    with tf.GradientTape() as tape:
        ref_value = ref(y_true, tf_pred)
    _close(_np(value), ref_value.numpy(), f"{name} value")
    _close(_np(grad), tape.gradient(ref_value, tf_pred).numpy(), f"{name} gradient",
           rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_config_round_trip_matches_keras(case):
    name, kwargs, _, fn_name, _ = case
    mine = getattr(losses, name)(**kwargs)
    config = mine.get_config()
    assert config == getattr(keras.losses, name)(**kwargs).get_config()
    again = getattr(losses, name).from_config(config)
    assert again.get_config() == config
    assert type(losses.deserialize(losses.serialize(mine))) is type(mine)
    assert losses.get(fn_name) is getattr(losses, fn_name)
    assert losses.get(name).get_config() == getattr(losses, name)().get_config()


def test_generalized_cross_entropy_checks_q():
    with pytest.raises(ValueError, match="q must be in"):
        losses.CategoricalGeneralizedCrossEntropy(q=1.5)


def _model(lib, loss, activation):
    if hasattr(lib.utils, "set_random_seed"):
        lib.utils.set_random_seed(0)
    model = lib.Sequential([lib.Input((5,)), lib.layers.Dense(C, activation=activation)])
    model.compile(lib.optimizers.SGD(0.5), loss)
    return model


@pytest.mark.parametrize("name,kwargs", [("CategoricalFocalCrossentropy", {}),
                                         ("BinaryFocalCrossentropy", {"gamma": 1.0}),
                                         ("Dice", {"axis": -1}),
                                         ("Tversky", {"alpha": 0.7, "beta": 0.3,
                                                      "axis": -1})])
def test_compiled_training_step_matches_keras(backend, name, kwargs):
    x = RNG.normal(size=(N, 5)).astype("float32")
    # Binary losses on sigmoid outputs: Keras's TensorFlow backend would read
    # a softmax output's logits as sigmoid logits.
    activation = "softmax" if name.startswith("Categorical") else "sigmoid"
    mine = _model(kerasx, getattr(losses, name)(**kwargs), activation)
    ref = _model(keras, getattr(keras.losses, name)(**kwargs), activation)
    ref.set_weights(mine.get_weights())
    for _ in range(2):
        got = mine.train_on_batch(x, ONEHOT)
        want = ref.train_on_batch(x, ONEHOT)
        _close(got, want, f"{name} loss", rtol=1e-5, atol=1e-6)
    for a, b in zip(mine.get_weights(), ref.get_weights()):
        _close(a, b, f"{name} weights", rtol=1e-5, atol=1e-6)


def test_compiled_training_step_with_generalized_cross_entropy_matches_keras(backend):
    x = RNG.normal(size=(N, 5)).astype("float32")
    mine = _model(kerasx, losses.CategoricalGeneralizedCrossEntropy(q=0.7), "softmax")
    ref = _model(keras, keras.losses.CategoricalGeneralizedCrossEntropy(q=0.7), "softmax")
    ref.set_weights(mine.get_weights())
    for _ in range(2):
        _close(mine.train_on_batch(x, LABELS), ref.train_on_batch(x, LABELS), "loss")
    for a, b in zip(mine.get_weights(), ref.get_weights()):
        _close(a, b, "weights")
