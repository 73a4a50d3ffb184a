"""kerasx.losses against Keras 3 (TensorFlow backend) on every kerasx backend:
class and function forms, every reduction, sample weights, from_logits,
label smoothing, and the gradient w.r.t. y_pred."""
import functools

import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

from kerasx import losses  # noqa: E402
from kerasx.backend import get_ops  # noqa: E402
from kerasx.variables import Variable  # noqa: E402

RTOL = 1e-5
ATOL = 1e-6
N, C = 6, 4
REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "none", None,
              "mean_with_sample_weight"]


@functools.lru_cache(maxsize=None)
def data(kind):
    """(y_true, y_pred) NumPy float32 (int labels for "sparse") of one kind."""
    if kind.endswith("_square"):  # (N, N): per-sample values along axis 0 too
        base = data(kind[:-len("_square")])
        more = data(kind[:-len("_square")] + "_extra")
        return tuple(np.concatenate([a, b], axis=1)[:, :N] for a, b in zip(base, more))
    rng = np.random.default_rng(sum(map(ord, kind)))
    kind = kind.replace("_extra", "")
    logits = rng.normal(size=(N, C)).astype("float32")
    probs = (np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)).astype("float32")
    labels = rng.integers(0, C, N)
    onehot = np.eye(C, dtype="float32")[labels]
    if kind == "regression":
        return rng.normal(size=(N, C)).astype("float32"), \
            rng.normal(size=(N, C)).astype("float32")
    if kind == "positive":
        return rng.uniform(0.1, 3, (N, C)).astype("float32"), \
            rng.uniform(0.1, 3, (N, C)).astype("float32")
    if kind == "probs":
        return onehot, probs
    if kind == "soft_probs":
        return probs[::-1].copy(), probs
    if kind == "logits":
        return onehot, logits
    if kind == "sparse":
        return labels.astype("int32"), probs
    if kind == "sparse_column":
        return labels.reshape(N, 1).astype("int32"), logits
    if kind == "binary":
        return rng.integers(0, 2, (N, C)).astype("float32"), \
            rng.uniform(0.05, 0.95, (N, C)).astype("float32")
    if kind == "binary_logits":
        return rng.integers(0, 2, (N, C)).astype("float32"), logits
    if kind == "binary_column":
        return rng.integers(0, 2, (N, 1)).astype("float32"), \
            rng.uniform(0.05, 0.95, (N, 1)).astype("float32")
    if kind == "hinge":
        return rng.integers(0, 2, (N, C)).astype("float32"), \
            rng.uniform(-2, 2, (N, C)).astype("float32")
    if kind == "signed_hinge":
        return (2 * rng.integers(0, 2, (N, C)) - 1).astype("float32"), \
            rng.uniform(-2, 2, (N, C)).astype("float32")
    raise ValueError(kind)


# (class name, constructor kwargs, data kind, function name, function kwargs)
CASES = [
    ("MeanSquaredError", {}, "regression", "mean_squared_error", {}),
    ("MeanAbsoluteError", {}, "regression", "mean_absolute_error", {}),
    ("MeanAbsolutePercentageError", {}, "regression",
     "mean_absolute_percentage_error", {}),
    ("MeanSquaredLogarithmicError", {}, "positive",
     "mean_squared_logarithmic_error", {}),
    ("Huber", {}, "regression", "huber", {}),
    ("Huber", {"delta": 0.4}, "regression", "huber", {"delta": 0.4}),
    ("LogCosh", {}, "regression", "log_cosh", {}),
    ("KLDivergence", {}, "soft_probs", "kl_divergence", {}),
    ("Poisson", {}, "positive", "poisson", {}),
    ("Hinge", {}, "hinge", "hinge", {}),
    ("Hinge", {}, "signed_hinge", "hinge", {}),
    ("SquaredHinge", {}, "hinge", "squared_hinge", {}),
    ("CategoricalHinge", {}, "probs", "categorical_hinge", {}),
    ("CosineSimilarity", {}, "regression", "cosine_similarity", {}),
    ("CosineSimilarity", {"axis": 0}, "regression_square", "cosine_similarity", {"axis": 0}),
    ("CategoricalCrossentropy", {}, "probs", "categorical_crossentropy", {}),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1}, "soft_probs",
     "categorical_crossentropy", {"label_smoothing": 0.1}),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, "logits",
     "categorical_crossentropy", {"from_logits": True, "label_smoothing": 0.2}),
    ("SparseCategoricalCrossentropy", {}, "sparse", "sparse_categorical_crossentropy",
     {}),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_column",
     "sparse_categorical_crossentropy", {"from_logits": True}),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 2},
     "sparse_column", "sparse_categorical_crossentropy",
     {"from_logits": True, "ignore_class": 2}),
    ("BinaryCrossentropy", {}, "binary", "binary_crossentropy", {}),
    ("BinaryCrossentropy", {}, "binary_column", "binary_crossentropy", {}),
    ("BinaryCrossentropy", {"label_smoothing": 0.1}, "binary", "binary_crossentropy",
     {"label_smoothing": 0.1}),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.2},
     "binary_logits", "binary_crossentropy",
     {"from_logits": True, "label_smoothing": 0.2}),
    ("BinaryCrossentropy", {"from_logits": True, "axis": 0}, "binary_logits_square",
     "binary_crossentropy", {"from_logits": True, "axis": 0}),
]
IDS = [f"{c[0]}-{c[2]}-{'-'.join(f'{k}={v}' for k, v in c[1].items())}".rstrip("-")
       for c in CASES]

SAMPLE_WEIGHT = np.linspace(0.0, 2.0, N).astype("float32")


def _np(x):
    return np.asarray(get_ops().to_numpy(x))


def _close(actual, expected, what):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, (what, actual.shape, expected.shape)
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL, err_msg=what)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_loss_class_matches_keras(backend, case):
    name, kwargs, kind, _, _ = case
    y_true, y_pred = data(kind)
    for reduction in REDUCTIONS:
        mine = getattr(losses, name)(reduction=reduction, **kwargs)
        ref = getattr(keras.losses, name)(reduction=reduction, **kwargs)
        assert mine.name == ref.name
        for sw in (None, SAMPLE_WEIGHT):
            _close(_np(mine(y_true, y_pred, sample_weight=sw)),
                   ref(y_true, y_pred, sample_weight=sw).numpy(),
                   f"{name} reduction={reduction} sample_weight={sw is not None}")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_loss_function_matches_keras(backend, case):
    _, _, kind, fn_name, fn_kwargs = case
    y_true, y_pred = data(kind)
    if kind.startswith("sparse"):  # Keras's function expects tensors here
        ref = getattr(keras.losses, fn_name)(tf.constant(y_true), tf.constant(y_pred),
                                             **fn_kwargs)
    else:
        ref = getattr(keras.losses, fn_name)(y_true, y_pred, **fn_kwargs)
    _close(_np(getattr(losses, fn_name)(y_true, y_pred, **fn_kwargs)), ref.numpy(),
           fn_name)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_loss_gradient_matches_keras(backend, case):
    name, kwargs, kind, _, _ = case
    y_true, y_pred = data(kind)
    ops = get_ops()
    mine = getattr(losses, name)(**kwargs)
    ref = getattr(keras.losses, name)(**kwargs)

    variable = Variable(y_pred)
    value, (grad,) = ops.value_and_grad(
        lambda: mine(y_true, ops.variable_value(variable.native),
                     sample_weight=SAMPLE_WEIGHT), [variable.native])

    tf_pred = tf.Variable(y_pred)
    with tf.GradientTape() as tape:
        ref_value = ref(y_true, tf_pred, sample_weight=SAMPLE_WEIGHT)
    ref_grad = tape.gradient(ref_value, tf_pred)
    _close(_np(value), ref_value.numpy(), f"{name} value")
    _close(_np(grad), ref_grad.numpy(), f"{name} gradient")


def test_y_true_is_cast_to_y_pred_dtype(backend):
    y_true = np.array([[1, 0], [0, 1]], dtype="int32")
    y_pred = np.array([[0.8, 0.2], [0.3, 0.7]], dtype="float64")
    out = losses.mean_squared_error(y_true, y_pred)
    assert get_ops().dtype(out) == "float64"
    np.testing.assert_allclose(_np(out), [0.04, 0.09], rtol=1e-12)
    assert get_ops().dtype(losses.MeanSquaredError()(y_true, y_pred)) == "float32"


def test_loss_function_wrapper(backend):
    y_true, y_pred = data("regression")

    def my_loss(a, b, scale=1.0):
        ops = get_ops()
        return ops.multiply(ops.mean(ops.abs(ops.subtract(a, b)), axis=-1), scale)

    mine = losses.LossFunctionWrapper(my_loss, name="mine", reduction="sum", scale=2.0)
    ref = keras.losses.MeanAbsoluteError(reduction="sum")
    _close(_np(mine(y_true, y_pred, sample_weight=SAMPLE_WEIGHT)),
           2.0 * ref(y_true, y_pred, sample_weight=SAMPLE_WEIGHT).numpy(), "wrapper")
    assert mine.name == "mine" and mine.reduction == "sum"


def test_invalid_reduction():
    with pytest.raises(ValueError, match="reduction"):
        losses.MeanSquaredError(reduction="average")


def test_get_serialize_deserialize():
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("MAE") is losses.mean_absolute_error
    assert losses.get("mape") is losses.mean_absolute_percentage_error
    assert losses.get("msle") is losses.mean_squared_logarithmic_error
    assert losses.get("categorical_crossentropy") is losses.categorical_crossentropy
    assert losses.get("huber") is losses.huber
    assert isinstance(losses.get("CategoricalCrossentropy"),
                      losses.CategoricalCrossentropy)
    assert losses.get(None) is None
    bce = losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1)
    assert losses.get(bce) is bce
    with pytest.raises(ValueError):
        losses.get("no_such_loss")

    config = losses.serialize(bce)
    assert config["class_name"] == "BinaryCrossentropy"
    assert config["module"] == "keras.losses"
    assert config["config"] == keras.losses.serialize(
        keras.losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1,
                                        name=bce.name))["config"]
    back = losses.deserialize(config)
    assert isinstance(back, losses.BinaryCrossentropy)
    assert back.from_logits and back.label_smoothing == 0.1
    huber = losses.deserialize(losses.serialize(losses.Huber(delta=2.5)))
    assert huber.delta == 2.5
    # A Keras-written config of a class and of a function.
    keras_config = keras.losses.serialize(keras.losses.SparseCategoricalCrossentropy(
        from_logits=True))
    assert losses.deserialize(keras_config).from_logits is True
    assert losses.deserialize(keras.losses.serialize(keras.losses.mean_squared_error)) \
        is losses.mean_squared_error
    assert losses.get({"class_name": "CategoricalCrossentropy",
                       "config": {"from_logits": True}}).from_logits
